export const id = 470;
export const ids = [470];
export const modules = {

/***/ 3470:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  orderCheck: () => (/* binding */ orderCheck)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/revisions/provenance.ts
var provenance = __webpack_require__(1227);
;// CONCATENATED MODULE: ./src/revisions/history.ts
// How two commits stand, asked of whoever can answer: the workspace's git history first, then
// GitHub's compare API. An answer is never guessed: when no source can tell, the reasons are kept
// and the caller deploys and warns.
/** How many commits a "what changed" list shows. */
const COMMITS_SHOWN = 20;
function relationOf(aheadBy, behindBy) {
    if (aheadBy === 0 && behindBy === 0)
        return 'identical';
    if (behindBy === 0)
        return 'ahead';
    if (aheadBy === 0)
        return 'behind';
    return 'diverged';
}
/**
 * Asks each source in turn; the first that answers wins. Answers are kept per pair, since the
 * order check and the list of what changed often ask the same pair twice.
 */
function historyChain(sources) {
    const cache = new Map();
    const ask = async (base, head) => {
        if (base === head)
            return {
                comparison: { relation: 'identical', aheadBy: 0, behindBy: 0, commits: [], source: 'git' }
            };
        const why = [];
        for (const s of sources) {
            const answer = await s.compare(base, head);
            if ('comparison' in answer)
                return answer;
            why.push(`${s.name}: ${answer.unknown}`);
        }
        return { unknown: why.join('; ') || 'no source of history' };
    };
    return {
        name: sources.map((s) => s.name).join(', then '),
        compare(base, head) {
            const key = `${base}..${head}`;
            let answer = cache.get(key);
            if (!answer) {
                answer = ask(base, head);
                cache.set(key, answer);
            }
            return answer;
        }
    };
}

;// CONCATENATED MODULE: ./src/revisions/git-history.ts
// The workspace's own git history: it answers when it holds both commits and is not shallow
// (actions/checkout's default fetch-depth of 1 holds only the run's commit, so this is the rarer
// path; GitHub's compare API is asked next).



/** A local git command that takes longer than this is stuck (a lazy fetch, a lock): give up. */
const GIT_TIMEOUT_MS = 10_000;
/** git in `dir`, no shell, no prompt, no network fetch of missing objects, bounded in time. */
function gitIn(dir, env = process.env) {
    return (args) => new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('git', ['-C', dir, ...args], {
            timeout: GIT_TIMEOUT_MS,
            maxBuffer: 4 * 1024 * 1024,
            env: {
                ...env,
                GIT_TERMINAL_PROMPT: '0',
                GIT_NO_LAZY_FETCH: '1',
                GIT_OPTIONAL_LOCKS: '0',
                LC_ALL: 'C'
            }
        }, (err, stdout, stderr) => {
            const code = err === null ? 0 : typeof err.code === 'number' ? err.code : err.killed ? -2 : -1;
            resolve({ code, stdout: String(stdout), stderr: String(stderr || err?.message || '') });
        });
    });
}
const FIELD = '\x1f';
function gitHistory(git) {
    return {
        name: "the workspace's git history",
        async compare(base, head) {
            // Only full commit ids reach git's command line (one comes from an object's metadata).
            if (!provenance/* FULL_SHA */.RG.test(base) || !provenance/* FULL_SHA */.RG.test(head))
                return { unknown: 'not a full commit id' };
            const shallow = await git(['rev-parse', '--is-shallow-repository']);
            if (shallow.code !== 0)
                return { unknown: unreadable(shallow.stderr) };
            for (const sha of [base, head]) {
                const has = await git(['cat-file', '-e', `${sha}^{commit}`]);
                if (has.code !== 0)
                    return {
                        unknown: `it does not hold commit ${sha} (actions/checkout fetches only the run's commit unless fetch-depth: 0)`
                    };
            }
            // A shallow clone may hold both commits but not what lies between: no answer from it.
            if (shallow.stdout.trim() === 'true')
                return { unknown: 'it is a shallow clone, which may lack the commits between the two' };
            const counts = await git(['rev-list', '--left-right', '--count', `${base}...${head}`]);
            const m = /^(\d+)\s+(\d+)\s*$/.exec(counts.stdout);
            if (counts.code !== 0 || !m)
                return { unknown: `git rev-list failed (${firstLine(counts.stderr)})` };
            const behindBy = Number(m[1]);
            const aheadBy = Number(m[2]);
            const log = await git([
                'log',
                `--format=%H${FIELD}%an${FIELD}%s`,
                '-n',
                String(COMMITS_SHOWN),
                `${base}..${head}`
            ]);
            if (log.code !== 0)
                return { unknown: `git log failed (${firstLine(log.stderr)})` };
            const commits = log.stdout
                .split('\n')
                .filter(Boolean)
                .map((line) => {
                const [sha = '', author = '', subject = ''] = line.split(FIELD);
                return { sha, author, subject };
            });
            return {
                comparison: {
                    relation: relationOf(aheadBy, behindBy),
                    aheadBy,
                    behindBy,
                    commits,
                    source: 'git'
                }
            };
        }
    };
}
/** Why git could not read the workspace, with the fix where there is one. */
function unreadable(stderr) {
    if (/ENOENT/.test(stderr))
        return 'git is not installed on the runner';
    if (/dubious ownership/.test(stderr))
        return 'git refuses it as another user\'s folder (run git config --global --add safe.directory "$GITHUB_WORKSPACE" in an earlier step)';
    return `not a git repository (${firstLine(stderr)})`;
}
function firstLine(text) {
    return text.trim().split('\n')[0]?.trim() || 'no message';
}

