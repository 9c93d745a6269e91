export const id = 21;
export const ids = [21];
export const modules = {

/***/ 1457:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ ACTIVE_STATUSES)
/* harmony export */ });
const ACTIVE_STATUSES = [
    'Created',
    'Queued',
    'InProgress',
    'Baking',
    'Ready'
];


/***/ }),

/***/ 9021:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pruneRevisions: () => (/* binding */ pruneRevisions)
});

// EXTERNAL MODULE: ./src/common/log.ts
var common_log = __webpack_require__(1095);
// EXTERNAL MODULE: ./src/common/plural.ts
var plural = __webpack_require__(9627);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
;// CONCATENATED MODULE: ./src/revisions/s3-bundles.ts


/** 10 pages of 1,000: a prefix holding more is pruned from its first 10,000 versions, run after run. */
const MAX_LIST_PAGES = 10;
/**
 * Every version under the prefix. ListObjectVersions answers on an unversioned bucket too (each
 * object once, version 'null'), so one call serves both and no GetBucketVersioning is needed.
 */
async function listBundles(ctx, prefix) {
    const sdk = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const versions = [];
    let deleteMarkers = false;
    let KeyMarker;
    let VersionIdMarker;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const out = await (0,retry/* callServiceWithRetry */.oK)('S3 ListObjectVersions', () => ctx.s3.send(new sdk.ListObjectVersionsCommand({
            Bucket: ctx.bucket,
            ...(prefix ? { Prefix: prefix } : {}),
            KeyMarker,
            VersionIdMarker,
            ExpectedBucketOwner: ctx.expectedBucketOwner
        }), abortable(ctx)), ctx.retry, hints(ctx, ['s3:ListBucketVersions'], `arn:aws:s3:::${ctx.bucket}`, prefix));
        versions.push(...(out.Versions ?? []));
        deleteMarkers ||= (out.DeleteMarkers ?? []).length > 0;
        KeyMarker = out.NextKeyMarker;
        VersionIdMarker = out.NextVersionIdMarker;
        if (!out.IsTruncated)
            return { objects: toBundles(versions, deleteMarkers), complete: true };
        if (!KeyMarker)
            break;
    }
    return { objects: toBundles(versions, deleteMarkers), complete: false };
}
/**
 * An object written while versioning was off has version 'null'. On a bucket that versions now
 * (other versions or delete markers show it), only a delete naming 'null' removes it; on an
 * unversioned one the plain delete does, and the version is left out.
 */
function toBundles(versions, deleteMarkers) {
    const versioned = deleteMarkers || versions.some((v) => v.VersionId && v.VersionId !== 'null');
    return versions.flatMap((v) => v.Key && v.LastModified
        ? [
            {
                key: v.Key,
                ...(versioned && v.VersionId ? { versionId: v.VersionId } : {}),
                lastModified: v.LastModified,
                size: v.Size ?? 0,
                ...(versioned ? { isLatest: v.IsLatest === true } : {})
            }
        ]
        : []);
}
async function provenance(ctx, bundle) {
    const sdk = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    try {
        const head = await (0,retry/* callServiceWithRetry */.oK)('S3 HeadObject', () => ctx.s3.send(new sdk.HeadObjectCommand({
            Bucket: ctx.bucket,
            Key: bundle.key,
            VersionId: bundle.versionId,
            ExpectedBucketOwner: ctx.expectedBucketOwner
        }), abortable(ctx)), ctx.retry, hints(ctx, [bundle.versionId ? 's3:GetObjectVersion' : 's3:GetObject'], objectArn(ctx, bundle)));
        return /^[0-9a-f]{64}$/.test(head.Metadata?.sha256 ?? '') ? 'ours' : 'foreign';
    }
    catch (err) {
        if (err instanceof errors/* AwsCallError */.iQ &&
            ['NotFound', 'NoSuchKey', 'NoSuchVersion'].includes(err.code))
            return 'gone';
        throw err;
    }
}
/**
 * Deletes the object, or with a version id that version (a delete without one only hides the
 * object behind a delete marker in a versioned bucket). Not cancellable once sent: whether it
 * happened must be known for the report.
 */