// EXTERNAL MODULE: ./src/network/network-errors.ts
var network_errors = __webpack_require__(9878);
;// CONCATENATED MODULE: ./src/revisions/github-history.ts
// GitHub's compare API (GET /repos/{owner}/{repo}/compare/{base}...{head}) through
// @actions/github, at GITHUB_API_URL (GitHub Enterprise Server too). The common path on GitHub:
// a default checkout holds one commit, so the workspace cannot say how two commits stand.



/** A compare that takes longer has failed for our purpose: deploy and warn rather than hang. */
const GITHUB_TIMEOUT_MS = 15_000;
/** The real call, through @actions/github's Octokit (loaded only when a compare is needed). */
function octokitCompare(o) {
    let call;
    return async (args) => {
        if (!call) {
            const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
            const octokit = getOctokit(o.token, {
                baseUrl: o.apiUrl,
                ...(o.fetch ? { request: { fetch: o.fetch } } : {})
            });
            call = (a) => octokit.rest.repos.compareCommitsWithBasehead({
                ...a,
                request: { signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS) }
            });
        }
        return call(args);
    };
}
function githubHistory(o, compare = octokitCompare(o)) {
    const [owner = '', repo = '', ...more] = o.repository.split('/');
    const notOwnerName = o.repository
        ? `GITHUB_REPOSITORY '${o.repository}' is not owner/name`
        : 'GITHUB_REPOSITORY is not set';
    return {
        name: "GitHub's compare API",
        async compare(base, head) {
            if (!o.token)
                return { unknown: 'no github-token was given' };
            if (!owner || !repo || more.length)
                return { unknown: notOwnerName };
            if (!provenance/* FULL_SHA */.RG.test(base) || !provenance/* FULL_SHA */.RG.test(head))
                return { unknown: 'not a full commit id' };
            const basehead = `${base}...${head}`;
            try {
                const { data } = await compare({ owner, repo, basehead });
                const aheadBy = data.ahead_by ?? 0;
                const behindBy = data.behind_by ?? 0;
                const relation = data.status;
                if (relation !== 'identical' &&
                    relation !== 'ahead' &&
                    relation !== 'behind' &&
                    relation !== 'diverged')
                    return { unknown: `GitHub answered an unknown status '${String(relation)}'` };
                let listed = data.commits ?? [];
                // The answer lists the oldest 250 commits; the newest are on its last page, and on the
                // page before when the last holds fewer than COMMITS_SHOWN.
                const total = data.total_commits ?? listed.length;
                if (total > listed.length) {
                    const page = async (n) => (await compare({ owner, repo, basehead, per_page: COMMITS_SHOWN, page: n })).data
                        .commits ?? [];
                    const last = Math.ceil(total / COMMITS_SHOWN);
                    try {
                        listed = await page(last);
                        if (listed.length < COMMITS_SHOWN && last > 1)
                            listed = [...(await page(last - 1)), ...listed];
                    }
                    catch {
                        // The order is known from the first answer; only the list of the newest is lost.
                        listed = [];
                    }
                }
                return {
                    comparison: {
                        relation,
                        aheadBy,
                        behindBy,
                        commits: listed.slice(-COMMITS_SHOWN).reverse().map(commitLine),
                        source: 'GitHub'
                    }
                };
            }
            catch (err) {
                return { unknown: describeGithubError(err, o.repository) };
            }
        }
    };
}
function commitLine(c) {
    return {
        sha: c.sha ?? '',
        subject: (c.commit?.message ?? '').split('\n')[0] ?? '',
        author: c.commit?.author?.name ?? c.author?.login ?? ''
    };
}
/** A proxy's refusal or an untrusted certificate somewhere in the causes, said with its fix. */
function wayError(err) {
    const plain = (text) => text.replace(/\.$/, '');
    for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
        if ((0,network_errors/* isProxyError */.dr)(e))
            return `${plain(e.message)}; ${plain(e.advice)}`;
        const code = e.code;
        const tls = typeof code === 'string' ? (0,network_errors/* tlsAdvice */.SD)(code, (0,network_errors/* taggedEndpoint */.uC)(e) ?? 'GitHub') : undefined;
        if (tls)
            return plain(tls);
        e = e.cause;
    }
    return undefined;
}
/** What failed and what to check; never the token. */
function describeGithubError(err, repository) {
    const e = err;
    const said = (e.message ?? String(err)).split('\n')[0];
    // Octokit reports a request that got no answer (a timeout, a refused connection) as status 500
    // without a response, the fetch error as its cause: that 500 is not GitHub's.
    const status = e.response !== undefined || e.cause === undefined ? e.status : undefined;
    if ([e.name, e.cause?.name].some((n) => n === 'TimeoutError' || n === 'AbortError'))
        return `GitHub did not answer within ${GITHUB_TIMEOUT_MS / 1000} s`;
    // The way there failed (a proxy, a certificate): Octokit's error wraps fetch's, which wraps it.
    const way = wayError(err);
    if (way)
        return way;
    switch (status) {
        case 401:
            return `GitHub refused the token (401 ${said}): check github-token`;
        case 403:
            return `GitHub answered 403 (${said}): the token needs contents: read on ${repository}, or the API rate limit was reached`;
        case 404:
            return `GitHub answered 404 (${said}): the token cannot read ${repository}, or one of the commits is not on GitHub`;
        default:
            return `the request failed (${status ? `${status} ` : ''}${said})`;
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/aws/s3-upload.ts + 2 modules
var s3_upload = __webpack_require__(5366);
;// CONCATENATED MODULE: ./src/revisions/deployed.ts
// What a deployment group last ran, and which commit: GetDeploymentGroup's last attempted and
// last successful deployments, GetDeployment's revision, and that S3 object's metadata
// (HeadObject). Every read is best effort: what cannot be read is said, and never blocks a deploy.






/** A few quick attempts on throttling and transient errors. */
function send(ctx, fn) {
    return (0,retry/* retry */.L5)(fn, (0,retry/* awsPolicy */.kv)({
        attempts: 3,
        sleep: ctx.sleep,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.random ? { random: ctx.random } : {})
    }));
}
/** What failed; the permission to grant only when the call was refused for it. */
function said(call, err, grant) {
    const { code, message } = (0,aws_errors/* describeAwsError */.Pp)(err);
    const failed = `${call} failed (${code}${message ? `: ${message}` : ''})`;
    return (0,aws_errors/* isAccessDenied */.w7)(err) ? `${failed}; grant ${grant}` : failed;
}
/**
 * The group's last attempted (in progress included) and last successful deployments. A group
 * that does not exist reads as one with no history: CreateDeployment then says so, with the
 * groups that do exist.
 */
async function readGroupHistory(ctx, applicationName, deploymentGroupName) {
    try {
        const out = await send(ctx, () => ctx.codedeploy.send(new dist_cjs.GetDeploymentGroupCommand({ applicationName, deploymentGroupName }), {
            ...(ctx.signal ? { abortSignal: ctx.signal } : {})
        }));
        const info = out.deploymentGroupInfo;
        const ref = (d) => d?.deploymentId ? { deploymentId: d.deploymentId, status: d.status ?? '' } : undefined;
        const lastAttempted = ref(info?.lastAttemptedDeployment);
        const lastSuccessful = ref(info?.lastSuccessfulDeployment);
        return {
            ...(lastAttempted ? { lastAttempted } : {}),
            ...(lastSuccessful ? { lastSuccessful } : {})
        };
    }
    catch (err) {
        const code = (0,aws_errors/* errorCode */.CA)(err);
        if (code === 'DeploymentGroupDoesNotExistException' ||
            code === 'ApplicationDoesNotExistException')
            return {};
        return {
            unknown: said('GetDeploymentGroup', err, 'codedeploy:GetDeploymentGroup on the deployment group')
        };
    }
}
/** The commit a deployment's revision records: a GitHub revision names it, an S3 one in its object's metadata. */
async function readDeployedRevision(ctx, ref) {
    const base = { deploymentId: ref.deploymentId, status: ref.status };
    let revision;
    try {
        const out = await send(ctx, () => ctx.codedeploy.send(new dist_cjs.GetDeploymentCommand({ deploymentId: ref.deploymentId }), {
            ...(ctx.signal ? { abortSignal: ctx.signal } : {})
        }));
        revision = out.deploymentInfo?.revision;
        base.status = out.deploymentInfo?.status ?? base.status;
    }
    catch (err) {
        return { ...base, unknown: said('GetDeployment', err, 'codedeploy:GetDeployment') };
    }
    if (revision?.revisionType === 'GitHub') {
        const commit = revision.gitHubLocation?.commitId?.toLowerCase();
        return commit && provenance/* FULL_SHA */.RG.test(commit)
            ? { ...base, commit, repository: revision.gitHubLocation?.repository ?? '' }
            : { ...base, unknown: 'its GitHub revision names no full commit id' };
    }
    const s3 = revision?.s3Location;
    if (!s3?.bucket || !s3.key)
        return { ...base, unknown: 'its revision is not an S3 object' };
    const where = `s3://${s3.bucket}/${s3.key}${s3.version ? ` (version ${s3.version})` : ''}`;
    try {
        const head = await send(ctx, () => ctx.s3.send(new client_s3_dist_cjs.HeadObjectCommand({
            Bucket: s3.bucket,
            Key: s3.key,
            ...(s3.version ? { VersionId: s3.version } : {})
        }), { ...(ctx.signal ? { abortSignal: ctx.signal } : {}) }));
        // Without a version, the key may hold another upload now: its metadata would not be this deployment's.
        const etag = head.ETag && (0,s3_upload/* stripQuotes */.Ir)(head.ETag);
        if (!s3.version && s3.eTag && etag && etag !== (0,s3_upload/* stripQuotes */.Ir)(s3.eTag))
            return { ...base, unknown: `${where} has been replaced since it was deployed` };
        const p = (0,provenance/* readProvenance */.Ch)(head.Metadata);
        if (!p)
            return { ...base, unknown: `${where} records no git-commit (not uploaded by this action)` };
        return { ...base, commit: p.commit, ...(p.repository ? { repository: p.repository } : {}) };
    }
    catch (err) {
        const { status } = (0,aws_errors/* describeAwsError */.Pp)(err);
        if (status === 404)
            return { ...base, unknown: `${where} is gone` };
        return {
            ...base,
            unknown: said(`S3 HeadObject on ${where}`, err, 's3:GetObject (and s3:GetObjectVersion for a version) on it')
        };
    }
}

// EXTERNAL MODULE: ./src/revisions/order-policy.ts
var order_policy = __webpack_require__(2545);
;// CONCATENATED MODULE: ./src/revisions/order.ts



class OrderCheck {
    ctx;
    settings;
    history;
    decided = new Map();
    revisions = new Map();
    constructor(ctx, settings, history) {
        this.ctx = ctx;
        this.settings = settings;
        this.history = history;
    }
    get ours() {
        return { commit: this.settings.run.sha.toLowerCase(), repository: this.settings.run.repository };
    }
    /** Without a full GITHUB_SHA there is no commit to order (a run outside GitHub Actions). */
    get enabled() {
        return provenance/* FULL_SHA */.RG.test(this.ours.commit);
    }
    /** The groups checked so far, in the input's order, as last decided. */
    groups() {
        return this.settings.deploymentGroups.flatMap((g) => this.decided.get(g) ?? []);
    }
    /** The group's last successful deployment before this run, and its commit ('' when unknown). */
    previousOf(group) {
        const p = this.decided.get(group)?.previous;
        return p ? { deploymentId: p.deploymentId, commit: p.commit ?? '' } : undefined;
    }
    /** Every group, before the upload; stops at the first that skips (or throws through fail). */
    async beforeUpload() {
        const facts = {
            ours: this.ours,
            serverUrl: this.settings.run.serverUrl,
            groups: []
        };
        if (!this.enabled) {
            this.ctx.log.info('GITHUB_SHA is not a full commit id: the order of commits is not checked, and the object records no commit.');
            return facts;
        }
        for (const group of this.settings.deploymentGroups) {
            const g = await this.check(group, true);
            facts.groups.push(g);
            if (g.verdict.kind === 'skip') {
                facts.skipped = { group, notice: g.verdict.notice };
                break;
            }
            if (g.verdict.kind === 'fail')
                break;
        }
        return facts;
    }
    /**
     * Right before CreateDeployment: the group read again. The same last deployment as before keeps
     * its verdict (no more reads); a new one is decided afresh.
     */
    async gate(group) {
        return this.check(group, false);
    }
    async check(group, withChanges) {
        const read = await readGroupHistory(this.ctx, this.settings.application, group);
        const before = this.decided.get(group);
        if ('unknown' in read) {
            const g = {
                ...(before ?? { group }),
                group,
                unreadable: read.unknown,
                verdict: {
                    kind: 'deploy',
                    say: {
                        level: 'warning',
                        text: `Could not read what '${group}' last deployed (${read.unknown}), so the order of commits is not checked; deploying.`
                    }
                }
            };
            this.say(g, before);
            this.decided.set(group, g);
            return g;
        }
        if (before &&
            before.last?.deploymentId === read.lastAttempted?.deploymentId &&
            !before.unreadable)
            return before;
        const last = read.lastAttempted && (await this.revisionOf(read.lastAttempted));
        const previous = before?.previous ?? (read.lastSuccessful && (await this.revisionOf(read.lastSuccessful)));
        const ours = this.ours;
        const answer = last && (0,order_policy/* needsComparison */.xp)({ group, ours, last })
            ? await this.history.compare(last.commit, ours.commit)
            : undefined;
        const g = {
            group,
            ...(last ? { last } : {}),
            ...(previous ? { previous } : {}),
            verdict: (0,order_policy/* decideOrder */.Pi)({
                group,
                ours,
                ...(last ? { last } : {}),
                ...(answer ? { answer } : {}),
                policy: this.settings.ifNewerDeployed
            })
        };
        if (withChanges &&
            previous?.commit &&
            (!previous.repository || (0,order_policy/* sameRepository */.RB)(previous.repository, ours.repository)))
            g.changes = await this.history.compare(previous.commit, ours.commit);
        else if (before?.changes)
            g.changes = before.changes;
        this.say(g, before);
        this.decided.set(group, g);
        return g;
    }
    revisionOf(ref) {
        let r = this.revisions.get(ref.deploymentId);
        if (!r) {
            r = readDeployedRevision(this.ctx, ref);
            this.revisions.set(ref.deploymentId, r);
        }
        return r;
    }
    /** A verdict's line, once per group and last deployment. */
    say(g, before) {
        if (before &&
            before.last?.deploymentId === g.last?.deploymentId &&
            before.unreadable === g.unreadable)
            return;
        const v = g.verdict;
        if (v.kind === 'deploy' && v.say)
            this.ctx.log[v.say.level](v.say.text);
    }
}

;// CONCATENATED MODULE: ./src/stages/revisions.ts




function orderCheck(aws, settings, deps) {
    const history = historyChain([
        gitHistory(gitIn(settings.workspace, deps.env)),
        githubHistory({
            token: settings.githubToken,
            repository: settings.run.repository,
            apiUrl: settings.run.apiUrl,
            ...(aws.network ? { fetch: aws.network.fetch } : {})
        })
    ]);
    return new OrderCheck({
        codedeploy: aws.codedeploy,
        s3: aws.s3,
        log: deps.log,
        sleep: deps.sleep,
        signal: deps.signal
    }, settings, history);
}


/***/ })

};