async function deleteBundle(ctx, bundle) {
    const sdk = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    // The last moment a cancel can still keep the bundle.
    if (ctx.retry.signal?.aborted)
        return 'cancelled';
    await (0,retry/* callServiceWithRetry */.oK)('S3 DeleteObject', () => ctx.s3.send(new sdk.DeleteObjectCommand({
        Bucket: ctx.bucket,
        Key: bundle.key,
        VersionId: bundle.versionId,
        ExpectedBucketOwner: ctx.expectedBucketOwner
    })), ctx.retry, hints(ctx, [bundle.versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject'], objectArn(ctx, bundle)));
    return 'deleted';
}
function objectArn(ctx, bundle) {
    return `arn:aws:s3:::${ctx.bucket}/${bundle.key}`;
}
function abortable(ctx) {
    return ctx.retry.signal ? { abortSignal: ctx.retry.signal } : {};
}
function hints(ctx, iamActions, resource, prefix) {
    const on = prefix === undefined ? resource : `${resource} (condition s3:prefix '${prefix}*')`;
    const byCode = {
        NoSuchBucket: `Bucket '${ctx.bucket}' does not exist: check \`bucket\` and \`region\`.`
    };
    if (ctx.expectedBucketOwner) {
        const denied = `Access to bucket '${ctx.bucket}' was denied: either it belongs to another account than ` +
            `${ctx.expectedBucketOwner} (check \`expected-bucket-owner\`), or the role lacks ${iamActions.join(', ')} on ${on}.`;
        byCode.AccessDenied = denied;
        byCode.Forbidden = denied;
    }
    return {
        iamActions,
        resource: on,
        byCode,
        fallback: 'Check `bucket` and `key`; the bundles stay until a later run deletes them.'
    };
}

;// CONCATENATED MODULE: ./src/revisions/deletion.ts
// Deletes the bundles the plan gave up, oldest first: each one only after HeadObject shows the
// action uploaded it, at most MAX_DELETIONS a run, a few at a time. A failed call keeps that
// bundle and the others go on (Object Lock refuses single versions); a run of failures stops it,
// and a cancel stops it between calls. Nothing here throws.



const MAX_DELETIONS = 1000;
/** Calls in flight at once: a first run on a full prefix takes seconds, not a minute. */
const WORKERS = 4;
/** Failed calls in a row after which the rest would most likely fail too (a missing permission). */
const MAX_FAILURES_IN_A_ROW = 10;
const FOREIGN_REASON = 'not uploaded by this action (its metadata has no sha256)';
const CANCELLED_REASON = 'not looked at: the run was cancelled';
const LATER_REASON = `left for a later run: at most ${MAX_DELETIONS} deletions a run`;
async function deleteBundles(ctx, doomed) {
    const deleted = new Set();
    const kept = [];
    const failures = new FailureLog();
    let next = 0;
    let attempted = 0;
    let notTried = 0;
    const keep = (at, reason) => {
        kept.push({ at, reason });
        ctx.log.debug(`Kept ${where(ctx, doomed[at])}: ${reason}.`);
    };
    /** One bundle: check, then delete; every outcome is recorded, nothing thrown. */
    const handle = async (at, bundle) => {
        let origin;
        try {
            origin = await provenance(ctx, bundle);
        }
        catch (err) {
            if (ctx.signal?.aborted)
                return keep(at, CANCELLED_REASON);
            failures.add('HeadObject', err, `Kept ${where(ctx, bundle)}: could not check that this action uploaded it.`);
            return keep(at, 'could not check that this action uploaded it (HeadObject failed)');
        }
        failures.succeeded('HeadObject');
        if (origin === 'gone')
            return ctx.log.debug(`${where(ctx, bundle)} is already gone.`);
        if (origin === 'foreign')
            return keep(at, FOREIGN_REASON);
        if (ctx.signal?.aborted)
            return keep(at, CANCELLED_REASON);
        if (attempted >= MAX_DELETIONS)
            return keep(at, LATER_REASON);
        attempted++;
        try {
            if ((await deleteBundle(ctx, bundle)) === 'cancelled')
                return keep(at, CANCELLED_REASON);
        }
        catch (err) {
            failures.add('DeleteObject', err, `Could not delete ${where(ctx, bundle)}.`);
            return keep(at, 'not deleted: DeleteObject failed');
        }
        failures.succeeded('DeleteObject');
        deleted.add(bundle);
        ctx.log.info(`Deleted ${where(ctx, bundle)}, last modified ${bundle.lastModified.toISOString()}.`);
    };
    const work = async () => {
        while (next < doomed.length) {
            const at = next++;
            if (ctx.signal?.aborted)
                keep(at, CANCELLED_REASON);
            else if (failures.inARow >= MAX_FAILURES_IN_A_ROW) {
                notTried++;
                keep(at, `not tried: the ${MAX_FAILURES_IN_A_ROW} calls before it failed`);
            }
            else if (attempted >= MAX_DELETIONS)
                keep(at, LATER_REASON);
            else
                await handle(at, doomed[at]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(WORKERS, doomed.length) }, work));
    const warnings = failures.warnings();
    if (notTried > 0)
        warnings.push(`Stopped deleting after ${MAX_FAILURES_IN_A_ROW} failed calls in a row: ${(0,plural/* plural */.L)(notTried, 'more bundle')} due for deletion ${notTried === 1 ? 'was' : 'were'} kept; a later run deletes them once the calls succeed.`);
    return {
        deleted: doomed.filter((b) => deleted.has(b)),
        kept: kept.sort((a, b) => a.at - b.at).map(({ at, reason }) => ({ ...doomed[at], reason })),
        warnings
    };
}
/**
 * The failed calls: the first of each call and error code in full (it says what to grant), the
 * others of that kind counted, so a missing permission is one warning, not one per bundle.
 */
class FailureLog {
    kinds = new Map();
    /** Failures in a row of each call: a HeadObject that works says nothing of DeleteObject. */
    streaks = new Map();
    /** The longest run of failures of one call now. */
    get inARow() {
        return Math.max(0, ...this.streaks.values());
    }
    add(call, err, what) {
        this.streaks.set(call, (this.streaks.get(call) ?? 0) + 1);
        const code = err instanceof errors/* AwsCallError */.iQ ? err.code : 'Error';
        const kind = this.kinds.get(`${call} ${code}`);
        if (kind)
            kind.more++;
        else
            this.kinds.set(`${call} ${code}`, { first: `${what} ${describe(err)}`, more: 0 });
    }
    succeeded(call) {
        this.streaks.set(call, 0);
    }
    warnings() {
        return [...this.kinds.entries()].map(([kind, { first, more }]) => more === 0
            ? first
            : `${first} (${(0,plural/* plural */.L)(more, 'more call')} failed the same way: S3 ${kind}.)`);
    }
}
function where(ctx, bundle) {
    return `s3://${ctx.bucket}/${bundle.key}${bundle.versionId ? ` (version ${bundle.versionId})` : ''}`;
}
function describe(err) {
    return err instanceof errors/* ActionError */.lZ
        ? err.describe()
        : err instanceof Error
            ? err.message
            : String(err);
}

;// CONCATENATED MODULE: ./src/revisions/key-shape.ts
/** What each placeholder renders to (src/stages/key.ts), as a regular expression. */
const PLACEHOLDER_PATTERN = {
    run_number: '\\d+',
    run_attempt: '\\d+',
    run_id: '\\d+',
    // SHA-1 commits, and SHA-256 ones for repositories that use them.
    sha: '[0-9a-f]{40}(?:[0-9a-f]{24})?',
    short_sha: '[0-9a-f]{7}',
    // A branch or tag made key-safe: other characters became '-', a '/' stays.
    ref_name: "[A-Za-z0-9!_.*'()/-]*",
    bundle_hash: '[0-9a-f]{16}',
    ext: '(?:tgz|zip|tar)'
};
function parts(template) {
    const out = [];
    let at = 0;
    for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
        if (m.index > at)
            out.push({ literal: template.slice(at, m.index) });
        out.push({ placeholder: m[1] });
        at = m.index + m[0].length;
    }
    if (at < template.length)
        out.push({ literal: template.slice(at) });
    return out;
}
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * The prefix every key of this template and application starts with: the template's text up to
 * its first placeholder other than {application}, with {application} filled in.
 */
function listingPrefix(template, application) {
    let prefix = '';
    for (const part of parts(template)) {
        if ('literal' in part)
            prefix += part.literal;
        else if (part.placeholder === 'application')
            prefix += application;
        else
            break;
    }
    return prefix;
}
/**
 * Whether a key has the shape the template gives this application's bundles: another
 * application's key, or an object put there by hand, does not.
 */
function keyMatcher(template, application) {
    const source = parts(template)
        .map((part) => 'literal' in part
        ? escapeRegex(part.literal)
        : part.placeholder === 'application'
            ? escapeRegex(application)
            : PLACEHOLDER_PATTERN[part.placeholder])
        .join('');
    const shape = new RegExp(`^${source}$`);
    return (key) => shape.test(key);
}
/**
 * Without {application} in the template, keys do not say which application a bundle is of:
 * every bundle of the shape under the prefix counts as this application's.
 */
function namesTheApplication(template) {
    return template.includes('{application}');
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
// EXTERNAL MODULE: ./src/aws/deployment-statuses.ts
var deployment_statuses = __webpack_require__(1457);
;// CONCATENATED MODULE: ./src/revisions/protected-revisions.ts
// The revisions CodeDeploy may still fetch from S3, read for every deployment group of the
// application: each group's last successful deployment (what a rollback restores and what a new
// Auto Scaling instance is given) and every deployment still in progress. Any read that fails
// throws: without the whole set, nothing may be deleted.



/** A listing that keeps answering with a next page is cut here (100 groups or deployments a page). */
const MAX_PAGES = 50;
/** The revisions of the application's deployments that CodeDeploy may still need, each with why. */
async function readProtectedRevisions(ctx, applicationName) {
    const reasons = new Map();
    const protect = (deploymentId, reason) => {
        reasons.set(deploymentId, [...(reasons.get(deploymentId) ?? []), reason]);
    };
    for (const group of await listGroups(ctx, applicationName)) {
        const info = await readGroup(ctx, applicationName, group);
        const lastSuccessful = info?.lastSuccessfulDeployment?.deploymentId;
        if (lastSuccessful)
            protect(lastSuccessful, `last successful deployment ${lastSuccessful} of group '${group}'`);
        const running = new Set(await listUnfinished(ctx, applicationName, group));
        // The group's own word on its last attempt covers a deployment the listing has not caught up with.
        const attempted = info?.lastAttemptedDeployment;
        if (attempted?.deploymentId && deployment_statuses/* ACTIVE_STATUSES */.a.includes(attempted.status))
            running.add(attempted.deploymentId);
        for (const id of running) {
            protect(id, `deployment ${id} in progress in group '${group}'`);
            // A rollback of it redeploys the group's last successful revision.
            if (lastSuccessful && lastSuccessful !== id)
                protect(lastSuccessful, `what auto-rollback of ${id} in group '${group}' restores`);
        }
    }
    const revisions = [];
    for (const [id, why] of reasons) {
        const s3 = (await readDeployment(ctx, id))?.revision?.s3Location;
        // A revision on GitHub or inline holds no S3 object.
        if (!s3?.bucket || !s3.key)
            continue;
        for (const reason of why)
            revisions.push({
                bucket: s3.bucket,
                key: s3.key,
                ...(s3.version ? { version: s3.version } : {}),
                reason
            });
    }
    return revisions;
}
async function listGroups(ctx, applicationName) {
    const groups = [];
    let nextToken;
    for (let page = 0; page < MAX_PAGES; page++) {
        const out = await (0,retry/* callWithRetry */.ZG)('ListDeploymentGroups', () => ctx.codedeploy.send(new dist_cjs.ListDeploymentGroupsCommand({ applicationName, nextToken }), protected_revisions_abortable(ctx)), ctx.retry);
        groups.push(...(out.deploymentGroups ?? []));
        nextToken = out.nextToken;
        if (!nextToken)
            return groups;
    }
    throw tooManyPages('ListDeploymentGroups', applicationName);
}
async function readGroup(ctx, applicationName, group) {
    const out = await (0,retry/* callWithRetry */.ZG)('GetDeploymentGroup', () => ctx.codedeploy.send(new dist_cjs.GetDeploymentGroupCommand({ applicationName, deploymentGroupName: group }), protected_revisions_abortable(ctx)), ctx.retry);
    return out.deploymentGroupInfo;
}
async function listUnfinished(ctx, applicationName, group) {
    const ids = [];
    let nextToken;
    for (let page = 0; page < MAX_PAGES; page++) {
        const out = await (0,retry/* callWithRetry */.ZG)('ListDeployments', () => ctx.codedeploy.send(new dist_cjs.ListDeploymentsCommand({
            applicationName,
            deploymentGroupName: group,
            includeOnlyStatuses: [...deployment_statuses/* ACTIVE_STATUSES */.a],
            nextToken
        }), protected_revisions_abortable(ctx)), ctx.retry);
        ids.push(...(out.deployments ?? []));
        nextToken = out.nextToken;
        if (!nextToken)
            return ids;
    }
    throw tooManyPages('ListDeployments', `${applicationName}/${group}`);
}
async function readDeployment(ctx, deploymentId) {
    const out = await (0,retry/* callWithRetry */.ZG)('GetDeployment', () => ctx.codedeploy.send(new dist_cjs.GetDeploymentCommand({ deploymentId }), protected_revisions_abortable(ctx)), ctx.retry);
    return out.deploymentInfo;
}
function protected_revisions_abortable(ctx) {
    return ctx.retry.signal ? { abortSignal: ctx.retry.signal } : {};
}
function tooManyPages(call, of) {
    return new Error(`${call} for ${of} still had more after ${MAX_PAGES} pages; the revisions in use could not all be read.`);
}

// EXTERNAL MODULE: ./src/common/compare-text.ts
var compare_text = __webpack_require__(2048);
;// CONCATENATED MODULE: ./src/revisions/retention-plan.ts
// Which bundles to delete: the newest N are kept, and every one CodeDeploy may still fetch (a
// group's last successful revision, a deployment in progress, what a rollback restores, the
// bundle just deployed); the rest of this application's bundles go. Pure.


const DEPLOYED_REASON = 'deployed by this run';
function newestReason(keep) {
    return `one of the newest ${keep} (keep-revisions)`;
}
function planRetention(input) {
    const prefix = listingPrefix(input.keyTemplate, input.application);
    if (input.keep <= 0)
        return { prefix, delete: [], kept: [], ignored: 0 };
    const matches = keyMatcher(input.keyTemplate, input.application);
    const bundles = input.objects.filter((o) => matches(o.key)).sort(newestFirst);
    const current = currentVersions(bundles);
    const guards = [
        { bucket: input.bucket, ...deployedAsRevision(input.deployed), reason: DEPLOYED_REASON },
        ...input.protectedRevisions.filter((r) => r.bucket === input.bucket)
    ];
    const kept = [];
    const doomed = [];
    bundles.forEach((bundle, rank) => {
        const guardedBy = unique(guards.filter((g) => isRevisionOf(g, bundle, current)).map((g) => g.reason));
        const reasons = rank < input.keep ? [...guardedBy, newestReason(input.keep)] : guardedBy;
        if (reasons.length === 0)
            doomed.push(bundle);
        else
            kept.push({ ...bundle, reason: reasons.join('; '), protected: guardedBy.length > 0 });
    });
    return {
        prefix,
        delete: doomed.reverse(),
        kept,
        ignored: input.objects.length - bundles.length
    };
}
/** Whether revision `g` is this bundle: the version it names, or the key's current object. */
function isRevisionOf(g, bundle, current) {
    if (g.key !== bundle.key)
        return false;
    const version = realVersion(g.version);
    return version === undefined
        ? current.get(bundle.key) === bundle
        : realVersion(bundle.versionId) === version;
}
/**
 * Each key's current object: the version the listing marks latest; when none is (a delete
 * marker is on top, or the listing does not say), the newest, so that it is kept rather than lost.
 */
function currentVersions(newestFirstBundles) {
    const current = new Map();
    for (const b of newestFirstBundles)
        if (b.isLatest)
            current.set(b.key, b);
    for (const b of newestFirstBundles)
        if (!current.has(b.key))
            current.set(b.key, b);
    return current;
}
/**
 * Newest first; equal times (S3 lists whole seconds) by the current version first, then by key
 * and version, later ones first, so the same listing always gives the same plan.
 */
function newestFirst(a, b) {
    return (b.lastModified.getTime() - a.lastModified.getTime() ||
        Number(b.isLatest === true) - Number(a.isLatest === true) ||
        (0,compare_text/* compareText */.n)(b.key, a.key) ||
        (0,compare_text/* compareText */.n)(b.versionId ?? '', a.versionId ?? ''));
}
function deployedAsRevision(deployed) {
    return deployed.versionId
        ? { key: deployed.key, version: deployed.versionId }
        : { key: deployed.key };
}
/** S3 calls an object written without versioning version 'null': the same as no version. */
function realVersion(version) {
    return version && version !== 'null' ? version : undefined;
}
function unique(items) {
    return [...new Set(items)];
}

;// CONCATENATED MODULE: ./src/revisions/retention.ts







/** Every call is tried this often in all (throttling, 5xx, a dropped connection). */
const ATTEMPTS = 3;
async function pruneRevisions(opts) {
    const prefix = listingPrefix(opts.keyTemplate, opts.application);
    const report = { keep: opts.keep, prefix, deleted: [], kept: [], warnings: [] };
    if (opts.keep <= 0)
        return report;
    const { log } = opts;
    const warn = (text) => {
        report.warnings.push(text);
        log.warning(text);
    };
    const title = `Old revisions (keep-revisions: ${opts.keep})`;
    log.startGroup(`${title}: bundles of '${opts.application}' under s3://${opts.bucket}/${prefix}`);
    let needed = 0;
    try {
        needed = await prune(opts, report, warn);
    }
    finally {
        log.endGroup();
    }
    const warnings = report.warnings.length ? `, ${(0,plural/* plural */.L)(report.warnings.length, 'warning')}` : '';
    log.info(`${title}: deleted ${(0,plural/* plural */.L)(report.deleted.length, 'bundle')}, kept ${report.kept.length}` +
        `${needed ? ` (${needed} that CodeDeploy needs or this run deployed)` : ''}${warnings}.`);
    return report;
}
/** Fills the report; returns how many kept bundles are protected (CodeDeploy needs them). */
async function prune(opts, report, warn) {
    const { log, signal } = opts;
    const retry = {
        log,
        sleep: opts.sleep ?? common_log/* realSleep */.u,
        attempts: ATTEMPTS,
        ...(signal ? { signal } : {})
    };
    const bucket = {
        s3: opts.s3,
        bucket: opts.bucket,
        ...(opts.expectedBucketOwner ? { expectedBucketOwner: opts.expectedBucketOwner } : {}),
        retry
    };
    /** Whether the run was cancelled, said once as a warning: the report is then incomplete. */
    const stopIfCancelled = () => {
        if (signal?.aborted)
            warn('keep-revisions stopped: the run was cancelled. Nothing more was deleted.');
        return signal?.aborted === true;
    };
    if (stopIfCancelled())
        return 0;
    let needed;
    try {
        needed = await readProtectedRevisions({ codedeploy: opts.codedeploy, retry }, opts.application);
    }
    catch (err) {
        if (stopIfCancelled())
            return 0;
        warn(`keep-revisions deleted nothing: could not read which revisions the deployment groups of '${opts.application}' still need ` +
            `(a rollback, a deployment in progress, a new Auto Scaling instance). ${describe(err)}`);
        return 0;
    }
    if (stopIfCancelled())
        return 0;
    let listing;
    try {
        listing = await listBundles(bucket, report.prefix);
    }
    catch (err) {
        if (stopIfCancelled())
            return 0;
        warn(`keep-revisions deleted nothing: could not list s3://${opts.bucket}/${report.prefix}. ${describe(err)}`);
        return 0;
    }
    if (!listing.complete)
        log.info(`s3://${opts.bucket}/${report.prefix} holds more than ${MAX_LIST_PAGES * 1000} versions: only the first ${MAX_LIST_PAGES * 1000} are looked at; later runs go on.`);
    if (!namesTheApplication(opts.keyTemplate))
        log.info(`The key template has no {application}: every bundle of its shape under s3://${opts.bucket}/${report.prefix} counts as '${opts.application}''s. ` +
            "Give other applications' bundles another prefix, or put {application} in `key`.");
    const plan = planRetention({
        bucket: opts.bucket,
        keyTemplate: opts.keyTemplate,
        application: opts.application,
        keep: opts.keep,
        objects: listing.objects,
        protectedRevisions: needed,
        deployed: opts.deployed
    });
    if (plan.ignored > 0)
        log.debug(`${(0,plural/* plural */.L)(plan.ignored, 'object')} under the prefix ${plan.ignored === 1 ? 'is' : 'are'} not of the key template's shape for '${opts.application}': left alone.`);
    for (const k of plan.kept) {
        const line = `Kept ${where(bucket, k)}: ${k.reason}.`;
        if (k.protected)
            log.info(line);
        else
            log.debug(line);
    }
    report.kept.push(...plan.kept.map((k) => ({ ...ref(k.key, k.versionId), reason: k.reason })));
    const outcome = await deleteBundles({ ...bucket, log, ...(signal ? { signal } : {}) }, plan.delete);
    report.deleted.push(...outcome.deleted.map((d) => ({ ...ref(d.key, d.versionId), lastModified: d.lastModified })));
    report.kept.push(...outcome.kept.map((k) => ({ ...ref(k.key, k.versionId), reason: k.reason })));
    for (const w of outcome.warnings)
        warn(w);
    stopIfCancelled();
    return plan.kept.filter((k) => k.protected).length;
}
/** The report's form of an object: the version only where there is one. */
function ref(key, versionId) {
    return { key, ...(versionId ? { versionId } : {}) };
}


/***/ })

};
