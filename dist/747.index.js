export const id = 747;
export const ids = [747];
export const modules = {

/***/ 9807:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kq: () => (/* binding */ isAgentNotReceived),
/* harmony export */   U$: () => (/* binding */ agentChecksText),
/* harmony export */   bc: () => (/* binding */ agentChecks),
/* harmony export */   c0: () => (/* binding */ AGENT_NOT_RECEIVED)
/* harmony export */ });
// What to check on an instance whose CodeDeploy agent does not answer: the silent-agent watch
// warns with it, and the catalogue gives it as the fix for CodeDeploy's AGENT_NOT_RECEIVED.
/** CodeDeploy's message when the agent did not pick up a lifecycle event before its hour ran out. */
const AGENT_NOT_RECEIVED = 'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.';
/** Did CodeDeploy fail this event because no agent picked it up? */
function isAgentNotReceived(message) {
    return !!message && message.startsWith('CodeDeploy agent was not able to receive');
}
/**
 * What to check on an instance whose agent does not answer, in the order that finds the cause
 * fastest. `justLaunched`: the instances are new (blue/green replacements), so their agent install
 * at boot is the first suspect.
 */
function agentChecks(region, justLaunched) {
    const r = region || '<region>';
    return [
        'the agent runs: `sudo systemctl status codedeploy-agent` (start it with `sudo systemctl start codedeploy-agent`; not installed: see "Install the CodeDeploy agent" in the AWS docs)',
        'its log: `/var/log/aws/codedeploy-agent/codedeploy-agent.log` (errors polling CodeDeploy, credentials, TLS)',
        `${justLaunched ? 'these instances were just launched: ' : 'on an instance launched recently (Auto Scaling, blue/green replacement): '}\`/var/log/cloud-init-output.log\`, where the agent's install at boot may have failed (no route to the internet to download it)`,
        `outbound HTTPS (443) from the instance to CodeDeploy and S3 in ${r}: a NAT gateway or proxy for a private subnet, or VPC endpoints com.amazonaws.${r}.codedeploy, com.amazonaws.${r}.codedeploy-commands-secure and an S3 gateway endpoint`,
        'the instance profile: the instance needs an IAM role (instance profile) the agent can use, allowed to read the bundle from S3 (s3:GetObject)'
    ];
}
/** The checks as one numbered paragraph, for an annotation or an error's fix. */
function agentChecksText(region, justLaunched) {
    return `Check, in order: ${agentChecks(region, justLaunched)
        .map((c, i) => `(${i + 1}) ${c}`)
        .join('; ')}.`;
}


/***/ }),

/***/ 2704:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   At: () => (/* binding */ closestEvent),
/* harmony export */   DX: () => (/* binding */ LIFECYCLE_EVENTS),
/* harmony export */   Nf: () => (/* binding */ closestName),
/* harmony export */   SQ: () => (/* binding */ MAX_EVENT_SECONDS),
/* harmony export */   Sr: () => (/* binding */ SCRIPTABLE_EVENTS),
/* harmony export */   Zz: () => (/* binding */ RESERVED_EVENT_ALTERNATIVES),
/* harmony export */   ad: () => (/* binding */ DEFAULT_SCRIPT_TIMEOUT_SECONDS),
/* harmony export */   fO: () => (/* binding */ isReservedEvent),
/* harmony export */   lc: () => (/* binding */ isLifecycleEvent)
/* harmony export */ });
/* unused harmony exports IN_PLACE_EVENTS, BLOCK_TRAFFIC_EVENTS, ALLOW_TRAFFIC_EVENTS, RESERVED_EVENTS */
// The EC2/on-premises lifecycle events of an appspec, as the CodeDeploy agent knows them.
/** In-place deployment without a load balancer, in the order the agent runs them. */
const IN_PLACE_EVENTS = [
    'ApplicationStop',
    'DownloadBundle',
    'BeforeInstall',
    'Install',
    'AfterInstall',
    'ApplicationStart',
    'ValidateService'
];
/** With a load balancer, traffic is blocked before and allowed after the in-place events. */
const BLOCK_TRAFFIC_EVENTS = [
    'BeforeBlockTraffic',
    'BlockTraffic',
    'AfterBlockTraffic'
];
const ALLOW_TRAFFIC_EVENTS = [
    'BeforeAllowTraffic',
    'AllowTraffic',
    'AfterAllowTraffic'
];
/** Every event, in agent order for an in-place deployment behind a load balancer. */
const LIFECYCLE_EVENTS = [
    ...BLOCK_TRAFFIC_EVENTS,
    ...IN_PLACE_EVENTS,
    ...ALLOW_TRAFFIC_EVENTS
];
/** Events the agent performs itself; an appspec cannot attach scripts to them. */
const RESERVED_EVENTS = [
    'DownloadBundle',
    'Install',
    'BlockTraffic',
    'AllowTraffic'
];
/** Events that can run scripts. */
const SCRIPTABLE_EVENTS = LIFECYCLE_EVENTS.filter((e) => !RESERVED_EVENTS.includes(e));
/** Where the scripts of a reserved event belong instead. */
const RESERVED_EVENT_ALTERNATIVES = {
    DownloadBundle: ['BeforeInstall'],
    Install: ['BeforeInstall', 'AfterInstall'],
    BlockTraffic: ['BeforeBlockTraffic', 'AfterBlockTraffic'],
    AllowTraffic: ['BeforeAllowTraffic', 'AfterAllowTraffic']
};
/** A script's timeout when the appspec gives none, in seconds. */
const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 3600;
/** CodeDeploy fails a lifecycle event that runs longer than this, whatever its scripts say. */
const MAX_EVENT_SECONDS = 3600;
function isLifecycleEvent(name) {
    return LIFECYCLE_EVENTS.includes(name);
}
function isReservedEvent(name) {
    return RESERVED_EVENTS.includes(name);
}
/** The name among `candidates` the user most likely meant, if any is close enough. */
function closestName(name, candidates) {
    const wanted = name.toLowerCase();
    let best;
    for (const candidate of candidates) {
        const lower = candidate.toLowerCase();
        const distance = lower === wanted ? 0 : editDistance(wanted, lower);
        if (!best || distance < best.distance)
            best = { candidate, distance };
    }
    if (best && best.distance <= Math.max(2, Math.floor(wanted.length / 3)))
        return best.candidate;
    // "Start" for ApplicationStart, "Validate" for ValidateService: a unique containing name.
    const containing = candidates.filter((c) => wanted.length >= 4 && c.toLowerCase().includes(wanted));
    return containing.length === 1 ? containing[0] : undefined;
}
/** The closest scriptable lifecycle event to a misspelt one. */
function closestEvent(name) {
    return closestName(name, SCRIPTABLE_EVENTS);
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}


/***/ }),

/***/ 2048:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   n: () => (/* binding */ compareText)
/* harmony export */ });
// One sort order for paths and names everywhere (bundle entries, listings, findings): by UTF-16
// code unit, as the archive writers and readers need, independent of the runner's locale.
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 5541:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ minutesText),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/* harmony import */ var _plural_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9627);
// Durations as people read them in a log or a table: 45s, 3m 12s, 1h 5m. One style everywhere;
// `precise` keeps a tenth of a second under a minute (an upload of 4.2s, not 4s). Settings given in
// minutes (wait-timeout, CodeDeploy's waits) read as they were given: "60 minutes".

function formatDuration(ms, opts = {}) {
    if (opts.precise && ms < 59_950)
        return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60)
        return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m}m ${s % 60}s`;
    return `${Math.floor(m / 60)}h ${m % 60}m`;
}
/** A number of minutes as a setting gives it: "1 minute", "60 minutes". */
function minutesText(minutes) {
    return (0,_plural_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .L)(minutes, 'minute');
}


/***/ }),

/***/ 1922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Aw: () => (/* binding */ cancelledWhileBundling),
/* harmony export */   OT: () => (/* binding */ awsErrorParts),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   iQ: () => (/* binding */ AwsCallError),
/* harmony export */   lZ: () => (/* binding */ ActionError),
/* harmony export */   yI: () => (/* binding */ ValidationError)
/* harmony export */ });
// Errors the user can act on. main.ts prints `message` (and `fix`) as one ::error:: line, never a stack.
class ActionError extends Error {
    /** The user's next step, appended to the message. */
    fix;
    constructor(message, fix) {
        super(message);
        this.name = 'ActionError';
        this.fix = fix;
    }
    /** The one line shown to the user. */
    describe() {
        return this.fix ? `${this.message} ${this.fix}` : this.message;
    }
}
/** A malformed input. Raised before any AWS call, so nothing has been uploaded or changed. */
class InputError extends ActionError {
    input;
    constructor(input, problem, fix) {
        super(`Input '${input}': ${problem}`, fix);
        this.name = 'InputError';
        this.input = input;
    }
}
/** Several problems found together (appspec validation): each is shown, then one summary line. */
class ValidationError extends ActionError {
    problems;
    constructor(summary, problems, fix) {
        super(summary, fix);
        this.name = 'ValidationError';
        this.problems = problems;
    }
}
/** An AWS call failed: says which call, what AWS said, and what to check. */
class AwsCallError extends ActionError {
    call;
    code;
    cause;
    constructor(call, code, awsMessage, check, cause) {
        super(`${call} failed: ${code}${awsMessage ? `: ${awsMessage}` : ''}.`, check);
        this.name = 'AwsCallError';
        this.call = call;
        this.code = code;
        this.cause = cause;
    }
}
/** The name and message of an SDK error, whatever shape it has. */
function awsErrorParts(err) {
    if (err && typeof err === 'object') {
        const e = err;
        const code = String(e.name ?? e.Code ?? e.code ?? 'Error');
        const message = typeof e.message === 'string' ? e.message : '';
        return { code, message, status: e.$metadata?.httpStatusCode };
    }
    return { code: 'Error', message: String(err) };
}
/** A cancel (the runner's SIGINT/SIGTERM) that came while the bundle was being made. */
function cancelledWhileBundling() {
    return new ActionError('Cancelled while bundling: nothing was uploaded.');
}


/***/ }),

/***/ 1095:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   u: () => (/* binding */ realSleep)
/* harmony export */ });
/* unused harmony export MemoryLogger */
// A narrow logging seam: core modules log through this, so tests record lines
// instead of parsing workflow commands. The runner-backed implementation is in runner-log.ts.
/** Collects everything, for tests and for the summary. */
class MemoryLogger {
    lines = [];
    info(message) {
        this.lines.push({ level: 'info', message });
    }
    debug(message) {
        this.lines.push({ level: 'debug', message });
    }
    warning(message, props) {
        this.lines.push({ level: 'warning', message, props });
    }
    error(message, props) {
        this.lines.push({ level: 'error', message, props });
    }
    notice(message) {
        this.lines.push({ level: 'notice', message });
    }
    startGroup(title) {
        this.lines.push({ level: 'group', message: title });
    }
    endGroup() {
        this.lines.push({ level: 'endgroup', message: '' });
    }
    text(level) {
        return this.lines
            .filter((l) => !level || l.level === level)
            .map((l) => l.message)
            .join('\n');
    }
}
/** Resolves after ms, or at once (without throwing) when signal aborts. */
const realSleep = (ms, signal) => new Promise((resolve) => {
    if (signal?.aborted)
        return resolve();
    const t = setTimeout(done, ms);
    function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
});


/***/ }),

/***/ 9627:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ plural),
/* harmony export */   f: () => (/* binding */ firstAndMore)
/* harmony export */ });
// Counts in words: "1 instance", "3 instances" (English plurals with a trailing s only), and
// long lists cut short: "i-1, i-2 and 3 more".
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** The first `max` items, then how many more: "i-1, i-2, i-3 and 4 more". */
function firstAndMore(items, max) {
    const shown = items.slice(0, max).join(', ');
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}


/***/ }),

/***/ 5899:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DT: () => (/* binding */ describeChanges),
/* harmony export */   N6: () => (/* binding */ HOOK_ORDER)
/* harmony export */ });
/* unused harmony exports PER_INSTANCE_LINES_MAX, instanceStage, aggregateStages, overviewText */
/* harmony import */ var _appspec_lifecycle_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2704);
/* harmony import */ var _common_plural_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9627);
// What changed between two looks at a deployment, and the lines that tell the user. Pure.


/** Above this many instances, lifecycle progress is one aggregated line instead of a line per instance. */
const PER_INSTANCE_LINES_MAX = 10;
/** The order CodeDeploy runs hooks in (in-place, with and without a load balancer). */
const HOOK_ORDER = _appspec_lifecycle_js__WEBPACK_IMPORTED_MODULE_0__/* .LIFECYCLE_EVENTS */ .DX;
const DONE = new Set(['Succeeded', 'Skipped']);
/** Where one instance is: the event it runs or waits for next, or its final state. */
function instanceStage(instance) {
    const { status, events } = instance;
    if (status === 'Failed') {
        const failed = events.find((e) => e.status === 'Failed');
        return failed ? `Failed at ${failed.name}` : 'Failed';
    }
    if (status === 'Succeeded' || status === 'Skipped' || status === 'Ready')
        return status;
    const running = events.find((e) => e.status === 'InProgress');
    if (running)
        return running.name;
    const lastDone = events.map((e) => DONE.has(e.status)).lastIndexOf(true);
    const next = lastDone >= 0 ? events.slice(lastDone + 1).find((e) => e.status === 'Pending') : undefined;
    return next ? next.name : status;
}
function stageRank(stage) {
    const hook = HOOK_ORDER.indexOf(stage);
    if (hook >= 0)
        return hook + 1;
    if (stage === 'Pending')
        return 0;
    if (stage === 'Succeeded' || stage === 'Ready' || stage === 'Skipped')
        return 100;
    if (stage.startsWith('Failed'))
        return 101;
    return 50;
}
/** Instances per stage, in hook order: "ApplicationStart: 12 instances, ValidateService: 3". */
function aggregateStages(instances) {
    const counts = new Map();
    for (const i of instances) {
        const stage = instanceStage(i);
        counts.set(stage, (counts.get(stage) ?? 0) + 1);
    }
    const ordered = [...counts.entries()].sort((a, b) => stageRank(a[0]) - stageRank(b[0]) || a[0].localeCompare(b[0]));
    // Only the first count names its unit: "Install: 3 instances, AfterInstall: 1".
    return ordered
        .map(([stage, n], idx) => (idx === 0 ? `${stage}: ${(0,_common_plural_js__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .L)(n, 'instance')}` : `${stage}: ${n}`))
        .join(', ');
}
const OVERVIEW_WORDS = [
    ['Succeeded', 'succeeded'],
    ['Failed', 'failed'],
    ['InProgress', 'in progress'],
    ['Pending', 'pending'],
    ['Skipped', 'skipped'],
    ['Ready', 'ready']
];
function overviewText(o) {
    const parts = OVERVIEW_WORDS.filter(([k]) => o[k] > 0).map(([k, word]) => `${o[k]} ${word}`);
    return parts.length ? parts.join(', ') : 'none yet';
}
function sameOverview(a, b) {
    if (!a || !b)
        return a === b;
    return OVERVIEW_WORDS.every(([k]) => a[k] === b[k]);
}
function instanceLine(id, instance) {
    const stage = instanceStage(instance);
    const who = instance.label ? `${instance.instanceId} (${instance.label})` : instance.instanceId;
    if (stage.startsWith('Failed at')) {
        const failed = instance.events.find((e) => e.status === 'Failed');
        const code = failed?.errorCode ? ` (${failed.errorCode})` : '';
        return `${id} ${who}: ${stage}${code}`;
    }
    return `${id} ${who}: ${stage}`;
}
/** Per label for blue/green ("Green: Install: 3 instances; Blue: Pending: 3 instances"), else one list. */
function aggregateByLabel(instances) {
    const labels = [...new Set(instances.map((i) => i.label ?? ''))];
    if (labels.length === 1 && labels[0] === '')
        return aggregateStages(instances);
    return labels
        .sort((a, b) => (a === 'Green' ? -1 : b === 'Green' ? 1 : a.localeCompare(b)))
        .map((l) => `${l || 'Unlabelled'}: ${aggregateStages(instances.filter((i) => (i.label ?? '') === l))}`)
        .join('; ');
}
/** The lines to print for `next`, given what was printed for `prev`; empty when nothing changed. */
function describeChanges(deploymentId, prev, next) {
    const lines = [];
    if (!prev || prev.status !== next.status) {
        lines.push(prev
            ? `${deploymentId}: ${next.status} (was ${prev.status})`
            : `${deploymentId}: ${next.status}`);
    }
    if (next.overview && !sameOverview(prev?.overview, next.overview)) {
        lines.push(`${deploymentId} instances: ${overviewText(next.overview)}`);
    }
    if (next.instances) {
        if (next.instances.length <= PER_INSTANCE_LINES_MAX) {
            const before = new Map((prev?.instances ?? []).map((i) => [i.instanceId, instanceStage(i)]));
            for (const i of next.instances) {
                if (before.get(i.instanceId) !== instanceStage(i))
                    lines.push(instanceLine(deploymentId, i));
            }
        }
        else {
            const text = aggregateByLabel(next.instances);
            if (!prev?.instances || aggregateByLabel(prev.instances) !== text) {
                lines.push(`${deploymentId} lifecycle events: ${text}`);
            }
        }
    }
    return lines;
}


/***/ }),

/***/ 5127:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ buildCreateDeploymentInput)
/* harmony export */ });
function buildCreateDeploymentInput(settings, group, revision) {
    const input = {
        applicationName: settings.application,
        deploymentGroupName: group,
        revision: {
            revisionType: 'S3',
            s3Location: {
                bucket: revision.bucket,
                key: revision.key,
                bundleType: revision.bundleType,
                ...(revision.eTag ? { eTag: revision.eTag } : {}),
                ...(revision.version ? { version: revision.version } : {})
            }
        },
        description: settings.description,
        ignoreApplicationStopFailures: settings.ignoreApplicationStopFailures,
        updateOutdatedInstancesOnly: settings.updateOutdatedInstancesOnly
    };
    if (settings.deploymentConfig)
        input.deploymentConfigName = settings.deploymentConfig;
    if (settings.fileExistsBehavior)
        input.fileExistsBehavior = settings.fileExistsBehavior;
    if (settings.autoRollback !== undefined) {
        input.autoRollbackConfiguration = settings.autoRollback
            ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }
            : { enabled: false };
    }
    return input;
}


/***/ }),

/***/ 5005:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $x: () => (/* binding */ failedInstancesOf),
/* harmony export */   Bv: () => (/* binding */ firstCauseText),
/* harmony export */   x6: () => (/* binding */ distinctCauses),
/* harmony export */   xV: () => (/* binding */ reportFailure),
/* harmony export */   xv: () => (/* binding */ causeText)
/* harmony export */ });
/* unused harmony exports LOGGED_INSTANCES_MAX, ANNOTATED_CAUSES_MAX, adviceText, causeWithAdvice, quoteLogTail */
/* harmony import */ var _common_plural_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9627);

/** Log groups shown one per failed instance; beyond this the rest are summed up (causes still annotated). */
const LOGGED_INSTANCES_MAX = 30;
/** GitHub shows at most 10 error annotations per step; keep room for the step's own failure line. */
const ANNOTATED_CAUSES_MAX = 8;
function failedInstancesOf(instances) {
    return instances
        .filter((i) => i.status === 'Failed' || i.events.some((e) => e.status === 'Failed'))
        .map((i) => {
        const e = i.events.find((ev) => ev.status === 'Failed');
        return {
            instanceId: i.instanceId,
            ...(i.label ? { label: i.label } : {}),
            lifecycleEvent: e?.name ?? '',
            errorCode: e?.errorCode ?? '',
            script: e?.script ?? '',
            message: e?.message ?? '',
            logTail: e?.logTail ?? ''
        };
    });
}
/** Failed instances grouped by what went wrong (event, error code, script, message), most frequent first. */
function distinctCauses(failed) {
    const byKey = new Map();
    for (const f of failed) {
        const key = JSON.stringify([f.lifecycleEvent, f.errorCode, f.script, f.message]);
        const cause = byKey.get(key);
        if (cause)
            cause.instanceIds.push(f.instanceId);
        else
            byKey.set(key, {
                ...pick(f),
                instanceIds: [f.instanceId],
                ...(f.explanation ? { explanation: f.explanation } : {}),
                ...(f.advice ? { advice: f.advice } : {})
            });
    }
    return [...byKey.values()].sort((a, b) => b.instanceIds.length - a.instanceIds.length);
}
function pick(f) {
    return {
        lifecycleEvent: f.lifecycleEvent,
        errorCode: f.errorCode,
        script: f.script,
        message: f.message
    };
}
/** "BeforeInstall ScriptFailed in scripts/x.sh": the first cause, for a one-line message. */
function firstCauseText(c) {
    const inScript = c.script ? ` in ${c.script}` : '';
    return `${c.lifecycleEvent} ${c.errorCode}${inScript}`;
}
/** "ValidateService failed on 3 instances (i-1, i-2, i-3): ScriptFailed in scripts/check.sh: <message>" */
function causeText(c) {
    const where = c.lifecycleEvent ? `${c.lifecycleEvent} failed` : 'Failed';
    const n = c.instanceIds.length;
    const instances = n === 1 ? 'instance' : `${n} instances`;
    const on = `on ${instances} (${(0,_common_plural_js__WEBPACK_IMPORTED_MODULE_0__/* .firstAndMore */ .f)(c.instanceIds, 5)})`;
    const what = [c.errorCode, c.script ? `in ${c.script}` : ''].filter(Boolean).join(' ');
    const base = `${where} ${on}${what ? `: ${what}` : ''}${c.message ? `: ${c.message}` : ''}`;
    return c.explanation ? `${base.replace(/\.?$/, '.')} ${c.explanation}` : base;
}
/** " Cause. Fix: …" after a failure's own words, or '' when no rule knows it. */
function adviceText(a) {
    return a ? ` ${a.cause} Fix: ${a.fix}` : '';
}
/** The cause's line with its advice: for an annotation. */
function causeWithAdvice(c) {
    const base = causeText(c);
    return c.advice ? `${base.replace(/\.?$/, '.')}${adviceText(c.advice)}` : base;
}
/**
 * Script output is untrusted: the runner treats a line starting with "::" (after spaces) as a workflow command.
 * A visible prefix on every line keeps it plain text.
 */
function quoteLogTail(logTail) {
    return logTail
        .replace(/\r\n?/g, '\n')
        .replace(/\n+$/, '')
        .split('\n')
        .map((l) => `| ${l}`)
        .join('\n');
}
function oneLine(text) {
    return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
/** Prints the diagnosis: CodeDeploy's own error, a group per failed instance, one error annotation per distinct cause. */
function reportFailure(log, deploymentId, info, failed, url, advice) {
    const ei = info.errorInformation;
    const status = info.status ?? 'Failed';
    log.info(`Deployment ${deploymentId} ${status}${ei?.code || ei?.message ? `: ${[ei.code, ei.message].filter(Boolean).join(': ')}` : ''}`);
    for (const f of failed.slice(0, LOGGED_INSTANCES_MAX)) {
        log.startGroup(`${f.instanceId}${f.label ? ` (${f.label})` : ''}: ${f.lifecycleEvent || 'failed'}${f.errorCode ? ` (${f.errorCode})` : ''}`);
        log.info(`Lifecycle event: ${f.lifecycleEvent || '(unknown)'}`);
        log.info(`Error code: ${f.errorCode || '(none)'}`);
        log.info(`Script: ${f.script || '(none)'}`);
        log.info(`Message: ${oneLine(f.message) || '(none)'}`);
        if (f.explanation)
            log.info(`Load balancer: ${f.explanation}`);
        if (f.advice)
            log.info(`Cause: ${f.advice.cause}\nFix: ${f.advice.fix}`);
        log.info(f.logTail ? `Log tail:\n${quoteLogTail(f.logTail)}` : 'Log tail: (empty)');
        log.endGroup();
    }
    if (failed.length > LOGGED_INSTANCES_MAX) {
        log.info(`${failed.length - LOGGED_INSTANCES_MAX} more failed instances are not shown one by one; every cause is annotated below and all are in the failed-instances output.`);
    }
    const causes = distinctCauses(failed);
    const title = `CodeDeploy deployment ${deploymentId} ${status.toLowerCase()}`;
    // Each cause ends with the catalogue's fix when a rule knows it (a silent agent: what to check).
    for (const c of causes.slice(0, ANNOTATED_CAUSES_MAX))
        log.error(causeWithAdvice(c), { title });
    if (causes.length > ANNOTATED_CAUSES_MAX) {
        const rest = causes.slice(ANNOTATED_CAUSES_MAX);
        const n = rest.reduce((sum, c) => sum + c.instanceIds.length, 0);
        log.error(`${rest.length} more distinct causes on ${n} instances: see the log and the failed-instances output.`, { title });
    }
    if (causes.length === 0 && ei) {
        log.error(`${[ei.code, ei.message].filter(Boolean).join(': ') || status}${adviceText(advice)}`, {
            title
        });
    }
    log.info(`Console: ${url}`);
}


/***/ }),

/***/ 9747:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/log.ts
var common_log = __webpack_require__(1095);
// EXTERNAL MODULE: ./src/settings/constants.ts
var constants = __webpack_require__(6804);
;// CONCATENATED MODULE: ./src/report/outputs.ts

/** Known once the bundle is built and the key rendered (a dry run included). */
function bundleOutputs(bundle, key) {
    return [
        [constants/* Output */.k7.BundlePath, bundle.path],
        [constants/* Output */.k7.BundleSha256, bundle.sha256],
        [constants/* Output */.k7.BundleSize, String(bundle.size)],
        [constants/* Output */.k7.BundleKey, key.key],
        [constants/* Output */.k7.BundleUri, key.uri]
    ];
}
function uploadOutputs(upload) {
    return [
        [constants/* Output */.k7.BundleEtag, upload.etag],
        [constants/* Output */.k7.BundleVersion, upload.versionId ?? ''],
        [constants/* Output */.k7.BundleUploaded, String(upload.uploaded)]
    ];
}
/** Whether if-newer-deployed: skip skipped the run (a newer commit is deployed). */
function skippedOutputs(skipped) {
    return [[constants/* Output */.k7.Skipped, String(skipped)]];
}
/** A dry run deploys nothing: the status is set, and empty. */
function dryRunOutputs() {
    return [[constants/* Output */.k7.DeploymentStatus, '']];
}
/** As soon as a deployment exists, before waiting: a cancelled run still tells its id. */
function createdOutputs(deploymentId) {
    return [[constants/* Output */.k7.DeploymentId, deploymentId]];
}
function previousFields(p) {
    return { previousDeploymentId: p?.deploymentId ?? '', previousCommit: p?.commit ?? '' };
}
/** The deployments' end: the last created one's id, status and link, and every group's. */
function deploymentOutputs(result, previousOf = () => undefined) {
    const created = result.groups.filter((g) => g.id);
    const last = created[created.length - 1];
    const rollback = [...created].reverse().find((g) => g.rollbackId);
    return [
        ...(last
            ? [
                [constants/* Output */.k7.DeploymentId, last.id],
                [constants/* Output */.k7.DeploymentStatus, last.status],
                [constants/* Output */.k7.DeploymentUrl, last.url]
            ]
            : []),
        [
            constants/* Output */.k7.Deployments,
            JSON.stringify(created.map((g) => ({
                group: g.group,
                id: g.id,
                status: g.status,
                url: g.url,
                ...previousFields(previousOf(g.group)),
                advice: g.advice ? `${g.advice.cause} Fix: ${g.advice.fix}` : ''
            })))
        ],
        [constants/* Output */.k7.RollbackDeploymentId, rollback?.rollbackId ?? ''],
        [
            constants/* Output */.k7.FailedInstances,
            JSON.stringify(created.flatMap((g) => g.failedInstances.map((f) => ({
                group: g.group,
                deploymentId: g.id,
                instanceId: f.instanceId,
                ...(f.label ? { label: f.label } : {}),
                lifecycleEvent: f.lifecycleEvent,
                errorCode: f.errorCode,
                script: f.script,
                message: f.message,
                ...(f.explanation ? { explanation: f.explanation } : {}),
                advice: f.advice?.fix ?? ''
            }))))
        ],
        [
            constants/* Output */.k7.DeletedReplacementFleet,
            created
                .map((g) => (g.replacementFleet?.deleted ? g.replacementFleet.name : ''))
                .filter(Boolean)
                .join('\n')
        ]
    ];
}

// EXTERNAL MODULE: ./src/common/plural.ts
var plural = __webpack_require__(9627);
;// CONCATENATED MODULE: ./src/report/escape.ts
// The one escaper for the job summary. Names, paths, appspec text, AWS messages and script output
// are untrusted: none may add HTML, break a table cell or close a code fence. One function per
// place text can go in Markdown.
/** Inside HTML (a <pre>, a <summary>) and as the first step of `text`. */
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;');
}
/** Running text, a heading or a table cell: no HTML, no Markdown emphasis or links, one line. */
function escapeText(text) {
    return escapeHtml(text)
        .replace(/[\r\n]+/g, ' ')
        .replace(/([\\`*_[\]|~])/g, '\\$1');
}
/**
 * A code span, also safe in a table cell. Markdown shows a code span's content literally (no
 * HTML), except that GitHub splits table cells on '|' first, so that one is escaped.
 */
function codeSpan(text) {
    return `\`${text
        .replace(/`/g, "'")
        .replace(/[\r\n]+/g, ' ')
        .replace(/\|/g, '\\|')}\``;
}
/** Lines inside a ``` fence: a line cannot close it. */
function inFence(text) {
    return text.replace(/```/g, '`\u200b``');
}

;// CONCATENATED MODULE: ./src/report/appspec-section.ts
// Findings as the user sees them: one log line each, an annotation, and a job summary section.


/**
 * `appspec.yml:12:5: <message> <fix>`. `displayPath` maps a bundle path to the path the user
 * edits (e.g. prefixing the `source` folder); by default the bundle path is shown.
 */
function formatFinding(finding, displayPath = (f) => f) {
    return `${where(finding, displayPath)}: ${finding.message} ${finding.fix}`;
}
/** Properties for an `::error file=...,line=...` or `::warning` annotation. */
function annotationOf(finding, displayPath = (f) => f) {
    return {
        title: finding.severity === 'error' ? 'appspec error' : 'appspec warning',
        file: displayPath(finding.file),
        ...(finding.line !== undefined ? { startLine: finding.line } : {}),
        ...(finding.column !== undefined ? { startColumn: finding.column } : {})
    };
}
/** Each finding as a log line and an annotation on the file and line: errors as errors, advice as warnings. */
function logFindings(report, log, displayPath) {
    for (const f of report.findings) {
        const line = formatFinding(f, displayPath);
        if (f.severity === 'error')
            log.error(line, annotationOf(f, displayPath));
        else
            log.warning(line, annotationOf(f, displayPath));
    }
}
/**
 * "2 problems the agent fails on, 1 warning of advice": failures (the agent refuses the bundle)
 * counted apart from advice (the agent deploys it, perhaps not as meant).
 */
function countFindings(findings) {
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    return `${(0,plural/* plural */.L)(errors, 'problem')} the agent fails on, ${(0,plural/* plural */.L)(warnings, 'warning')} of advice`;
}
/** A Markdown section for the job summary. */
function summaryMarkdown(report, displayPath = (f) => f) {
    const title = `### appspec: ${escapeText(report.appspecPath ? displayPath(report.appspecPath) : 'appspec.yml')}`;
    const lines = [title, ''];
    if (report.findings.length === 0) {
        lines.push(`No problems found. ${(0,plural/* plural */.L)(report.hookScripts.length, 'hook script')} checked${report.hookScripts.length ? `: ${report.hookScripts.map(codeSpan).join(', ')}` : ''}.`);
    }
    else {
        lines.push(`${countFindings(report.findings)}.`, '');
        lines.push('| | Where | Problem | Fix |', '|---|---|---|---|');
        for (const f of report.findings) {
            const icon = f.severity === 'error' ? ':x: error' : ':warning: warning';
            lines.push(`| ${icon} | ${codeSpan(where(f, displayPath))} | ${escapeText(f.message)} | ${escapeText(f.fix)} |`);
        }
    }
    if (report.appspec && report.appspec.hooks.length > 0) {
        lines.push('', '| Lifecycle event | Scripts |', '|---|---|');
        for (const hook of report.appspec.hooks) {
            const scripts = hook.scripts.map((s) => `${codeSpan(s.location)} (${s.timeout} s${s.runas ? `, as ${escapeText(s.runas)}` : ''})`);
            lines.push(`| ${escapeText(hook.event)} | ${scripts.join(', ')} |`);
        }
    }
    return `${lines.join('\n')}\n`;
}
function where(finding, displayPath) {
    const file = displayPath(finding.file);
    if (finding.line === undefined)
        return file;
    return finding.column === undefined
        ? `${file}:${finding.line}`
        : `${file}:${finding.line}:${finding.column}`;
}

;// CONCATENATED MODULE: ./src/report/bundle-listing.ts
// The bundle listing printed to the log: one line per entry, like `ls -l`, then totals.

function listingTotals(entries) {
    const totals = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
    for (const e of entries) {
        if (e.type === 'file') {
            totals.files++;
            totals.bytes += e.size;
        }
        else if (e.type === 'directory')
            totals.directories++;
        else
            totals.symlinks++;
    }
    return totals;
}
/**
 * Lines such as `-rwxr-xr-x      412  deploy.sh`, `lrwxrwxrwx        0  current -> releases/1`,
 * then one totals line. With `maxEntries`, longer listings are cut and say how many were left out.
 */
function renderListing(entries, options = {}) {
    const shown = entries.slice(0, options.maxEntries ?? entries.length);
    const width = Math.max(1, ...shown.map((e) => String(e.size).length));
    const lines = shown.map((e) => {
        const name = e.type === 'directory' ? `${e.path}/` : e.path;
        const link = e.type === 'symlink' ? ` -> ${e.linkTarget ?? ''}` : '';
        return `${modeString(e)} ${String(e.size).padStart(width)}  ${name}${link}`;
    });
    const hidden = entries.length - shown.length;
    if (hidden > 0)
        lines.push(`… and ${hidden} more ${hidden === 1 ? 'entry' : 'entries'}`);
    lines.push(totalsLine(listingTotals(entries)));
    return lines;
}
function totalsLine(t) {
    const parts = [(0,plural/* plural */.L)(t.files, 'file'), (0,plural/* plural */.L)(t.directories, 'folder')];
    if (t.symlinks > 0)
        parts.push((0,plural/* plural */.L)(t.symlinks, 'symlink'));
    return `${parts.join(', ')}; ${(0,plural/* plural */.L)(t.bytes, 'byte')} of content (${humanBytes(t.bytes)})`;
}
function modeString(e) {
    const type = e.type === 'directory' ? 'd' : e.type === 'symlink' ? 'l' : '-';
    const bits = 'rwxrwxrwx';
    let out = type;
    for (let i = 0; i < 9; i++)
        out += e.mode & (1 << (8 - i)) ? bits[i] : '-';
    return out;
}
function humanBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

// EXTERNAL MODULE: ./src/advice/agent-checks.ts
var agent_checks = __webpack_require__(9807);
// EXTERNAL MODULE: ./src/deploy/run/diagnose.ts
var diagnose = __webpack_require__(5005);
// EXTERNAL MODULE: ./src/deploy/codedeploy/progress.ts
var progress = __webpack_require__(5899);
// EXTERNAL MODULE: ./src/common/duration.ts
var duration = __webpack_require__(5541);
;// CONCATENATED MODULE: ./src/report/deployments-section.ts
// The deployments part of the job summary (Markdown). Pure. Script output is untrusted: everything is escaped.






/** GitHub refuses a step summary over 1 MiB; this leaves room for the bundle and S3 parts. */
const SUMMARY_BUDGET_BYTES = 900 * 1024;
const DEFAULT_LIMITS = {
    failedRows: 100,
    otherRows: 20,
    logTails: 10,
    logTailChars: 4096,
    causes: 20
};
const FALLBACK_LIMITS = [
    { failedRows: 50, otherRows: 10, logTails: 5, logTailChars: 2048, causes: 10 },
    { failedRows: 10, otherRows: 5, logTails: 2, logTailChars: 1024, causes: 5 },
    { failedRows: 0, otherRows: 0, logTails: 0, logTailChars: 0, causes: 3 }
];
const STATUS_ICON = {
    Succeeded: '✅',
    Failed: '❌',
    Stopped: '⏹️',
    Skipped: '⏭️',
    InProgress: '⏳',
    Pending: '⏸️',
    Created: '🆕',
    Queued: '⏸️',
    Ready: '⏳',
    Baking: '⏳'
};
function icon(status) {
    return STATUS_ICON[status] ?? '❔';
}
function groupStatusText(g) {
    switch (g.outcome) {
        case 'not-attempted':
            return 'not attempted';
        case 'timed-out':
            return `⏱️ timed out${g.status ? ` (${g.status})` : ''}`;
        case 'cancelled':
            return `🚫 cancelled${g.status ? ` (${g.status})` : ''}`;
        case 'rerouted':
            return `🔀 traffic rerouted (${g.status})`;
        case 'ready':
            return `⏸️ Ready: waiting for the traffic switch`;
        case 'skipped':
            return `⏭️ skipped: a newer commit is deployed`;
        default:
            return `${icon(g.status)} ${g.status}`;
    }
}
function durationOf(start, end) {
    return start && end ? (0,duration/* formatDuration */.a)(end.getTime() - start.getTime()) : '';
}
function instanceCounts(instances) {
    const counts = new Map();
    for (const i of instances)
        counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
    return [...counts.entries()].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
}
/** Event names across instances, in hook order, unknown names after in first-seen order. */
function eventColumns(instances) {
    const seen = [];
    for (const i of instances)
        for (const e of i.events)
            if (!seen.includes(e.name))
                seen.push(e.name);
    const rank = (n) => {
        const r = progress/* HOOK_ORDER */.N6.indexOf(n);
        return r >= 0 ? r : progress/* HOOK_ORDER */.N6.length + seen.indexOf(n);
    };
    return seen.sort((a, b) => rank(a) - rank(b));
}
function eventCell(e) {
    if (!e)
        return '';
    const d = durationOf(e.startedAt, e.endedAt);
    return `${icon(e.status)}${d ? ` ${d}` : ''}`;
}
function instanceTable(instances, columns) {
    // Blue/green: which instances are the original (Blue) and which the replacement (Green).
    const labelled = instances.some((i) => i.label);
    const lines = [
        `| Instance |${labelled ? ' Fleet |' : ''} Status | ${columns.map(escapeText).join(' | ')} |`,
        `|---|${labelled ? '---|' : ''}---|${columns.map(() => '---|').join('')}`
    ];
    for (const i of instances) {
        const cells = columns.map((c) => eventCell(i.events.find((e) => e.name === c)));
        const labelCell = labelled ? ` ${LABEL_TEXT[i.label ?? ''] ?? escapeText(i.label ?? '')} |` : '';
        lines.push(`| ${escapeText(i.instanceId)} |${labelCell} ${icon(i.status)} ${escapeText(i.status)} | ${cells.join(' | ')} |`);
    }
    return lines;
}
const LABEL_TEXT = {
    Blue: '🔵 Blue (original)',
    Green: '🟢 Green (replacement)'
};
function median(sorted) {
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
/** Per event across the deployment's instances: how many instances ended how, and how long it took. */
function eventStatsTable(instances, columns) {
    const lines = [
        '| Event | Succeeded | Failed | Skipped | Other | Median | Slowest |',
        '|---|---|---|---|---|---|---|'
    ];
    for (const c of columns) {
        let ok = 0;
        let failed = 0;
        let skipped = 0;
        let other = 0;
        const durations = [];
        for (const i of instances) {
            const e = i.events.find((ev) => ev.name === c);
            if (!e)
                continue;
            if (e.status === 'Succeeded')
                ok++;
            else if (e.status === 'Failed')
                failed++;
            else if (e.status === 'Skipped')
                skipped++;
            else
                other++;
            if (e.startedAt && e.endedAt)
                durations.push(e.endedAt.getTime() - e.startedAt.getTime());
        }
        durations.sort((a, b) => a - b);
        const med = durations.length ? (0,duration/* formatDuration */.a)(median(durations)) : '';
        const max = durations.length ? (0,duration/* formatDuration */.a)(durations[durations.length - 1] ?? 0) : '';
        lines.push(`| ${escapeText(c)} | ${ok} | ${failed} | ${skipped} | ${other} | ${med} | ${max} |`);
    }
    return lines;
}
function deployments_section_link(text, url) {
    return url ? `[${escapeText(text)}](${url})` : escapeText(text);
}
function renderGroup(g, limits, region) {
    const out = [
        '',
        `#### ${groupStatusText(g)} ${escapeText(g.group)}: ${deployments_section_link(g.id, g.url)}`,
        ''
    ];
    const duration = durationOf(g.startedAt, g.endedAt);
    if (duration)
        out.push(`Duration: ${duration}`, '');
    if (g.plan)
        out.push(`Plan: ${escapeText(g.plan)}`, '');
    if (g.traffic)
        out.push(`Traffic: ${escapeText(g.traffic)}`, '');
    if (g.replacementFleet)
        out.push(`Replacement fleet: ${g.replacementFleet.deleted ? '🗑️ deleted. ' : '⚠️ still running. '}${escapeText(g.replacementFleet.note)}`, '');
    const ei = g.errorInformation;
    // The error already quotes CodeDeploy's errorInformation, and its fix points at the log: the message only.
    if (g.error)
        out.push(`**${escapeText(g.error.message)}**`, '');
    else if (ei?.code || ei?.message)
        out.push(`> ${escapeText([ei.code, ei.message].filter(Boolean).join(': '))}`, '');
    if (g.advice) {
        // The error's message already says the rule's cause; without an error, say it here.
        if (!g.error && g.advice.rule === ei?.code)
            out.push(`Why: ${escapeText(g.advice.cause)}`, '');
        out.push(`**How to fix:** ${escapeText(g.advice.fix)}`, '');
    }
    if (g.rollbackId) {
        out.push(`Rollback: ${deployments_section_link(g.rollbackId, g.rollbackUrl ?? '')}${g.rollbackStatus ? ` ${icon(g.rollbackStatus)} ${g.rollbackStatus}` : ''}`, '');
    }
    if (g.failedInstances.length) {
        out.push(`##### Failures (${(0,plural/* plural */.L)(g.failedInstances.length, 'instance')})`, '');
        const causes = (0,diagnose/* distinctCauses */.x6)(g.failedInstances);
        for (const c of causes.slice(0, limits.causes)) {
            out.push(`- ${escapeText((0,diagnose/* causeText */.xv)(c))}`);
            if (c.advice)
                out.push(`  - Why: ${escapeText(c.advice.cause)}`, `  - How to fix: ${escapeText(c.advice.fix)}`);
        }
        if (causes.length > limits.causes)
            out.push(`- …and ${causes.length - limits.causes} more distinct causes (see the failed-instances output)`);
        out.push('');
        for (const f of g.failedInstances.slice(0, limits.logTails)) {
            if (!f.logTail)
                continue;
            const tail = f.logTail.length > limits.logTailChars
                ? `…${f.logTail.slice(-limits.logTailChars)}`
                : f.logTail;
            out.push(`<details><summary>${escapeHtml(`${f.instanceId}: ${f.lifecycleEvent} ${f.errorCode}`)} (log tail)</summary>`, '', `<pre>${escapeHtml(tail)}</pre>`, '</details>', '');
        }
        const withTails = g.failedInstances.filter((f) => f.logTail).length;
        if (withTails > limits.logTails) {
            out.push(`_Log tails of ${withTails - limits.logTails} more failed instances are in the step log and the failed-instances output._`, '');
        }
    }
    out.push(...silentAgentsSection(g, limits, region));
    if (g.instances.length) {
        const columns = eventColumns(g.instances);
        const failed = g.instances.filter((i) => i.status === 'Failed');
        const others = g.instances.filter((i) => i.status !== 'Failed');
        const rows = [...failed.slice(0, limits.failedRows), ...others.slice(0, limits.otherRows)];
        out.push(`##### Instances (${escapeText(instanceCounts(g.instances))})`, '');
        if (rows.length)
            out.push(...instanceTable(rows, columns), '');
        const hidden = g.instances.length - rows.length;
        if (hidden > 0) {
            const hiddenFailed = Math.max(0, failed.length - limits.failedRows);
            const ofThem = hiddenFailed ? ` (${hiddenFailed} of them failed)` : '';
            out.push(`_${(0,plural/* plural */.L)(hidden, 'more instance')} not listed${ofThem}; every instance is counted below._`, '');
        }
        if (hidden > 0 || g.instances.length > limits.otherRows)
            out.push(...eventStatsTable(g.instances, columns), '');
    }
    return out;
}
/** Instances whose agent did not answer (found by the action, or failed so by CodeDeploy), and what to check. */
function silentAgentsSection(g, limits, region) {
    const silent = g.silentAgents ?? [];
    const failedSo = g.failedInstances.filter((f) => (0,agent_checks/* isAgentNotReceived */.Kq)(f.message));
    if (silent.length === 0 && failedSo.length === 0)
        return [];
    const out = [];
    if (silent.length) {
        out.push(`##### Silent agents (${(0,plural/* plural */.L)(silent.length, 'instance')})`, '', 'The CodeDeploy agent did not pick up its lifecycle event within agent-silence-timeout:', '');
        const rows = Math.max(limits.causes, 3);
        for (const s of silent.slice(0, rows)) {
            const who = s.label ? `${s.instanceId} (${s.label})` : s.instanceId;
            out.push(`- ${escapeText(who)}: ${escapeText(s.event)} waited ${(0,duration/* formatDuration */.a)(s.silentMs)}`);
        }
        if (silent.length > rows)
            out.push(`- …and ${silent.length - rows} more`);
        out.push('');
    }
    else {
        out.push('##### No agent answered', '');
        out.push(`CodeDeploy failed ${(0,plural/* plural */.L)(failedSo.length, 'instance')} because no CodeDeploy agent picked up the lifecycle event.`, '');
    }
    // Our own text; the region is validated input. Backticks stay code spans.
    const justLaunched = silent.length > 0 && silent.every((s) => s.label === 'Green');
    out.push('Check, in order:', '');
    (0,agent_checks/* agentChecks */.bc)(region, justLaunched).forEach((c, i) => out.push(`${i + 1}. ${escapeHtml(c)}`));
    out.push('');
    return out;
}
function render(result, limits) {
    const lines = [
        '### Deployments',
        '',
        '| Group | Deployment | Status | Duration | Instances |',
        '|---|---|---|---|---|'
    ];
    for (const g of result.groups) {
        lines.push(`| ${escapeText(g.group)} | ${g.id ? deployments_section_link(g.id, g.url) : '—'} | ${groupStatusText(g)} | ${durationOf(g.startedAt, g.endedAt)} | ${escapeText(instanceCounts(g.instances))} |`);
    }
    for (const g of result.groups)
        if (g.outcome !== 'not-attempted')
            lines.push(...renderGroup(g, limits, result.region ?? ''));
    return lines.join('\n') + '\n';
}
/** Markdown for the deployments; shrinks detail until it fits `budgetBytes`. */
function deploymentsMarkdown(result, limits = DEFAULT_LIMITS, budgetBytes = SUMMARY_BUDGET_BYTES) {
    let text = render(result, limits);
    for (const smaller of FALLBACK_LIMITS) {
        if (Buffer.byteLength(text) <= budgetBytes)
            break;
        text = render(result, smaller);
    }
    return text;
}

// EXTERNAL MODULE: ./src/revisions/order-policy.ts
var order_policy = __webpack_require__(2545);
;// CONCATENATED MODULE: ./src/report/changes-section.ts




function commitUrl(f, sha) {
    return `${f.serverUrl}/${f.ours.repository}/commit/${sha}`;
}
function compareUrl(f, base) {
    return `${f.serverUrl}/${f.ours.repository}/compare/${base}...${f.ours.commit}`;
}
function commitTable(f, commits, total) {
    if (commits.length === 0)
        return [];
    const rows = commits.map((c) => `| [${codeSpan((0,order_policy/* short */.h0)(c.sha))}](${commitUrl(f, c.sha)}) | ${escapeText(c.subject)} | ${escapeText(c.author)} |`);
    const more = total - commits.length;
    return [
        '',
        '| Commit | Message | Author |',
        '|---|---|---|',
        ...rows,
        ...(more > 0 ? [`| | … and ${(0,plural/* plural */.L)(more, 'older commit')} | |`] : [])
    ];
}
function groupLines(f, g) {
    const head = `**${escapeText(g.group)}**`;
    const p = g.previous;
    if (!p)
        return [`${head}: first deployment of this group (no earlier successful one).`];
    const prev = `deployment ${escapeText(p.deploymentId)}`;
    if (!p.commit)
        return [
            `${head}: the last successful ${prev} records no commit (${escapeText(p.unknown ?? 'not uploaded by this action')}).`
        ];
    const base = `${codeSpan((0,order_policy/* short */.h0)(p.commit))} (${prev})`;
    if (p.commit === f.ours.commit)
        return [`${head}: same commit as ${base}: nothing changed.`];
    if (p.repository && !(0,order_policy/* sameRepository */.RB)(p.repository, f.ours.repository))
        return [
            `${head}: ${base} is of ${escapeText(p.repository)}: commits of two repositories are not compared.`
        ];
    const answer = g.changes;
    if (!answer || 'unknown' in answer)
        return [
            `${head}: ${codeSpan((0,order_policy/* short */.h0)(f.ours.commit))} against ${base}; could not list the commits between (${escapeText(answer ? answer.unknown : 'they were not compared before the upload')}). [Compare](${compareUrl(f, p.commit)})`
        ];
    const c = answer.comparison;
    const link = `[Compare on GitHub](${compareUrl(f, p.commit)})`;
    switch (c.relation) {
        case 'identical':
            return [`${head}: same code as ${base}: nothing changed. ${link}`];
        case 'behind':
            return [
                `${head}: ${codeSpan((0,order_policy/* short */.h0)(f.ours.commit))} is ${(0,plural/* plural */.L)(c.behindBy, 'commit')} **older** than ${base}: deploying it takes them back. ${link}`
            ];
        case 'ahead':
        case 'diverged':
            return [
                `${head}: ${(0,plural/* plural */.L)(c.aheadBy, 'new commit')} since ${base}${c.relation === 'diverged' ? `, on a branch that lacks ${(0,plural/* plural */.L)(c.behindBy, 'commit')} of it (diverged)` : ''}. ${link}`,
                ...commitTable(f, c.commits, c.aheadBy)
            ];
    }
}
function changesSection(f) {
    if (f.groups.length === 0)
        return '';
    return ['### What changed', '', ...f.groups.flatMap((g) => [...groupLines(f, g), ''])]
        .join('\n')
        .trimEnd();
}

;// CONCATENATED MODULE: ./src/report/retention-section.ts
// The keep-revisions part of the job summary (Markdown): what was deleted, what was kept and why,
// and what went wrong. Pure; keys, reasons and AWS messages are escaped.


/** Rows per table: a first run on a full prefix deletes up to 1,000 bundles; the log lists each. */
const RETENTION_ROWS = 50;
function retentionSection(report) {
    if (report.keep <= 0)
        return '';
    const where = report.prefix ? `under ${codeSpan(report.prefix)}` : 'in the whole bucket';
    const lines = [
        `### Old revisions (keep-revisions: ${report.keep})`,
        '',
        `Deleted ${(0,plural/* plural */.L)(report.deleted.length, 'bundle')} ${where}, kept ${report.kept.length}.`
    ];
    if (report.warnings.length > 0)
        lines.push('', ...report.warnings.map((w) => `- :warning: ${escapeText(w)}`));
    const deleted = report.deleted.map((d) => ({
        ...d,
        last: d.lastModified ? d.lastModified.toISOString() : ''
    }));
    if (deleted.length > 0)
        lines.push('', ...table('Deleted', 'Last modified', deleted));
    const kept = report.kept.map((k) => ({ ...k, last: k.reason }));
    if (kept.length > 0)
        lines.push('', ...table('Kept', 'Why', kept));
    return `${lines.join('\n')}\n`;
}
/** A table of objects, with a version column only where a version is shown. */
function table(title, lastTitle, rows) {
    const versions = rows.some((r) => r.versionId);
    const head = versions ? `| ${title} | Version | ${lastTitle} |` : `| ${title} | ${lastTitle} |`;
    const out = [head, versions ? '|---|---|---|' : '|---|---|'];
    for (const r of rows.slice(0, RETENTION_ROWS)) {
        const version = versions ? ` ${r.versionId ? codeSpan(r.versionId) : ''} |` : '';
        out.push(`| ${codeSpan(r.key)} |${version} ${escapeText(r.last)} |`);
    }
    if (rows.length > RETENTION_ROWS)
        out.push('', `…and ${rows.length - RETENTION_ROWS} more (the step's log lists every one).`);
    return out;
}

;// CONCATENATED MODULE: ./src/report/summary.ts
// The job summary, as Markdown: bundle, appspec, S3 object, and each deployment (or the dry-run request).






/** Files listed in full up to this many; a bigger bundle is summarised so the page stays readable. */
const LISTED_ENTRIES = 200;
/** The whole job summary, rendered once, from what the run found out as far as it got. */
function renderSummary(settings, facts) {
    const { bundle } = facts;
    const parts = [title(settings)];
    if (facts.failure)
        parts.push(`> [!CAUTION]\n> ${escapeText(facts.failure)}`);
    if (facts.skipped)
        parts.push(`> [!NOTE]\n> ${escapeText(facts.skipped)}`);
    if (bundle)
        parts.push(bundleSection(bundle), summaryMarkdown(bundle.appspec, bundle.displayPath));
    if (facts.upload)
        parts.push(uploadSection(facts.upload));
    else if (settings.dryRun && facts.key)
        parts.push(keySection(settings, facts.key));
    const changes = facts.revisions && changesSection(facts.revisions);
    if (changes)
        parts.push(changes);
    if (facts.deployments)
        parts.push(deploymentsMarkdown(facts.deployments));
    if (facts.retention)
        parts.push(retentionSection(facts.retention));
    if (facts.dryRun)
        parts.push(requestSection(facts.dryRun));
    return parts.join('\n\n') + '\n';
}
/** The summary of a run whose bundle the appspec check refused: the findings, nothing else happened. */
function renderRejection(settings, failure, appspec, displayPath) {
    return ([
        title(settings),
        `> [!CAUTION]\n> ${escapeText(failure)}`,
        summaryMarkdown(appspec, displayPath)
    ].join('\n\n') + '\n');
}
function title(settings) {
    if (settings.continueDeployment)
        return `## CodeDeploy: ${escapeText(settings.application)} → ${settings.deploymentGroups.map(escapeText).join(', ')}: ${settings.continueDeployment.termination ? 'ending the termination wait of' : 'continuing'} ${escapeText(settings.continueDeployment.deploymentId)}`;
    return settings.dryRun
        ? `## CodeDeploy dry run: ${escapeText(settings.application)}`
        : `## CodeDeploy: ${escapeText(settings.application)} → ${settings.deploymentGroups.map(escapeText).join(', ')}`;
}
function bundleSection(bundle) {
    const files = bundle.entries.filter((e) => e.type !== 'directory');
    const rows = [
        '### Bundle',
        '',
        '| | |',
        '|---|---|',
        `| Archive | ${codeSpan(bundle.path)} (${bundle.type}${bundle.origin === 'archive' ? ', pre-built' : ''}) |`,
        `| Files | ${files.length} |`,
        `| Size | ${formatBytes(bundle.size)} (${bundle.size} bytes) |`,
        `| sha256 | \`${bundle.sha256}\` |`
    ];
    const listing = renderListing(bundle.entries, { maxEntries: LISTED_ENTRIES });
    rows.push('', '<details><summary>Files in the bundle</summary>', '', '```text', ...listing.map(inFence), '```', '', '</details>');
    return rows.join('\n');
}
function keySection(settings, key) {
    return [
        '### S3 object (dry run: not uploaded)',
        '',
        '| | |',
        '|---|---|',
        `| Bucket | ${settings.bucket ? `${codeSpan(settings.bucket)}` : '(not set)'} |`,
        `| Key | ${codeSpan(key.key)} |`
    ].join('\n');
}
function uploadSection(u) {
    return [
        '### S3 object',
        '',
        '| | |',
        '|---|---|',
        `| URI | ${codeSpan(u.uri)} |`,
        `| ETag | ${codeSpan(u.etag)} |`,
        `| Version | ${u.versionId ? `${codeSpan(u.versionId)}` : '(unversioned bucket)'} |`,
        `| Upload | ${u.uploaded ? 'uploaded' : 'reused: an identical object (same sha256) was already there'} |`
    ].join('\n');
}
function requestSection({ requests }) {
    return [
        '### CreateDeployment request (not sent: dry run)',
        '',
        '```json',
        inFence(JSON.stringify(requests.length === 1 ? requests[0] : requests, null, 2)),
        '```',
        '',
        "After the upload, the S3 location is also pinned by the object's eTag and version."
    ].join('\n');
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = bytes / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/common/compare-text.ts
var compare_text = __webpack_require__(2048);
;// CONCATENATED MODULE: ./src/appspec/bundle-index.ts
// The bundle as the agent sees it once unpacked: paths relative to the folder holding appspec.yml.

class RootedBundle {
    view;
    root;
    byPath = new Map();
    relPaths = [];
    /** `root` is '' for the bundle root, or the folder the agent strips ('dist'). */
    constructor(view, root) {
        this.view = view;
        this.root = root;
        const prefix = root ? `${root}/` : '';
        for (const entry of view.entries) {
            if (!entry.path.startsWith(prefix) || entry.path === root)
                continue;
            const rel = entry.path.slice(prefix.length);
            this.byPath.set(rel, entry);
            this.relPaths.push(rel);
        }
    }
    /** Bundle path of a root-relative path. */
    full(rel) {
        return this.root ? `${this.root}/${rel}` : rel;
    }
    entry(rel) {
        return this.byPath.get(rel);
    }
    /** Whether `rel` is an entry or a folder holding entries. */
    has(rel) {
        return this.byPath.has(rel) || this.relPaths.some((p) => p.startsWith(`${rel}/`));
    }
    /** Root-relative paths of files with this name, for "did you mean" fixes. */
    withBasename(name) {
        return this.relPaths.filter((p) => external_node_path_default().posix.basename(p) === name && this.byPath.get(p)?.type !== 'directory');
    }
    /** What the agent finds at `rel` once unpacked, following links as `File.directory?` does. */
    kind(rel, hops = 0) {
        if (rel === '')
            return 'directory';
        const entry = this.byPath.get(rel);
        if (!entry)
            return this.has(rel) ? 'directory' : 'missing';
        if (entry.type !== 'symlink')
            return entry.type;
        const target = this.linkTarget(rel);
        // A link the agent cannot follow is still copied, as a link.
        return target !== undefined && hops < 40 && this.kind(target, hops + 1) === 'directory'
            ? 'directory'
            : 'file';
    }
    /** Names directly inside the folder `rel` ('' for the root), sorted. */
    children(rel) {
        const prefix = rel ? `${rel}/` : '';
        const names = new Set();
        for (const p of this.relPaths) {
            if (p.startsWith(prefix) && p !== rel)
                names.add(p.slice(prefix.length).split('/')[0] ?? '');
        }
        names.delete('');
        return [...names].sort();
    }
    read(rel) {
        return this.view.read(this.full(rel));
    }
    /** The folder the agent walks for `rel`: a symlink's target inside this root, else `rel`. */
    followLink(rel) {
        return this.byPath.get(rel)?.type === 'symlink' ? (this.linkTarget(rel) ?? rel) : rel;
    }
    /**
     * Where a symlink at `rel` points, root-relative, or undefined when that is outside this root
     * (on the instance it would dangle: only the unpacked archive is there).
     */
    linkTarget(rel) {
        const target = this.byPath.get(rel)?.linkTarget;
        if (target === undefined || target.startsWith('/'))
            return undefined;
        const resolved = external_node_path_default().posix.normalize(external_node_path_default().posix.join(external_node_path_default().posix.dirname(rel), target));
        return resolved === '..' || resolved.startsWith('../') ? undefined : resolved;
    }
}
/**
 * A path from appspec.yml made root-relative the way the agent joins it to the archive folder:
 * leading '/' and './' are dropped. Undefined when it climbs out of the bundle with '..'.
 */
function rootRelative(location) {
    const normalized = external_node_path_default().posix.normalize(location.replace(/^\/+/, ''));
    if (normalized === '..' || normalized.startsWith('../'))
        return undefined;
    return normalized === '.' ? '' : normalized.replace(/\/+$/, '');
}
function resolveSource(source, bundle) {
    const parts = source.split('/').filter((p) => p !== '');
    // A trailing '/' asks for a folder, as `/.` does.
    if (/[^/]\/+$/.test(source))
        parts.push('.');
    let rel = '';
    for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1;
        if (rel === 'deployment-folder') {
            // It holds bundle.tar, deployment-archive/ and, once a hook has run, logs/.
            if (part === 'deployment-archive')
                rel = '';
            else if (part === 'bundle.tar' && !last)
                return { kind: 'error', errno: 'ENOTDIR' };
            else if (part === '..' || part === 'logs' || part === 'bundle.tar')
                return { kind: 'instance' };
            else if (part !== '.')
                return { kind: 'error', errno: 'ENOENT' };
            continue;
        }
        if (part === '.')
            continue;
        if (part === '..') {
            rel = rel === '' ? 'deployment-folder' : external_node_path_default().posix.dirname(rel).replace(/^\.$/, '');
            continue;
        }
        const next = rel ? `${rel}/${part}` : part;
        const kind = bundle.kind(next);
        if (kind === 'missing')
            return { kind: 'error', errno: 'ENOENT' };
        if (kind === 'file') {
            if (last)
                return { kind: 'file', rel: next };
            const target = bundle.entry(next)?.type === 'symlink' ? bundle.linkTarget(next) : next;
            const dangling = target === undefined || bundle.kind(target) === 'missing';
            return { kind: 'error', errno: dangling ? 'ENOENT' : 'ENOTDIR' };
        }
        rel = bundle.followLink(next);
    }
    return rel === 'deployment-folder' ? { kind: 'deployment-folder' } : { kind: 'directory', rel };
}

;// CONCATENATED MODULE: ./src/appspec/agent-words.ts
// The CodeDeploy agent's own messages (agent 1.8.1, lib/instance_agent/plugins/codedeploy/), word
// for word, so an error the action raises is the one the user would read in the console.
/** Where the agent unpacks a revision; the ids are known only on the instance. */
const ARCHIVE_DIR = '/opt/codedeploy-agent/deployment-root/<deployment-group-id>/<deployment-id>/deployment-archive';
const FIX_HOOKS = 'Specify the location in the hooks section of the AppSpec file, and then try again.';
const AGENT = {
    empty: "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.",
    version: (v) => `The deployment failed because an invalid version value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`,
    os: (os) => `The deployment failed because the application specification file specifies an unsupported operating system (${os}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`,
    fileExistsBehavior: (v) => `The deployment failed because an invalid file_exists_behavior value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`,
    noLocation: `The deployment failed because the application specification file specifies a script with no location value. ${FIX_HOOKS}`,
    badTimeout: 'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.',
    noSource: 'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.',
    noDestination: (source) => `The deployment failed because the application specification file specifies only a source file (${source}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`,
    noObject: 'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.',
    windowsPermissions: 'The deployment failed because the application specification file specifiles file permissions, but the deployment is targeting one or more Windows Server instances. Permissions are supported only for Amazon Linux, Ubuntu Server, and Red Hat Enterprise Linux (RHEL) instances. Update the permissions section of the AppSpec file, and then try again.',
    permissionType: (type) => `The deployment failed because the application specification filespecifies a permission for an object type not supported for permissions (${type}). Update the permissions section of the AppSpec file, and then try again.`,
    modeLength: (mode) => `The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.`,
    modeCharacter: (mode, char) => `The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${char}). Update the permissions section of the AppSpec file, and then try again.`,
    aclEntry: (ace) => `The deployment failed because of a problem with the acls permission settings in the application specification file. Invalid acl entry (${ace}).`,
    aclBaseEntry: (ace) => `The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (${ace}). Update the permissions section of the AppSpec file, and then try again.`,
    aclCharacter: (ace, char) => `The deployment failed because the access control list (ACL) named ${ace} in the application specification file contains an invalid character (${char}). Correct the ACL in the hooks section of the AppSpec file, and then try again.`,
    aclDefaultOnFile: 'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only. Update the AppSpec file, and then try again.',
    contextType: (context) => `The deployment failed because the application specification file specifies an invalid context type (${context}). Update the permissions section of the AppSpec file, and then try again.`,
    contextRange: (range) => `The deployment failed because of a problem with the SELinux range specified (${range}) for the context parameter in the permissions section of the application specification file. Make corrections in the permissions section of the AppSpec file, and then try again.`,
    filePattern: (object, pattern) => `The deployment failed because the application specification file includes an object (${object}) with an invalid pattern (${pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`,
    fileExcept: (except, object) => `The deployment failed because the except parameter for a pattern in the permissions section (${except}) for the object named ${object} contains an invalid format. Update the AppSpec file, and then try again.`,
    permissionTwice: (object) => `The deployment failed because the permissions setting for (${object}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`,
    twoSources: (source, other, destination) => `The deployment failed because the application specification file specifies two source files named ${source} and ${other} for the same destination (${destination}). Remove one of the source file paths from the AppSpec file, and then try again.`,
    fileOverFolder: (source, destination) => `The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${destination}). Update your AppSpec file or directory structure, and then try again.`,
    folderOverFile: (destination, source) => `The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${destination}) from (${source}). Update the files section of the AppSpec file, and then try again.`,
    unknownEvents: (file, events) => `${file} file contains unknown lifecycle events: ${events}`,
    notFound: (path) => `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "${path}".`,
    missingSource: (path) => `No such file or directory @ rb_sysopen - ${path}`,
    folderExists: (path) => `File exists @ dir_s_mkdir - ${path}`,
    notADirectory: (path) => `Not a directory @ rb_sysopen - ${path}`,
    /** Ruby's TypeError where the agent joins a path that YAML gave as another class. */
    notAString: (rubyClass) => `no implicit conversion of ${rubyClass} into String`,
    scriptMissing: (path) => `Script does not exist at specified location: ${path}`,
    /** hook_executor.rb, when a process the script left holds its stdout or stderr at the timeout. */
    outputLeftOpen: (location, stream) => `Script at specified location: ${location} failed to close ${stream}`,
    scriptError: (location, error, detail) => `Script at specified location: ${location} failed with error ${error} with message ${detail}`,
    aliases: (name) => `Unknown alias: ${name}`,
    disallowedClass: (name) => `Tried to load unspecified class: ${name}`
};

// EXTERNAL MODULE: ./src/appspec/lifecycle.ts
var lifecycle = __webpack_require__(2704);
;// CONCATENATED MODULE: ./src/appspec/ruby.ts
// How the CodeDeploy agent's Ruby sees the values YAML gives it: their class, `to_s`, `inspect`
// and `to_i`, so findings can say what the agent will do and quote its words exactly.
/** A Ruby Symbol (`:name`): YAML.load of Psych 4 allows them; they are not strings to the agent. */
class RubySymbol {
    name;
    constructor(name) {
        this.name = name;
    }
    /** Symbol#inspect: `:name` when the name is a plain identifier, else quoted. */
    inspect() {
        return /^[A-Za-z_][A-Za-z_0-9]*[?!]?$/.test(this.name)
            ? `:${this.name}`
            : `:${JSON.stringify(this.name)}`;
    }
}
/** Ruby's class name of a loaded YAML value. */
function rubyClass(value) {
    if (value === null || value === undefined)
        return 'NilClass';
    if (value === true)
        return 'TrueClass';
    if (value === false)
        return 'FalseClass';
    if (typeof value === 'string')
        return 'String';
    if (value instanceof RubySymbol)
        return 'Symbol';
    if (typeof value === 'number' || typeof value === 'bigint')
        return typeof value === 'number' && isFloat(value) ? 'Float' : 'Integer';
    if (Array.isArray(value))
        return 'Array';
    return 'Hash';
}
function isFloat(value) {
    return !Number.isInteger(value);
}
/** `value.inspect`. */
function rubyInspect(value) {
    if (value === null || value === undefined)
        return 'nil';
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (typeof value === 'number')
        return isFloat(value) ? floatText(value) : String(value);
    if (typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    if (value instanceof RubySymbol)
        return value.inspect();
    if (Array.isArray(value))
        return `[${value.map(rubyInspect).join(', ')}]`;
    const entries = Object.entries(value);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}=>${rubyInspect(v)}`).join(', ')}}`;
}
/** `"#{value}"`: strings as they are, nil empty, everything else as inspect. */
function rubyToS(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string')
        return value;
    if (value instanceof RubySymbol)
        return value.name;
    return rubyInspect(value);
}
/** Ruby's Float#to_s: whole numbers keep one decimal ("0.0", "1.0"). */
function floatText(value) {
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
/**
 * `String#to_i`: optional (ASCII) blanks and sign, then digits (single underscores between
 * them), else 0. A bigint: Ruby's Integers have no bound.
 */
function stringToI(text) {
    const match = /^[ \t\n\v\f\r]*([-+]?)([0-9]+(?:_[0-9]+)*)/.exec(text);
    if (!match)
        return 0n;
    const digits = BigInt((match[2] ?? '0').replaceAll('_', ''));
    return match[1] === '-' ? -digits : digits;
}
/**
 * `value.to_i` as the agent calls it on a script's timeout: a number, or the NoMethodError Ruby
 * raises for values without `to_i`.
 */
function rubyToI(value) {
    if (typeof value === 'number')
        return { value: Math.trunc(value) };
    if (typeof value === 'bigint')
        return { value: Number(value) };
    if (typeof value === 'string')
        return { value: Number(stringToI(value)) };
    return { error: noMethod('to_i', value) };
}
/** Ruby's NoMethodError message (first line) for calling `method` on `value`. */
function noMethod(method, value) {
    return `undefined method \`${method}' for ${rubyInspect(value)}:${rubyClass(value)}`;
}
/** `value['key']` as Ruby evaluates it on what YAML gave, or the error it raises. */
function rubyIndex(value, key) {
    // String#[] and Symbol#[] with a string: the substring when it occurs, else nil.
    const text = value instanceof RubySymbol ? value.name : value;
    if (typeof text === 'string')
        return { value: text.includes(key) ? key : null };
    if (Array.isArray(value) || typeof value === 'number' || typeof value === 'bigint')
        return { error: 'no implicit conversion of String into Integer' };
    if (isHash(value))
        return { value: value[key] };
    return { error: noMethod('[]', value) };
}
/** A Ruby Hash as YAML loads it (a mapping). */
function isHash(value) {
    return (typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        !(value instanceof RubySymbol));
}
/**
 * What `value.each { |item| ... }` hands its block: a list's items, a Hash's [key, value] pairs;
 * the NoMethodError for anything else.
 */
function rubyEach(value) {
    if (Array.isArray(value))
        return { items: value };
    if (isHash(value))
        return { items: Object.entries(value).map(([k, v]) => [k, v]) };
    return { error: noMethod('each', value) };
}
/** `value.has_key?(key)` on a script or permission entry: true/false or the NoMethodError. */
function rubyHasKey(value, key) {
    return isHash(value) ? { has: key in value } : { error: noMethod('has_key?', value) };
}
/**
 * What `File.join` makes of a value YAML gave where the agent expects a path: text as it is, a
 * list's items (nested ones too) joined by '/', or the name Ruby's TypeError gives anything else
 * (`no implicit conversion of <name> into String`: true, false and nil by value).
 */
function rubyPath(value) {
    if (typeof value === 'string')
        return { path: value };
    if (Array.isArray(value)) {
        const parts = [];
        for (const item of value) {
            const part = rubyPath(item);
            if ('notText' in part)
                return part;
            parts.push(part.path);
        }
        return {
            path: parts.reduce((joined, part, i) => (i === 0 ? part : fileJoin(joined, part)), '')
        };
    }
    if (value === true || value === false || value === null || value === undefined)
        return { notText: String(value ?? 'nil') };
    return { notText: rubyClass(value) };
}
/** Ruby's `File.join(dir, name)`: one '/' between them unless `name` brings its own. */
function fileJoin(dir, name) {
    const base = dir.replace(/\/+$/, '');
    return name.startsWith('/') ? `${base}${name}` : `${base}/${name}`;
}

;// CONCATENATED MODULE: ./src/appspec/check-permissions.ts
// The values of a permissions entry, read as the agent's ModeInfo, AceInfo, ContextInfo and
// RangeInfo read them (application_specification/*.rb): their errors in the agent's words.


const RUBY_FAILS = "The agent fails reading appspec.yml with Ruby's error";
/**
 * `mode`: the agent takes `mode.to_s`, pads it to three digits and accepts one to four octal
 * digits. YAML 1.1 reads an unquoted `0644` as the octal number 420, so the agent applies 420.
 */
function checkMode(mode, written, quoted) {
    let text = rubyToS(mode);
    while (text.length < 3)
        text = `0${text}`;
    const fix = 'Write the mode as three or four octal digits, e.g. `mode: 644` or `mode: "0644"`.';
    const octalRead = typeof mode === 'number' &&
        !quoted &&
        written !== undefined &&
        /^[+-]?0[0-7]+$/.test(written.trim());
    const readAs = octalRead
        ? ` (YAML reads the unquoted \`${written?.trim()}\` as the octal number ${written?.trim()}, which is ${text} in decimal)`
        : '';
    if (text.length > 4)
        return [{ severity: 'error', message: AGENT.modeLength(text) + readAs, fix }];
    const bad = [...text].find((c) => c < '0' || c > '7');
    if (bad !== undefined)
        return [{ severity: 'error', message: AGENT.modeCharacter(text, bad) + readAs, fix }];
    if (octalRead) {
        return [
            {
                severity: 'warning',
                message: `\`mode: ${written?.trim()}\` is read by YAML as the octal number ${written?.trim()}, which is ${text} in decimal: the agent applies mode ${text}, not ${written?.trim().replace(/^0+/, '')}.`,
                fix: `Write \`mode: ${written?.trim().replace(/^0+(?=\d{3})/, '')}\` (no leading zero) or quote it: \`mode: "${written?.trim()}"\`.`
            }
        ];
    }
    return [];
}
/** `acls`: each entry through AceInfo; a default entry (`d:`) is for folders only. */
function checkAcl(acls) {
    const fix = 'Write each entry as `[d:]u|g:<name>:<rwx>` (e.g. `u:ec2-user:rwx`), or `m::<rwx>` for the mask.';
    if (!Array.isArray(acls)) {
        // A map hands AceInfo its [key, value] pairs, which have no `split`.
        const error = isHash(acls)
            ? noMethod('split', Object.entries(acls)[0] ?? [])
            : noMethod('each', acls);
        return {
            entries: [],
            findings: [
                {
                    severity: 'error',
                    message: `${RUBY_FAILS}: ${error}.`,
                    fix: `List the entries: \`acls: ["u:ec2-user:rwx"]\`.`
                }
            ]
        };
    }
    const entries = [];
    const findings = [];
    for (const ace of acls) {
        if (typeof ace !== 'string') {
            findings.push({
                severity: 'error',
                message: `${RUBY_FAILS}: ${noMethod('split', ace)}.`,
                fix
            });
            continue;
        }
        const problem = aceProblem(ace);
        if (problem)
            findings.push({ severity: 'error', message: problem, fix });
        else
            entries.push({ text: ace, default: aceIsDefault(ace) });
    }
    if (entries.length > 0 && findings.length === 0) {
        findings.push({
            severity: 'warning',
            message: 'The agent applies `acls` with `setfacl --set`: the instance needs the setfacl command (package acl), or the install fails.',
            fix: 'Make sure the instance image has the acl package installed.'
        });
    }
    return { entries, findings };
}
function aceIsDefault(ace) {
    const parts = ace.split(':').reverse();
    return parts.length === 4 || ['d', 'default'].includes(parts[2] ?? '');
}
/** AceInfo.new's first failure for one entry, in the agent's words. */
function aceProblem(ace) {
    const invalid = AGENT.aclEntry(ace);
    const parts = ace.split(':').reverse();
    if (parts.length < 2 || parts.length > 4)
        return invalid;
    let isDefault = false;
    let type;
    let name = '';
    if (parts.length === 4) {
        if (!['d', 'default'].includes(parts[3] ?? ''))
            return invalid;
        isDefault = true;
    }
    if (parts.length >= 3) {
        const kind = parts[2] ?? '';
        if (['d', 'default'].includes(kind)) {
            if (isDefault)
                return invalid;
            isDefault = true;
        }
        else if (['m', 'mask'].includes(kind))
            type = 'mask';
        else if (['o', 'other'].includes(kind))
            type = 'other';
        else if (['g', 'group'].includes(kind))
            type = 'group';
        else if (['u', 'user'].includes(kind))
            type = 'user';
        else
            return invalid;
    }
    const who = parts[1] ?? '';
    if (['m', 'mask'].includes(who)) {
        if (type === undefined)
            type = 'mask';
        else
            name = 'mask';
    }
    else if (['o', 'other'].includes(who)) {
        if (type === undefined)
            type = 'other';
        else
            name = 'other';
    }
    else {
        type ??= 'user';
        name = who;
    }
    if ((type === 'mask' || type === 'other') && name !== '')
        return invalid;
    if (!isDefault && type !== 'mask' && name === '')
        return AGENT.aclBaseEntry(ace);
    const perms = parts[0] ?? '';
    if (perms.length === 1 && perms >= '0' && perms <= '7')
        return undefined;
    const bad = [...perms].find((c) => !'rwx-'.includes(c));
    return bad === undefined ? undefined : AGENT.aclCharacter(ace, bad);
}
/** `context`: a `type` is required; a `range` must be `s<n>[-s<n>][:c<n>[.c<n>],...]`. */
function checkContext(context) {
    const fix = 'Write it as `context:` with `type: <selinux type>` and optionally `name` and `range: s0`.';
    const type = rubyIndex(context, 'type');
    if ('error' in type)
        return [{ severity: 'error', message: `${RUBY_FAILS}: ${type.error}.`, fix }];
    if (type.value === null || type.value === undefined)
        return [{ severity: 'error', message: AGENT.contextType(rubyInspect(context)), fix }];
    const range = rubyIndex(context, 'range');
    if ('value' in range && range.value !== null && range.value !== undefined) {
        if (typeof range.value !== 'string')
            return [
                { severity: 'error', message: `${RUBY_FAILS}: ${noMethod('include?', range.value)}.`, fix }
            ];
        const problem = rangeProblem(range.value);
        if (problem)
            return [
                {
                    severity: 'error',
                    message: problem,
                    fix: 'Write the range as `s0`, `s0-s1` or `s0:c0.c5`.'
                }
            ];
    }
    return [
        {
            severity: 'warning',
            message: `The agent applies \`context\` with \`semanage fcontext\` and \`restorecon\`: the instance needs SELinux and its tools (policycoreutils), or the install fails.`,
            fix: 'Use `context` only on instances with SELinux enabled (RHEL, Amazon Linux with SELinux).'
        }
    ];
}
/** RangeInfo.new's first failure, in the agent's words. */
function rangeProblem(range) {
    try {
        const parts = splitParts(range, ':');
        const sensitivity = splitParts(parts[0] ?? '', '-');
        const low = sensitivityNumber(sensitivity[0]);
        if (sensitivity.length === 2 && sensitivityNumber(sensitivity[1]) < low)
            return AGENT.contextRange(range);
        if (parts.length === 2) {
            const categories = [];
            for (const part of (parts[1] ?? '').split(',')) {
                if (part.includes('.')) {
                    const [a = '', b = ''] = splitParts(part, '.');
                    const from = categoryNumber(a);
                    const to = categoryNumber(b);
                    if (to < from)
                        throw new Error(`invalid category range ${a}.${b}`);
                    for (let c = from; c <= to; c++)
                        categories.push(c);
                }
                else
                    categories.push(categoryNumber(part));
            }
            if (new Set(categories).size !== categories.length)
                throw new Error('duplicate categories');
        }
        return undefined;
    }
    catch (e) {
        return e.message;
    }
}
/** RangeInfo#ensure_parts: one part, or two around the first `separator`, none empty. */
function splitParts(input, separator) {
    const at = input.indexOf(separator);
    const parts = at < 0 ? [input] : [input.slice(0, at), input.slice(at + separator.length)];
    if (parts.some((p) => p === ''))
        throw new Error(`invalid range part ${input}`);
    return parts;
}
function sensitivityNumber(text) {
    if (text === undefined ||
        text.length < 2 ||
        !text.startsWith('s') ||
        !/^\d*$/.test(text.slice(1).replace('s', '')))
        throw new Error(`invalid sensitivity ${text ?? ''}`);
    return Number(text.slice(1).replace('s', '') || '0');
}
function categoryNumber(text) {
    const digits = text.slice(1).replace('c', '');
    if (text.length < 2 ||
        !text.startsWith('c') ||
        !/^\d*$/.test(digits) ||
        Number(digits || '0') > 1023)
        throw new Error(`invalid category ${text}`);
    return Number(digits || '0');
}

;// CONCATENATED MODULE: ./src/appspec/check-document.ts
// What appspec.yml says, read the way the agent's ApplicationSpecification reads it (agent 1.8.1,
// application_specification/*.rb): an error wherever the agent raises, in its words; a warning
// for what it accepts but does differently from what the text suggests. Where the agent calls a
// Ruby method the value lacks, its NoMethodError is the failure users see, so that is quoted too.





/** What an unknown top-level key costs when it was meant to be one of these. */
const IGNORED_CONSEQUENCE = {
    hooks: ', so none of the hooks under it run',
    files: ', so none of the files under it are copied'
};
const TOP_LEVEL_KEYS = ['version', 'os', 'files', 'permissions', 'hooks', 'file_exists_behavior'];
const SCRIPT_KEYS = ['location', 'timeout', 'runas', 'sudo'];
const PERMISSION_KEYS = [
    'object',
    'pattern',
    'except',
    'type',
    'owner',
    'group',
    'mode',
    'acls',
    'context'
];
const PERMISSION_TYPES = ['file', 'directory'];
const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN'];
/** Folders a whole bundle should never be copied straight into. */
const SYSTEM_FOLDERS = new Set([
    '/',
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/home',
    '/lib',
    '/lib64',
    '/opt',
    '/proc',
    '/root',
    '/sbin',
    '/srv',
    '/sys',
    '/tmp',
    '/usr',
    '/usr/bin',
    '/usr/lib',
    '/usr/local',
    '/usr/sbin',
    '/var'
]);
const EXAMPLE_HOOK = '`AfterInstall:` then `  - location: scripts/deploy.sh`';
const check_document_RUBY_FAILS = "The agent fails reading appspec.yml with Ruby's error";
function checkDocument(parsed, file, bundle) {
    const findings = [];
    const report = (severity, path, message, fix) => {
        findings.push({ severity, file, ...parsed.keyPosition(path), message, fix });
    };
    const doc = parsed.value;
    const result = {
        findings,
        version: undefined,
        os: '',
        windows: false,
        files: [],
        filesFailed: false,
        permissions: [],
        hooks: []
    };
    const start = 'Start it with `version: 0.0` and `os: linux` on their own lines, then add `files` and `hooks`.';
    // `unless yaml_hash`: an empty file (false) or one with only comments (nil).
    if (doc === null || doc === undefined || doc === false) {
        report('error', [], AGENT.empty, start);
        return result;
    }
    // The agent indexes whatever YAML gave with ['version']: a list or number raises TypeError.
    const get = (key) => {
        const got = rubyIndex(doc, key);
        return 'value' in got ? got.value : undefined;
    };
    const indexed = rubyIndex(doc, 'version');
    if ('error' in indexed) {
        report('error', [], `${check_document_RUBY_FAILS}: ${indexed.error}.`, `appspec.yml must be a map of keys, not ${describe(doc)}. ${start}`);
        return result;
    }
    if (isHash(doc)) {
        for (const key of Object.keys(doc)) {
            if (TOP_LEVEL_KEYS.includes(key))
                continue;
            const meant = (0,lifecycle/* closestName */.Nf)(key, TOP_LEVEL_KEYS);
            report('warning', [key], `Unknown top-level key '${key}': the agent ignores it${IGNORED_CONSEQUENCE[meant ?? ''] ?? ''}.`, meant
                ? `Did you mean '${meant}'? Rename the key.`
                : `Remove it; the keys are ${TOP_LEVEL_KEYS.join(', ')}.`);
        }
    }
    result.version = get('version');
    checkVersion(parsed, result.version, report);
    const os = checkOs(get('os'), report);
    result.os = os;
    result.windows = os === 'windows';
    result.hooks = checkHooks(parsed, get('hooks'), result.windows, report);
    result.files = checkFiles(parsed, get('files'), result.windows, bundle, report, result);
    result.permissions = checkPermissions(parsed, get('permissions'), result.windows, report);
    checkFileExistsBehavior(get('file_exists_behavior'), report);
    return result;
}
function checkVersion(parsed, version, report) {
    // `[0.0].include?(version)`: the numbers 0.0 and 0 pass; a string never does.
    if (version === 0)
        return;
    const shown = version === undefined || version === null
        ? ''
        : (parsed.sourceText(['version']) ?? rubyToS(version));
    const message = AGENT.version(shown);
    if (version === undefined || version === null) {
        report('error', version === undefined ? [] : ['version'], message, 'Add the line `version: 0.0` at the top of appspec.yml.');
    }
    else if (version === '0.0' || version === '0') {
        report('error', ['version'], message, 'Write `version: 0.0` without quotes: the agent compares it with the number 0.0, and a quoted "0.0" is text.');
    }
    else {
        report('error', ['version'], message, 'Write `version: 0.0`, the only AppSpec version for EC2/on-premises deployments.');
    }
}
/** The os as the agent compares it; `linux` or `windows` (the Windows agent's) are accepted. */
function checkOs(os, report) {
    if (os === 'linux' || os === 'windows')
        return os;
    const text = rubyToS(os);
    const message = AGENT.os(text);
    if (os === undefined || os === null) {
        report('error', os === undefined ? [] : ['os'], message, 'Add the line `os: linux` (or `os: windows`) to appspec.yml.');
    }
    else if (['linux', 'windows'].includes(text.toLowerCase())) {
        report('error', ['os'], message, `Write \`os: ${text.toLowerCase()}\` in lower case.`);
    }
    else {
        report('error', ['os'], message, 'Write `os: linux` for any Linux distribution (Amazon Linux, Ubuntu, RHEL...) or `os: windows`.');
    }
    return text;
}
function checkFileExistsBehavior(value, report) {
    if (value === undefined || value === null)
        return;
    if (typeof value === 'string' && FILE_EXISTS_BEHAVIORS.includes(value))
        return;
    const upper = typeof value === 'string' ? value.toUpperCase() : '';
    report('error', ['file_exists_behavior'], AGENT.fileExistsBehavior(rubyToS(value)), FILE_EXISTS_BEHAVIORS.includes(upper)
        ? `Write \`file_exists_behavior: ${upper}\` in capitals: the agent compares the text exactly.`
        : "Write one of DISALLOW (fail on a file another deployment left), OVERWRITE or RETAIN, or remove the line (the deployment's setting applies).");
}
/** What YAML made of a value, in words, by its Ruby class. */
const READ_AS = {
    Integer: 'a number',
    Float: 'a number',
    TrueClass: 'a boolean',
    FalseClass: 'a boolean',
    Symbol: 'a Ruby symbol',
    Array: 'a list holding something other than text'
};
function checkFiles(parsed, files, windows, bundle, report, result) {
    const example = windows
        ? '`files:` then `  - source: /` and `    destination: C:\\app`'
        : '`files:` then `  - source: /` and `    destination: /home/ec2-user/app`';
    // `(yaml_hash['files'] || []).each`
    if (files === undefined ||
        files === null ||
        files === false ||
        (Array.isArray(files) && files.length === 0)) {
        report('warning', files === undefined ? [] : ['files'], 'appspec.yml copies no files: without a `files` section the agent installs nothing on the instance, and hooks only see the unpacked archive.', `If the app should be installed, add ${example}.`);
        return [];
    }
    const each = rubyEach(files);
    if ('error' in each) {
        result.filesFailed = true;
        report('error', ['files'], `${check_document_RUBY_FAILS}: ${each.error}.`, `\`files\` is a list of source/destination pairs: write it as ${example}.`);
        return [];
    }
    const mappings = [];
    each.items.forEach((entry, index) => {
        const at = Array.isArray(files) ? ['files', index] : ['files'];
        const source = rubyIndex(entry, 'source');
        const destination = rubyIndex(entry, 'destination');
        if ('error' in source || 'error' in destination) {
            const error = 'error' in source ? source.error : 'error' in destination ? destination.error : '';
            // The agent stops at the first entry; for a map, every pair fails the same way.
            if (isHash(files) && index > 0)
                return;
            result.filesFailed = true;
            report('error', at, `${check_document_RUBY_FAILS}: ${error}.`, isHash(files)
                ? "`files` must be a list: put '- ' before `source:` to make each pair a list item."
                : 'Write each entry as `- source: <path in the bundle>` with `  destination: <folder on the instance>` below.');
            return;
        }
        if (source.value === null || source.value === undefined) {
            result.filesFailed = true;
            report('error', at, AGENT.noSource, isHash(entry)
                ? 'Add `source:` to this entry: a path in the bundle, or `/` for the whole bundle.'
                : `Write it as \`- source: ${rubyToS(entry) || '/'}\` with \`  destination: <folder on the instance>\` below.`);
            return;
        }
        const sourceText = rubyToS(source.value);
        if (destination.value === null || destination.value === undefined) {
            result.filesFailed = true;
            report('error', at, AGENT.noDestination(sourceText), 'Add `destination:` to this entry: the absolute path on the instance to copy it to.');
            return;
        }
        // installer.rb joins both as paths (File.join): anything but text or a list raises.
        const paths = { source: rubyPath(source.value), destination: rubyPath(destination.value) };
        for (const key of ['source', 'destination']) {
            const joined = paths[key];
            if (!('notText' in joined))
                continue;
            const value = key === 'source' ? source.value : destination.value;
            const written = parsed.sourceText([...at, key]) ?? rubyToS(value);
            report('error', [...at, key], `The agent fails copying files with Ruby's error: ${AGENT.notAString(joined.notText)}: YAML reads the unquoted ${key} ${written} as ${READ_AS[rubyClass(value)] ?? 'a mapping'}, not a path.`, `Quote it: \`${key}: "${written}"\`.`);
        }
        if ('notText' in paths.source || 'notText' in paths.destination) {
            result.filesFailed = true;
            return;
        }
        const sourcePath = paths.source.path;
        const destinationPath = paths.destination.path;
        mappings.push({ source: sourcePath, destination: destinationPath });
        // Windows appspecs often write sources with backslashes; the bundle's paths use '/'.
        const bundleSource = windows ? sourcePath.replace(/\\/g, '/') : sourcePath;
        checkDestination(bundleSource, destinationPath, [...at, 'destination'], windows, bundle, report);
    });
    return mappings;
}
function checkDestination(source, destination, at, windows, bundle, report) {
    if (windows) {
        if (!/^[A-Za-z]:[\\/]/.test(destination)) {
            report('warning', at, `files destination '${destination}' is not an absolute Windows path: the agent resolves it against its own working folder, not a folder you chose.`, 'Give a path starting with a drive, e.g. `destination: C:\\inetpub\\app`.');
        }
        return;
    }
    if (destination.startsWith('~')) {
        // fill_in_missing_ancestors makes `~` itself, which File.expand_path turns into a home folder.
        const user = /^~([^/]*)/.exec(destination)?.[1] ?? '';
        const home = user === '' || user === 'root' ? '/root' : `/home/${user}`;
        const whose = user ? `${user}'s` : 'its own';
        const orFails = user
            ? `, or fails with "user ${user} doesn't exist"`
            : ', as the agent runs as root';
        const exampleUser = user && user !== 'root' ? user : 'ec2-user';
        report('error', at, `${AGENT.folderExists(home)}: files destination '${destination}' starts with '~', which the agent does not read as a shell does: it plans to create the folder '~${user}', expands that to ${whose} home folder (${home}${orFails}), and fails creating a folder that exists.`, `Write the full path, e.g. \`destination: /home/${exampleUser}${destination.replace(/^~[^/]*/, '') || '/app'}\`.`);
        return;
    }
    if (!destination.startsWith('/')) {
        report('warning', at, `files destination '${destination}' is not an absolute path: the agent copies relative to its own working folder (/ for the agent service), which is rarely what was meant.`, `Write the full path on the instance, e.g. \`destination: /${destination.replace(/^\.?\/*/, '') || 'home/ec2-user/app'}\`.`);
        return;
    }
    const folder = destination.length > 1 ? destination.replace(/\/+$/, '') : destination;
    const target = resolveSource(source, bundle);
    const rel = target.kind === 'directory' ? target.rel : undefined;
    const copiesFolder = rel !== undefined;
    if (folder === '/' || (copiesFolder && SYSTEM_FOLDERS.has(folder))) {
        const copied = rel === ''
            ? 'the whole bundle (appspec.yml and scripts included)'
            : `the contents of '${source}'`;
        report('warning', at, `files destination '${destination}' is a system folder: the agent copies ${copied} straight into it, and under file-exists-behavior DISALLOW the next deployment fails on every file this one left there.`, "Copy into a folder of the app's own, e.g. `destination: /opt/my-app`; for one config file, name the file itself as `source`.");
    }
}
function checkPermissions(parsed, permissions, windows, report) {
    if (permissions === undefined || permissions === null || permissions === false)
        return [];
    const each = rubyEach(permissions);
    if ('error' in each) {
        report('error', ['permissions'], `${check_document_RUBY_FAILS}: ${each.error}.`, 'Write it as `permissions:` then `  - object: /home/ec2-user/app` with `owner`, `group` or `mode` below.');
        return [];
    }
    const specs = [];
    each.items.forEach((entry, index) => {
        const at = Array.isArray(permissions) ? ['permissions', index] : ['permissions'];
        const has = rubyHasKey(entry, 'object');
        if ('error' in has) {
            report('error', at, `${check_document_RUBY_FAILS}: ${has.error}.`, isHash(permissions)
                ? "`permissions` must be a list: put '- ' before `object:` to make the entry a list item."
                : 'Write the entry as `- object: /path/on/instance` with `owner`, `group` or `mode` below.');
            return;
        }
        const entryHash = entry;
        if (!has.has || entryHash.object === null || entryHash.object === undefined) {
            report('error', at, AGENT.noObject, 'Add `object:` to this entry: the path on the instance the permission applies to.');
            return;
        }
        if (windows) {
            report('error', ['permissions'], AGENT.windowsPermissions, 'Remove the `permissions` section; set ACLs from a hook script (icacls) instead.');
            return;
        }
        for (const key of Object.keys(entryHash)) {
            if (PERMISSION_KEYS.includes(key))
                continue;
            const meant = (0,lifecycle/* closestName */.Nf)(key, PERMISSION_KEYS);
            report('warning', [...at, key], `Unknown key '${key}' in a permission: the agent ignores it.`, meant
                ? `Did you mean '${meant}'?`
                : `Remove it; a permission takes ${PERMISSION_KEYS.join(', ')}.`);
        }
        const spec = permissionSpec(parsed, entryHash, [...at], report);
        if (spec)
            specs.push(spec);
    });
    return specs;
}
/** LinuxPermissionInfo.new's arguments, each parsed as the agent does, in its order. */
function permissionSpec(parsed, entry, at, report) {
    let ok = true;
    const fail = (key, message, fix) => {
        ok = false;
        report('error', [...at, key], message, fix);
    };
    const pattern = entry.pattern === null || entry.pattern === undefined || entry.pattern === '**'
        ? '**'
        : rubyToS(entry.pattern);
    const except = [];
    if (entry.except !== null && entry.except !== undefined && entry.except !== false) {
        const items = rubyEach(entry.except);
        if ('error' in items)
            fail('except', `${check_document_RUBY_FAILS}: ${items.error}.`, 'Write `except` as a list: `except: [name.tmp]`.');
        else
            except.push(...items.items.map(rubyToS));
    }
    let type = PERMISSION_TYPES;
    if (entry.type !== null && entry.type !== undefined && entry.type !== false) {
        const items = rubyEach(entry.type);
        if ('error' in items) {
            fail('type', `${check_document_RUBY_FAILS}: ${items.error}.`, `Write \`type\` as a list: \`type: [${rubyToS(entry.type)}]\`.`);
        }
        else {
            const bad = items.items.find((t) => typeof t !== 'string' || !PERMISSION_TYPES.includes(t));
            if (bad !== undefined)
                fail('type', AGENT.permissionType(rubyToS(bad)), 'List only `file` and/or `directory` under `type`.');
            else
                type = items.items;
        }
    }
    if (entry.mode !== null && entry.mode !== undefined) {
        const mode = checkMode(entry.mode, parsed.sourceText([...at, 'mode']), parsed.isQuoted([...at, 'mode']));
        for (const f of mode) {
            if (f.severity === 'error')
                ok = false;
            report(f.severity, [...at, 'mode'], f.message, f.fix);
        }
    }
    let acl = [];
    if (entry.acls !== null && entry.acls !== undefined) {
        const checked = checkAcl(entry.acls);
        for (const f of checked.findings) {
            if (f.severity === 'error')
                ok = false;
            report(f.severity, [...at, 'acls'], f.message, f.fix);
        }
        acl = checked.entries;
    }
    if (entry.context !== null && entry.context !== undefined) {
        for (const f of checkContext(entry.context)) {
            if (f.severity === 'error')
                ok = false;
            report(f.severity, [...at, 'context'], f.message, f.fix);
        }
    }
    const object = rubyToS(entry.object).trim();
    if (object === '')
        fail('object', AGENT.noObject, 'Give `object:` the path on the instance the permission applies to.');
    return ok ? { object, pattern, except, type, acl, at } : undefined;
}
function checkHooks(parsed, hooks, windows, report) {
    // `(yaml_hash['hooks'] || {}).each_pair`: nil and false are no hooks; anything else must be a map.
    if (hooks === undefined ||
        hooks === null ||
        hooks === false ||
        (isHash(hooks) && Object.keys(hooks).length === 0)) {
        report('warning', hooks === undefined ? [] : ['hooks'], 'appspec.yml has no hooks: the agent copies the files and runs nothing, so the app is neither stopped nor (re)started.', `Add a \`hooks\` section, e.g. \`hooks:\` then ${EXAMPLE_HOOK}.`);
        return [];
    }
    if (!isHash(hooks)) {
        const listOfEvents = Array.isArray(hooks) && hooks.every(isHash);
        report('error', ['hooks'], `${check_document_RUBY_FAILS}: ${noMethod('each_pair', hooks)}.`, listOfEvents
            ? "`hooks` must map events to scripts: remove the '- ' before each event name (events are keys under `hooks`; their scripts are the list items)."
            : `Write it as \`hooks:\` then ${EXAMPLE_HOOK}.`);
        return [];
    }
    const byEvent = new Map();
    const unknown = [];
    for (const [event, scripts] of Object.entries(hooks)) {
        const at = ['hooks', event];
        // `if scripts`: an event listed with nothing under it is skipped, known or not.
        if (scripts === null || scripts === undefined || scripts === false) {
            if (!(0,lifecycle/* isLifecycleEvent */.lc)(event)) {
                const meant = (0,lifecycle/* closestEvent */.At)(event);
                report('warning', at, `'${event}' is not a lifecycle event; the agent ignores it because it lists no scripts.`, meant
                    ? `Did you mean "${meant}"? Rename the event (names are case-sensitive).`
                    : `Remove it; the events are ${lifecycle/* SCRIPTABLE_EVENTS */.Sr.join(', ')}.`);
            }
            continue;
        }
        const refs = checkEventScripts(parsed, event, scripts, windows, report);
        if (!(0,lifecycle/* isLifecycleEvent */.lc)(event)) {
            unknown.push(event);
            continue;
        }
        if (refs === undefined)
            continue;
        if ((0,lifecycle/* isReservedEvent */.fO)(event)) {
            if (refs.length > 0) {
                const instead = lifecycle/* RESERVED_EVENT_ALTERNATIVES */.Zz[event] ?? [];
                report('warning', at, `${event} is reserved for the work CodeDeploy does itself: the agent accepts the scripts listed under it but they never run.`, `Move them to ${instead.join(' or ')}.`);
            }
            continue;
        }
        byEvent.set(event, refs);
    }
    if (unknown.length > 0) {
        const first = unknown[0] ?? '';
        const meant = unknown.map((e) => [e, (0,lifecycle/* closestEvent */.At)(e)]).filter(([, m]) => m);
        report('error', ['hooks', first], AGENT.unknownEvents('appspec.yml', rubyInspect(unknown)), meant.length > 0
            ? `Did you mean ${meant.map(([e, m]) => `"${m}" for "${e}"`).join(', ')}? Event names are case-sensitive.`
            : `Use only these events: ${lifecycle/* SCRIPTABLE_EVENTS */.Sr.join(', ')}.`);
    }
    if (byEvent.has('ApplicationStart') && !byEvent.has('ValidateService')) {
        report('warning', ['hooks', 'ApplicationStart'], 'ApplicationStart starts the app but no ValidateService hook checks that it came up: the deployment succeeds even if the app crashes right after starting.', 'Add a ValidateService hook with a script that fails unless the app answers, e.g. `curl --fail --retry 10 --retry-connrefused http://localhost:8080/health`.');
    }
    return lifecycle/* LIFECYCLE_EVENTS */.DX.filter((e) => byEvent.has(e)).map((event) => ({
        event,
        scripts: byEvent.get(event) ?? []
    }));
}
/** ScriptInfo for each entry of one event, as parse_hooks builds them; undefined if the agent fails. */
function checkEventScripts(parsed, event, scripts, windows, report) {
    const each = rubyEach(scripts);
    if ('error' in each) {
        report('error', ['hooks', event], `${check_document_RUBY_FAILS}: ${each.error}.`, `List the scripts of ${event} as items: ${EXAMPLE_HOOK}.`);
        return undefined;
    }
    const refs = [];
    const timed = [];
    let failed = false;
    each.items.forEach((script, index) => {
        const at = Array.isArray(scripts) ? ['hooks', event, index] : ['hooks', event];
        const has = rubyHasKey(script, 'location');
        if ('error' in has) {
            failed = true;
            report('error', at, `${check_document_RUBY_FAILS}: ${has.error}.`, typeof script === 'string'
                ? `Write it as \`- location: ${script}\`.`
                : isHash(scripts)
                    ? "Put '- ' before `location:` to make the script a list item."
                    : 'Write it as `- location: scripts/x.sh`, optionally with `timeout` and `runas` below.');
            return;
        }
        const entry = script;
        if (!has.has || entry.location === null || entry.location === undefined) {
            failed = true;
            report('error', at, AGENT.noLocation, 'Add `location:` to this entry: the script path relative to the bundle root.');
            return;
        }
        for (const key of Object.keys(entry)) {
            if (SCRIPT_KEYS.includes(key))
                continue;
            const meant = (0,lifecycle/* closestName */.Nf)(key, SCRIPT_KEYS);
            report('warning', [...at, key], `Unknown key '${key}' in a script of ${event}: the agent ignores it.`, meant
                ? `Did you mean '${meant}'? Keys are case-sensitive.`
                : `Remove it; a script takes ${SCRIPT_KEYS.join(', ')}.`);
        }
        const runas = entry.runas === undefined || entry.runas === null ? undefined : rubyToS(entry.runas).trim();
        const location = rubyToS(entry.location).trim();
        const timeout = checkTimeout(parsed, entry.timeout, [...at, 'timeout'], report);
        if (location === '') {
            failed = true;
            report('error', at, AGENT.noLocation, 'Give `location:` the script path relative to the bundle root.');
            return;
        }
        if (timeout === undefined) {
            failed = true;
            return;
        }
        if (entry.timeout !== undefined && entry.timeout !== null && entry.timeout !== false)
            timed.push({ at: [...at, 'timeout'], seconds: timeout, location });
        if (runas !== undefined && windows) {
            report('warning', [...at, 'runas'], '`runas` has no effect on Windows: the Windows agent runs every script as its own account.', 'Remove `runas`.');
        }
        refs.push({
            event,
            location,
            timeout,
            runas,
            position: parsed.keyPosition([...at, 'location'])
        });
    });
    const tooLong = timed.find((t) => t.seconds > lifecycle/* MAX_EVENT_SECONDS */.SQ);
    const total = timed.reduce((sum, t) => sum + t.seconds, 0);
    if (tooLong) {
        report('warning', tooLong.at, `timeout ${tooLong.seconds} for ${tooLong.location} is above ${lifecycle/* MAX_EVENT_SECONDS */.SQ} seconds: the agent accepts it, but CodeDeploy fails a lifecycle event that runs longer than an hour, so ${event} fails at ${lifecycle/* MAX_EVENT_SECONDS */.SQ} s whatever this says.`, `Set \`timeout\` to ${lifecycle/* MAX_EVENT_SECONDS */.SQ} or less.`);
    }
    else if (total > lifecycle/* MAX_EVENT_SECONDS */.SQ) {
        report('warning', ['hooks', event], `The timeouts of ${event} add up to ${total} seconds (${timed.map((t) => `${t.location} ${t.seconds}`).join(' + ')}): CodeDeploy fails the event after ${lifecycle/* MAX_EVENT_SECONDS */.SQ} seconds in total, before the last script's timeout is reached.`, `Lower them so they add up to ${lifecycle/* MAX_EVENT_SECONDS */.SQ} or less.`);
    }
    return failed ? undefined : refs;
}
/** The timeout the agent will use, in seconds (`(timeout || 3600).to_i`), or undefined if it fails. */
function checkTimeout(parsed, timeout, at, report) {
    if (timeout === undefined || timeout === null || timeout === false)
        return lifecycle/* DEFAULT_SCRIPT_TIMEOUT_SECONDS */.ad;
    const written = parsed.sourceText(at) ?? rubyToS(timeout);
    const toI = rubyToI(timeout);
    if ('error' in toI) {
        report('error', at, `${check_document_RUBY_FAILS}: ${toI.error}.`, `\`timeout: ${written}\` must be a whole number of seconds, e.g. \`timeout: 300\`.`);
        return undefined;
    }
    if (toI.value <= 0) {
        report('error', at, AGENT.badTimeout, `\`timeout: ${written}\` must be a whole number of seconds from 1 to ${lifecycle/* MAX_EVENT_SECONDS */.SQ}, e.g. \`timeout: 300\`.`);
        return undefined;
    }
    if (!(typeof timeout === 'number' && Number.isInteger(timeout)) &&
        String(toI.value) !== String(timeout).trim()) {
        report('warning', at, `\`timeout: ${written}\` is read by the agent as ${toI.value} second${toI.value === 1 ? '' : 's'} (Ruby's to_i).`, `Write \`timeout: ${toI.value}\`, a whole number of seconds, so it says what happens.`);
    }
    return toI.value;
}
function describe(value) {
    if (Array.isArray(value))
        return 'a list';
    if (isHash(value))
        return 'a map';
    if (typeof value === 'string')
        return `the text '${value}'`;
    return `the value ${String(value)}`;
}

;// CONCATENATED MODULE: ./src/appspec/check-install.ts
// The agent's Install step, planned over the bundle the way its Installer plans it (installer.rb,
// install_instruction.rb): which files it copies where, which folders it makes, which objects the
// permissions reach. Conflicts the agent raises while planning, and sources it cannot copy, are
// errors in its words. What depends on the instance (a file already there) stays at run time.




/** `File.expand_path` of an instance path; relative ones against the agent's working folder, /. */
function expand(p) {
    return external_node_path_default().posix.resolve('/', p);
}
/** `File.join(archive, source)`, as the agent names the source in its messages. */
function inArchive(source) {
    return fileJoin(ARCHIVE_DIR, source);
}
class Plan {
    copies = new Map();
    folders = new Set();
    problems = [];
    /** The `files` entry being planned, for pointing at it. */
    index = 0;
    copy(source, destination) {
        const to = expand(destination);
        const earlier = this.copies.get(to);
        if (earlier !== undefined)
            this.fail(AGENT.twoSources(source, earlier, to));
        else if (this.folders.has(to))
            this.fail(AGENT.fileOverFolder(source, to));
        else
            this.copies.set(to, source);
    }
    mkdir(destination) {
        const to = expand(destination);
        if (this.copies.has(to))
            this.fail(AGENT.folderOverFile(to, this.copies.get(to) ?? ''));
        else
            this.folders.add(to);
    }
    fail(message) {
        this.problems.push({ message, index: this.index });
    }
}
function checkInstall(files, opts, bundle, report) {
    const plan = new Plan();
    files.forEach((mapping, index) => {
        plan.index = index;
        // Ruby on Windows takes '\\' as a separator too.
        const written = opts.windows ? mapping.source.replace(/\\/g, '/') : mapping.source;
        const source = inArchive(mapping.source);
        const target = resolveSource(written, bundle);
        const at = ['files', index, 'source'];
        // A source that is not a folder goes into the destination under its own name.
        const asFile = external_node_path_default().posix.join(mapping.destination, external_node_path_default().posix.basename(source));
        switch (target.kind) {
            case 'directory':
                plan.mkdir(mapping.destination);
                copyFolder(plan, bundle, target.rel, source, mapping.destination);
                return;
            case 'file':
                plan.copy(source, asFile);
                return;
            case 'deployment-folder':
                report('warning', at, `files source '${mapping.source}' is the agent's own folder of this deployment, one level above the bundle: the agent copies the downloaded bundle.tar and the unpacked archive (as deployment-archive/) into ${mapping.destination}, not the bundle's files.`, 'To copy the whole bundle, write `source: /`.');
                return;
            case 'instance':
                report('warning', at, `files source '${mapping.source}' climbs out of the bundle (${source}): what the agent finds there depends on the instance, not on this bundle.`, 'Sources are paths inside the bundle (`/` means the whole bundle): remove the `..`.');
                return;
            case 'error':
                // Planned like any file (File.directory? is false); it fails when the copy runs.
                plan.copy(source, asFile);
                report('error', at, target.errno === 'ENOTDIR'
                    ? `${AGENT.notADirectory(source)}: files source '${mapping.source}' goes through a file as if it were a folder, so the agent fails copying it.`
                    : `${AGENT.missingSource(source)}: files source '${mapping.source}' is not in the bundle, so the agent fails copying it.`, missingFix(written, bundle));
        }
    });
    for (const problem of plan.problems) {
        report('error', ['files', problem.index], problem.message, 'Give each file one source: change a destination, or remove one of the entries.');
    }
    checkPermissionTargets(plan, opts.permissions, report);
}
/** What to write instead of a source the agent cannot copy. */
function missingFix(written, bundle) {
    if (written.trim() !== written)
        return `Remove the spaces around '${written}': the agent takes the path exactly as written.`;
    const file = written.replace(/\/+$/, '');
    if (file !== written && file !== '' && bundle.kind(file.replace(/^\/+/, '')) === 'file')
        return `'${file}' is a file: write \`source: ${file}\`, without the trailing '/'.`;
    const elsewhere = bundle.withBasename(external_node_path_default().posix.basename(file));
    return elsewhere.length > 0
        ? `The bundle has ${elsewhere.map((p) => `'${p}'`).join(', ')}: write \`source: ${elsewhere[0]}\`.`
        : 'Sources are relative to the bundle root (`/` means the whole bundle): fix the path, or add the file to the bundle.';
}
/**
 * generate_directory_copy: folders (a link to one too) are walked, everything else copied.
 * `abs` is the folder as the agent names it (File.join of the archive and the source).
 */
function copyFolder(plan, bundle, rel, abs, destination) {
    for (const name of bundle.children(rel)) {
        const child = rel ? `${rel}/${name}` : name;
        const to = external_node_path_default().posix.join(destination, name);
        const childAbs = fileJoin(abs, name);
        if (bundle.kind(child) === 'directory') {
            plan.mkdir(to);
            copyFolder(plan, bundle, bundle.followLink(child), childAbs, to);
        }
        else {
            plan.copy(childAbs, to);
        }
    }
}
function checkPermissionTargets(plan, permissions, report) {
    const set = new Set();
    const twice = new Set();
    const apply = (object, at) => {
        const target = expand(object);
        if (set.has(target) && !twice.has(target)) {
            twice.add(target);
            report('error', at, AGENT.permissionTwice(target), 'Give each file or folder one permissions entry, or narrow the entries with `pattern`, `except` or `type`.');
        }
        set.add(target);
    };
    for (const p of permissions) {
        const object = expand(p.object);
        const defaultAcl = p.acl.some((a) => a.default);
        if (plan.copies.has(object)) {
            if (!p.type.includes('file'))
                continue;
            if (p.pattern !== '**')
                report('error', [...p.at, 'pattern'], AGENT.filePattern(p.object, p.pattern), `${p.object} is a file this deployment installs: remove \`pattern\`, or make \`object\` its folder.`);
            else if (p.except.length > 0)
                report('error', [...p.at, 'except'], AGENT.fileExcept(rubyInspect(p.except), p.object), `${p.object} is a file this deployment installs: remove \`except\`, or make \`object\` its folder.`);
            else if (defaultAcl)
                report('error', [...p.at, 'acls'], AGENT.aclDefaultOnFile, 'Remove the `d:` entries, or make `object` a folder.');
            else
                apply(p.object, p.at);
            continue;
        }
        const matches = [];
        if (p.type.includes('file'))
            matches.push(...[...plan.copies.keys()].filter((f) => matches_(p, object, f)));
        const fileMatch = matches.length > 0;
        if (p.type.includes('directory'))
            matches.push(...[...plan.folders].filter((d) => matches_(p, object, d)));
        if (fileMatch && defaultAcl) {
            report('error', [...p.at, 'acls'], AGENT.aclDefaultOnFile, `\`d:\` entries apply to folders: add \`type: [directory]\`, or put them in an entry of their own.`);
            continue;
        }
        if (matches.length === 0) {
            report('warning', p.at, `The permission for ${p.object} reaches nothing: the agent applies it to the ${p.type.join(' and ')} entries this deployment installs under ${p.object}${p.pattern === '**' ? '' : ` matching '${p.pattern}'`} (never to ${p.object} itself), and there are none.`, plan.folders.has(object)
                ? `To set ${p.object} itself, make it a file's destination folder one level down, or set it from a hook script (chown/chmod).`
                : 'Point `object` at a destination of the `files` section (or a folder inside one).');
        }
        for (const m of matches)
            apply(m, p.at);
    }
}
/** LinuxPermissionInfo#matches_pattern? and not matches_except?, for a planned path. */
function matches_(p, object, name) {
    const base = object.endsWith('/') ? object : `${object}/`;
    if (!name.startsWith(base))
        return false;
    const rel = name.slice(base.length);
    const matched = p.pattern === '**' || simpleGlob(rel, p.pattern);
    return matched && !p.except.some((e) => simpleGlob(rel, e));
}
/** matches_simple_glob: `*` is the only wildcard, and never crosses a '/'. */
function simpleGlob(name, pattern) {
    if (name.includes('/'))
        return false;
    const regex = pattern
        .split('*')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${regex}$`, 's').test(name);
}

// EXTERNAL MODULE: ./node_modules/unbash/dist/parser.js + 15 modules
var parser = __webpack_require__(8919);
;// CONCATENATED MODULE: ./src/appspec/background-jobs.ts
// Background jobs in a hook script that keep the hook's stdout or stderr open. The agent reads
// both until they close (hook_executor.rb), so such a job fails the event at the hook's timeout
// with "failed to close STDOUT", although the script itself ended. Pure: the script's text in,
// the jobs with their 1-based lines out.
//
// unbash parses the script; which process holds which pipe is modelled on bash 5.2 and dash
// 0.5.12 as measured (__tests__/appspec/background-jobs.shells.test.ts runs the table under both):
// - a simple command holds what its own redirections leave on the hook's pipes;
// - bash runs an `a && b &` list, a `{ …; } &` group, an `if`/`case` and a subshell of more than
//   one command in a subshell that waits for them, holding the pipes it inherited; dash runs
//   the last command of such a list in place of the subshell, so only that command's output
//   counts; loops wait in both shells;
// - dash reads `cmd &> file` as `cmd &` then `> file`.
// Where the shell's choice is not known, the model assumes the job does not hold the pipes
// (commands before the last of a list are taken to end at once): a missed warning costs less
// than a wrong one.

/**
 * The shells that may run a script, from its first line without `#!` (undefined when it has
 * none: the agent runs it through /bin/sh, which is bash on Amazon Linux and RHEL, dash on
 * Ubuntu and Debian). None for another interpreter.
 */
function shellsFor(interpreterLine) {
    if (interpreterLine === undefined)
        return ['bash', 'dash'];
    const words = interpreterLine.trim().split(/\s+/);
    const first = words[0] ?? '';
    const program = first.endsWith('/env') ? words.slice(1).find((w) => !w.startsWith('-')) : first;
    switch (program?.split('/').pop()) {
        case 'sh':
            return ['bash', 'dash'];
        case 'bash':
            return ['bash'];
        case 'dash':
            return ['dash'];
        default:
            return [];
    }
}
/** Background jobs that keep the hook's stdout or stderr open, in the order of the script. */
function openBackgroundJobs(script, shells) {
    if (shells.length === 0)
        return [];
    const ast = (0,parser/* parse */.qg)(script);
    // A script unbash cannot read fully is left alone rather than half understood.
    if (ast.errors && ast.errors.length > 0)
        return [];
    const functions = functionsIn(ast.commands);
    const stopped = stopsJobs(ast.commands);
    const lines = lineStarts(script);
    const byKey = new Map();
    for (const shell of shells) {
        const found = [];
        walkList(ast.commands, HOOK, { shell, functions, calling: new Set() }, found);
        for (const f of found) {
            if (stopped(f.statement.end))
                continue;
            const streams = [...f.held.own, ...f.held.shell];
            if (streams.length === 0)
                continue;
            const job = background_jobs_describe(script, lines, f, functions);
            const key = `${f.statement.pos}:${job.ampersandRedirect}`;
            const known = byKey.get(key);
            if (!known) {
                byKey.set(key, { ...job, streams: sortStreams(streams), shells: [shell] });
                continue;
            }
            if (!known.shells.includes(shell))
                known.shells.push(shell);
            known.streams = sortStreams([...known.streams, ...streams]);
            known.ownOutput ||= job.ownOutput;
        }
    }
    return [...byKey.values()].sort((a, b) => a.line - b.line);
}
const HOOK = new Map([
    [1, ['stdout']],
    [2, ['stderr']]
]);
/** The pipes a process with these descriptors keeps open. */
function pipes(fds) {
    return [...fds.values()].flat();
}
function applyRedirects(fds, redirects) {
    const next = new Map(fds);
    for (const r of redirects) {
        if (r.descriptor?.type === 'FileDescriptorVariable')
            continue;
        const fd = r.descriptor?.value;
        if (r.type !== 'Redirect') {
            next.delete(fd ?? 0);
            continue;
        }
        const target = r.target;
        switch (r.operator) {
            case '>':
            case '>>':
            case '>|':
            case '<>':
                setTo(next, fd ?? (r.operator === '<>' ? 0 : 1), pathTarget(target, next));
                break;
            case '<':
                next.delete(fd ?? 0);
                break;
            case '&>':
            case '&>>': {
                const to = pathTarget(target, next);
                setTo(next, 1, to);
                setTo(next, 2, to);
                break;
            }
            case '>&':
            case '<&': {
                const into = fd ?? (r.operator === '>&' ? 1 : 0);
                const text = literal(target);
                const dup = text === undefined ? undefined : /^(\d+)(-?)$/.exec(text);
                if (dup) {
                    const from = Number(dup[1]);
                    setTo(next, into, next.get(from));
                    if (dup[2] === '-')
                        next.delete(from);
                }
                else if (r.operator === '>&' && fd === undefined && text !== undefined && text !== '-') {
                    // bash's `>&file`, the same as `&>file`.
                    const to = pathTarget(target, next);
                    setTo(next, 1, to);
                    setTo(next, 2, to);
                }
                else {
                    // `>&-` closes; a descriptor in a variable is not followed.
                    next.delete(into);
                }
                break;
            }
        }
    }
    return next;
}
function setTo(fds, fd, to) {
    if (to === undefined || to.length === 0)
        fds.delete(fd);
    else
        fds.set(fd, to);
}
/** Which hook pipes a path keeps open: /dev/stdout and its kin reopen the descriptor they name. */
function pathTarget(target, fds) {
    // `>(cmd)`: cmd reads what is written and inherits the shell's stdout and stderr.
    if (target?.parts?.some((p) => p.type === 'ProcessSubstitution'))
        return [...new Set([...(fds.get(1) ?? []), ...(fds.get(2) ?? [])])];
    const path = literal(target);
    if (path === undefined)
        return undefined;
    const named = { '/dev/stdout': 1, '/dev/stderr': 2 };
    const fd = named[path] ?? /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path)?.[1];
    return fd === undefined ? undefined : fds.get(Number(fd));
}
/** A word's value when it has no expansion in it. */
function literal(word) {
    if (!word)
        return undefined;
    const plain = (word.parts ?? []).every((p) => ['Literal', 'SingleQuoted', 'DoubleQuoted', 'AnsiCQuoted'].includes(p.type));
    return plain ? word.value : undefined;
}
/** Walks statements run in order by one shell; returns its descriptors after them. */
function walkList(statements, fds, ctx, out) {
    let env = fds;
    for (const statement of statements) {
        const node = statement.command;
        const cut = ctx.shell === 'dash' ? ampersandRedirect(node) : undefined;
        const exec = execRedirects(node);
        if (!statement.background && cut === undefined && exec) {
            env = applyRedirects(env, exec);
            continue;
        }
        if (statement.background || cut !== undefined) {
            // dash's `exec &> file` backgrounds an exec of nothing.
            if (!exec)
                out.push({ statement, cut, fds: env, held: job(node, env, ctx, cut) });
            continue;
        }
        env = visit(node, env, ctx, out);
    }
    return env;
}
/** A command in the foreground of the walking shell; its descriptors after it. */
function visit(node, fds, ctx, out) {
    switch (node.type) {
        case 'Command': {
            // Reached here only inside a list (`a && exec >log`): walkList handles a statement's own.
            const exec = execRedirects(node);
            if (exec)
                return applyRedirects(fds, exec);
            const name = wordValue(node.name);
            const body = name === undefined ? undefined : ctx.functions.get(name);
            if (name === undefined || body === undefined || ctx.calling.has(name))
                return fds;
            const redirects = redirectsOf(node);
            ctx.calling.add(name);
            const after = walkBody(body, applyRedirects(fds, redirects), ctx, out);
            ctx.calling.delete(name);
            // An `exec >log` in the function redirects the caller too, unless the call was redirected.
            return redirects.length === 0 ? after : fds;
        }
        case 'Redirected':
            visit(node.command, applyRedirects(fds, node.redirects), ctx, out);
            return fds;
        case 'BraceGroup':
            return walkList(node.body.commands, fds, ctx, out);
        case 'Function':
            // Walked where it is called.
            return fds;
        case 'AndOr': {
            // Each command may not run: past the list, a descriptor counts as the hook's only if it
            // is one on every way through (a missed warning costs less than a wrong one).
            const ends = [fds];
            for (const c of node.commands)
                ends.push(visit(c, ends[ends.length - 1] ?? fds, ctx, out));
            return common(ends);
        }
        case 'Subshell':
            walkList(node.body.commands, fds, ctx, out);
            return fds;
        default:
            return common([fds, ...listsOf(node).map((l) => walkList(l.commands, fds, ctx, out))]);
    }
}
/** The descriptors that are the same hook pipe in every one of `envs`. */
function common(envs) {
    const [first, ...rest] = envs;
    return new Map([...(first ?? HOOK)].filter(([fd, to]) => rest.every((e) => e.get(fd)?.join() === to.join())));
}
function walkBody(body, fds, ctx, out) {
    return body.type === 'CompoundList'
        ? walkList(body.commands, fds, ctx, out)
        : visit(body, fds, ctx, out);
}
/** What a node run as a job (a forked child, `cut` short by dash's `&>`) keeps open. */
function job(node, fds, ctx, cut) {
    const before = (items) => cut === undefined ? [...items] : items.filter((i) => i.pos < cut);
    switch (node.type) {
        case 'Command': {
            const name = wordValue(node.name);
            const after = applyRedirects(fds, before(redirectsOf(node)));
            if (name === undefined)
                return held();
            // bash applies the call's redirections in the job before the function runs; dash keeps
            // the job's own descriptors while it runs (measured: `f >/dev/null 2>&1 &` holds in dash).
            if (ctx.functions.has(name))
                return held([], pipes(ctx.shell === 'bash' ? after : fds));
            return isShort(node) ? held() : held(pipes(after));
        }
        case 'Pipeline': {
            const commands = before(node.commands);
            const parts = commands.map((c, i) => {
                const last = i === commands.length - 1;
                const own = new Map(fds);
                if (!last)
                    own.delete(1);
                if (!last && node.operators[i] === '|&')
                    own.delete(2);
                return job(c, own, ctx, last ? cut : undefined);
            });
            // bash's `time` reports on the job's stderr when the pipeline ends; dash's `!` waits for it.
            const waits = node.prefixes.some((p) => ctx.shell === 'bash' ? p.type === 'Time' : p.type === 'Negation');
            return merge(...parts, waits ? held([], pipes(fds)) : held());
        }
        case 'AndOr': {
            const commands = before(node.commands);
            const last = commands[commands.length - 1];
            if (last === undefined)
                return held();
            const end = job(last, fds, ctx, cut);
            if (ctx.shell === 'dash' || isExecCommand(last))
                return end;
            if (commands.every((c) => !isLong(c)))
                return held();
            return merge(end, held([], pipes(fds)));
        }
        case 'Redirected':
            return job(node.command, applyRedirects(fds, before(node.redirects)), ctx);
        case 'Subshell': {
            // bash runs a subshell of one plain command in place of the subshell.
            const only = node.body.commands.length === 1 ? node.body.commands[0] : undefined;
            const sole = only && !only.background ? only.command : undefined;
            if (ctx.shell === 'bash' &&
                sole?.type === 'Command' &&
                !ctx.functions.has(wordValue(sole.name) ?? ''))
                return job(sole, fds, ctx);
            return compound([node.body], [node.body], fds, ctx, ctx.shell === 'dash');
        }
        case 'BraceGroup':
            return compound([node.body], [node.body], fds, ctx, ctx.shell === 'dash');
        case 'If': {
            const finals = [node.then, ...node.elif.map((e) => e.then), ...(node.else ? [node.else] : [])];
            return compound(listsOf(node), finals, fds, ctx, ctx.shell === 'dash');
        }
        case 'Case':
            return compound(listsOf(node), listsOf(node), fds, ctx, ctx.shell === 'dash');
        case 'While':
        case 'For':
        case 'ArithmeticFor':
        case 'Select':
            return compound(listsOf(node), [node.body], fds, ctx, false);
        default:
            return held();
    }
}
/**
 * A compound run as a job. `inPlace`: dash runs the last command of each final list in place of
 * the job's shell; otherwise that shell waits, holding its descriptors while a command that
 * may last runs.
 */
function compound(lists, finals, fds, ctx, inPlace) {
    const parts = [];
    for (const list of lists) {
        let env = fds;
        list.commands.forEach((statement, i) => {
            const node = statement.command;
            const exec = execRedirects(node);
            if (!statement.background && exec) {
                env = applyRedirects(env, exec);
                return;
            }
            if (statement.background) {
                parts.push(job(node, env, ctx));
                return;
            }
            const final = finals.includes(list) && i === list.commands.length - 1;
            const end = final ? job(node, env, ctx) : held();
            if (inPlace)
                parts.push(end);
            else
                parts.push(held(end.own, isLong(node) ? pipes(env) : []), held([], end.shell));
        });
    }
    return merge(...parts);
}
function held(own = [], shell = []) {
    return { own: new Set(own), shell: new Set(shell) };
}
function merge(...parts) {
    return held(parts.flatMap((p) => [...p.own]), parts.flatMap((p) => [...p.shell]));
}
/** Builtins that return at once: in the background they hold nothing for long. */
const SHORT = new Set((': [ alias break cd continue declare disown echo exit export false getopts hash let local ' +
    'printf pwd read readonly return set shift shopt test trap true type typeset ulimit umask unalias unset').split(' '));
function isShort(command) {
    const name = wordValue(command.name);
    return name === undefined || SHORT.has(name) || (name === 'exec' && command.args.length === 0);
}
/** Whether a foreground node may run for long (anything but short builtins and tests). */
function isLong(node) {
    switch (node.type) {
        case 'Command':
            return !isShort(node);
        case 'Pipeline':
        case 'AndOr':
            return node.commands.some((c) => isLong(c));
        case 'Redirected':
            return isLong(node.command);
        case 'Function':
        case 'TestCommand':
        case 'ArithmeticCommand':
            return false;
        default:
            return listsOf(node).some((l) => l.commands.some((s) => !s.background && isLong(s.command)));
    }
}
/** `exec >file 2>&1`: redirections of the shell itself, no command. */
function execRedirects(node) {
    return node.type === 'Command' && wordValue(node.name) === 'exec' && node.args.length === 0
        ? redirectsOf(node)
        : undefined;
}
/** `exec cmd`: the command replaces the shell (or the list's subshell). */
function isExecCommand(node) {
    return node.type === 'Command' && wordValue(node.name) === 'exec' && node.args.length > 0;
}
/** Where dash's `&>` (an `&`, then a `>`) first cuts a statement, if it does. */
function ampersandRedirect(node) {
    switch (node.type) {
        case 'Command':
            return redirectsOf(node).find((r) => r.operator === '&>' || r.operator === '&>>')?.pos;
        case 'Redirected':
            return node.redirects.find((r) => r.operator === '&>' || r.operator === '&>>')?.pos;
        case 'Pipeline':
        case 'AndOr':
            for (const c of node.commands) {
                const at = ampersandRedirect(c);
                if (at !== undefined)
                    return at;
            }
            return undefined;
        default:
            return undefined;
    }
}
function redirectsOf(command) {
    return [...command.redirects].sort((a, b) => a.pos - b.pos);
}
function wordValue(word) {
    return word?.value;
}
/** The statement lists inside a compound command. */
function listsOf(node) {
    switch (node.type) {
        case 'BraceGroup':
        case 'Subshell':
            return [node.body];
        case 'If':
            return [
                node.clause,
                node.then,
                ...node.elif.flatMap((e) => [e.clause, e.then]),
                ...(node.else ? [node.else] : [])
            ];
        case 'While':
            return [node.clause, node.body];
        case 'For':
        case 'ArithmeticFor':
        case 'Select':
            return [node.body];
        case 'Case':
            return node.items.map((i) => i.body);
        case 'Redirected':
            return listsOf(node.command);
        case 'Function':
            return node.body.type === 'CompoundList' ? [node.body] : listsOf(node.body);
        default:
            return [];
    }
}
/** Every statement, in compounds and function bodies too (not in substitutions). */
function* allStatements(statements) {
    for (const s of statements) {
        yield s;
        const nodes = s.command.type === 'AndOr' || s.command.type === 'Pipeline'
            ? [...s.command.commands]
            : [s.command];
        for (const n of nodes)
            for (const l of listsOf(n))
                yield* allStatements(l.commands);
    }
}
function* allCommands(statements) {
    for (const s of allStatements(statements)) {
        const c = s.command;
        const nodes = c.type === 'AndOr' || c.type === 'Pipeline' ? c.commands : [c];
        for (const n of nodes)
            if (n.type === 'Command')
                yield n;
    }
}
function functionsIn(statements) {
    const functions = new Map();
    for (const s of allStatements(statements)) {
        const name = s.command.type === 'Function' ? wordValue(s.command.name) : undefined;
        if (s.command.type === 'Function' && name !== undefined)
            functions.set(name, s.command.body);
    }
    return functions;
}
/**
 * Whether a job ending at a position is waited for or stopped before the script ends: a later
 * `wait`, `kill` (not `kill -0`), `pkill` or `killall`, one in a function, or a trap that kills.
 */
function stopsJobs(statements) {
    const inFunctions = new Set();
    for (const s of allStatements(statements))
        if (s.command.type === 'Function')
            for (const c of allCommands(listsOf(s.command).flatMap((l) => l.commands)))
                inFunctions.add(c.pos);
    let last = -1;
    for (const c of allCommands(statements)) {
        const name = wordValue(c.name);
        const args = c.args.map((a) => (a.type === 'Word' ? a.value : a.text));
        const stops = name === 'wait' ||
            name === 'pkill' ||
            name === 'killall' ||
            (name === 'kill' && args[0] !== '-0');
        const trapKills = name === 'trap' && args.some((a) => /\b(kill|pkill|killall)\b/.test(a));
        if (trapKills || (stops && inFunctions.has(c.pos)))
            return () => true;
        if (stops)
            last = Math.max(last, c.pos);
    }
    return (end) => last > end;
}
// ---------------------------------------------------------------------------------------------
// The finding's words: the job as written, and as it should be.
const QUIET = '> /dev/null 2>&1 < /dev/null';
function background_jobs_describe(script, lines, found, functions) {
    const { statement, cut } = found;
    const node = statement.command;
    const lineOf = (pos) => lineAt(lines, pos);
    const src = (from, to) => script.slice(from, to);
    const endPos = cut ?? statement.end - 1;
    const commands = commandNames(node);
    // A descriptor the script saved (`exec 3>&1`) is inherited too: the fix closes it.
    const extra = [...found.fds.keys()]
        .filter((fd) => fd > 2)
        .sort((a, b) => a - b)
        .map((fd) => ` ${fd}>&-`)
        .join('');
    const quietParts = (n) => quietPartsOf(script, n, extra);
    const quiet = (n) => {
        const { body, out } = quietParts(n);
        return `${body} ${out}`;
    };
    const base = {
        line: lineOf(statement.pos),
        endLine: lineOf(endPos),
        ownOutput: found.held.own.size > 0,
        commands,
        fixIsLastLine: false
    };
    if (cut !== undefined) {
        return {
            ...base,
            text: oneLine(src(statement.pos, statement.end)),
            form: formOf(node, functions),
            ampersandRedirect: true,
            fix: oneLine(posixRedirect(script, node, statement))
        };
    }
    const text = `${oneLine(src(node.pos, node.end))} &`;
    const job = { ...base, text, ampersandRedirect: false };
    const form = formOf(node, functions);
    switch (node.type) {
        case 'Command':
            if (form === 'function') {
                const { body, out } = quietParts(node);
                return { ...job, form, fix: `{ ${body}; } ${out} &` };
            }
            return { ...job, form, fix: `${quiet(node)} &` };
        case 'Pipeline':
            return { ...job, form, fix: `${quiet(node)} &` };
        case 'AndOr': {
            const last = node.commands[node.commands.length - 1];
            if (last === undefined)
                return { ...job, form, fix: text };
            const head = oneLine(src(node.pos, last.pos));
            const { body, out } = quietParts(last);
            return {
                ...job,
                form,
                fix: `${head} { ${body} ${out} & }`,
                listFix: `(${head} ${oneLine(body)}) ${out} &`
            };
        }
        default: {
            const inner = node.type === 'Redirected' ? node.command : node;
            const written = quiet(node);
            const multiLine = written.includes('\n');
            const lastLine = written.slice(written.lastIndexOf('\n') + 1).trim();
            return {
                ...job,
                form,
                compound: compoundKind(inner),
                fix: `${multiLine ? lastLine : oneLine(written)} &`,
                fixIsLastLine: multiLine
            };
        }
    }
}
function formOf(node, functions) {
    switch (node.type) {
        case 'Command':
            return functions.has(wordValue(node.name) ?? '') ? 'function' : 'command';
        case 'Pipeline':
            return 'pipeline';
        case 'AndOr':
            return 'list';
        default:
            return 'group';
    }
}
function compoundKind(node) {
    switch (node.type) {
        case 'BraceGroup':
            return 'braces';
        case 'Subshell':
            return 'subshell';
        case 'If':
            return 'if';
        case 'Case':
            return 'case';
        default:
            return 'loop';
    }
}
function commandNames(node) {
    const names = [];
    const add = (n) => {
        if (n.type === 'Command') {
            const name = wordValue(n.name);
            if (name !== undefined)
                names.push(name);
        }
        else if (n.type === 'Pipeline' || n.type === 'AndOr')
            n.commands.forEach(add);
        else if (n.type === 'Redirected')
            add(n.command);
        else
            for (const l of listsOf(n))
                for (const s of l.commands)
                    add(s.command);
    };
    add(node);
    return names;
}
/** Redirections of stdin, stdout and stderr (not here-documents, which carry text). */
function isStdRedirect(r) {
    if (r.type !== 'Redirect')
        return false;
    if (r.descriptor?.type === 'FileDescriptorVariable')
        return false;
    return r.descriptor === undefined || r.descriptor.value <= 2;
}
/** The text of a node without its own std redirections (a command's or a compound's). */
function stripOutputRedirects(script, node) {
    const redirects = node.type === 'Command' ? redirectsOf(node) : node.type === 'Redirected' ? node.redirects : [];
    return cutOut(script, node.pos, node.end, redirects.filter(isStdRedirect).map((r) => [r.pos, r.end]));
}
/**
 * A command or compound without its own std redirections, and where to send its output instead:
 * the log file it names, if it names one, else /dev/null.
 */
function quietPartsOf(script, node, extra) {
    if (node.type === 'Pipeline')
        return { body: `{ ${oneLine(script.slice(node.pos, node.end))}; }`, out: QUIET + extra };
    const redirects = (node.type === 'Command' ? redirectsOf(node) : node.type === 'Redirected' ? node.redirects : []).filter(isStdRedirect);
    const toFile = (fd) => redirects.findLast((r) => r.type === 'Redirect' &&
        ['>', '>>', '>|'].includes(r.operator) &&
        (r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : 1) === fd &&
        pathTarget(r.target, HOOK) === undefined);
    const log = toFile(1) ?? toFile(2);
    const out = log?.type === 'Redirect' && log.target
        ? `${log.operator === '>>' ? '>>' : '>'} ${log.target.text} 2>&1 < /dev/null`
        : QUIET;
    const body = stripOutputRedirects(script, node);
    return { body: node.type === 'Command' ? oneLine(body) : body, out: out + extra };
}
/** dash's reading fixed: `&> file` written `> file 2>&1`. */
function posixRedirect(script, node, statement) {
    const cuts = [];
    const visitNode = (n) => {
        const redirects = n.type === 'Command' ? redirectsOf(n) : n.type === 'Redirected' ? n.redirects : [];
        for (const r of redirects) {
            if (r.type !== 'Redirect' || (r.operator !== '&>' && r.operator !== '&>>'))
                continue;
            const op = r.operator === '&>>' ? '>>' : '>';
            cuts.push([r.pos, r.end, `${op} ${r.target?.text ?? ''} 2>&1`]);
        }
        if (n.type === 'Pipeline' || n.type === 'AndOr')
            n.commands.forEach(visitNode);
    };
    visitNode(node);
    let text = '';
    let at = statement.pos;
    for (const [from, to, by] of cuts.sort((a, b) => a[0] - b[0])) {
        text += script.slice(at, from) + by;
        at = to;
    }
    return text + script.slice(at, statement.end);
}
function cutOut(script, from, to, ranges) {
    let text = '';
    let at = from;
    for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
        text += script.slice(at, start);
        at = end;
        // Drop the blank the redirection leaves, so `a >x b` reads `a b`.
        while (at < to && /[ \t]/.test(script[at] ?? '') && /(^|[ \t])$/.test(text))
            at++;
    }
    return (text + script.slice(at, to)).trimEnd();
}
/** A job on one line: continuations joined; a longer text cut after its first line. */
function oneLine(text) {
    const joined = text.replace(/\\\r?\n[ \t]*/g, '');
    const first = joined.split('\n')[0] ?? '';
    return first === joined ? joined.trim() : `${first.trim()} …`;
}
function lineStarts(script) {
    const starts = [0];
    for (let i = script.indexOf('\n'); i >= 0; i = script.indexOf('\n', i + 1))
        starts.push(i + 1);
    return starts;
}
function lineAt(starts, pos) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= pos)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo + 1;
}
function sortStreams(streams) {
    return ['stdout', 'stderr'].filter((s) => [...streams].includes(s));
}

;// CONCATENATED MODULE: ./src/appspec/check-scripts.ts
// The scripts hooks name, as the agent's HookExecutor finds and starts them: a missing one, a
// folder, a '#!' line ending in CR are failures in its words; a script without '#!' (run by
// /bin/sh), CRLF elsewhere, an unusual interpreter, a background job left on the hook's output
// are warnings that say what will happen.




/** Above this a "script" is most likely a binary or an archive named by mistake. */
const LARGE_SCRIPT_BYTES = 1024 * 1024;
async function checkScripts(refs, appspecFile, bundle, opts) {
    const findings = [];
    const resolved = new Map();
    const contentChecked = new Set();
    for (const ref of refs) {
        const found = [];
        const inAppspec = (severity, message, fix) => {
            found.push({ severity, file: appspecFile, ...ref.position, message, fix });
        };
        const path = resolveLocation(ref, bundle, opts.windows, inAppspec);
        if (path !== undefined) {
            resolved.set(ref, path);
            if (!opts.windows && !contentChecked.has(path)) {
                contentChecked.add(path);
                found.push(...(await checkContent(path, ref, bundle, opts.origin)));
            }
        }
        findings.push(...(ref.event === 'ApplicationStop' ? found.map(nextDeployment) : found));
    }
    return { findings, resolved };
}
/**
 * ApplicationStop runs the scripts of the revision deployed before: this bundle's run at the
 * next deployment, so what would fail them fails that one, not this.
 */
function nextDeployment(finding) {
    if (finding.severity !== 'error')
        return finding;
    return {
        ...finding,
        severity: 'warning',
        message: `This deployment does not run it (ApplicationStop runs the previous revision's scripts), but the next deployment's ApplicationStop will fail with: ${finding.message}`,
        fix: `${finding.fix} Until then, deploy with \`ignore-application-stop-failures: true\` if it already failed.`
    };
}
/** The root-relative path of the file the agent will run, or undefined if there is none. */
function resolveLocation(ref, bundle, windows, report) {
    const { location } = ref;
    const written = windows ? location.replace(/\\/g, '/') : location;
    // HookExecutor: File.exist?(File.join(archive, location)), reported with File.expand_path.
    const onInstance = external_node_path_default().posix.resolve(ARCHIVE_DIR, written.replace(/^\/+/, ''));
    const missing = AGENT.scriptMissing(onInstance);
    const rel = rootRelative(written);
    if (rel === undefined || rel === '') {
        report('error', `${missing}: the location leaves the bundle.`, 'Locations are relative to the bundle root: put the script in the bundle and give its path from there, e.g. `location: scripts/start.sh`.');
        return undefined;
    }
    const entry = bundle.entry(rel);
    const suggestion = () => {
        const sameName = bundle.withBasename(rel.split('/').pop() ?? rel);
        return sameName.length > 0
            ? ` The bundle has it at ${sameName.join(', ')}: write \`location: ${sameName[0]}\`.`
            : '';
    };
    if (bundle.kind(rel) === 'missing') {
        report('error', missing, `Add the script to the bundle (in \`source\`, or with a \`files\` line) or fix the location; it is relative to the bundle root${written.startsWith('/') ? ', not a path on the instance' : ''}.${suggestion()}`);
        return undefined;
    }
    if (bundle.kind(rel) === 'directory') {
        report('error', AGENT.scriptError(location, 'Errno::EACCES', `Permission denied - ${onInstance}`), `'${location}' is a folder: give the path of the script file inside it.`);
        return undefined;
    }
    // Ruby's popen3 splits a command without shell characters at blanks: it runs the first word.
    const blank = /\s/.exec(onInstance);
    if (!windows && blank) {
        report('error', AGENT.scriptError(location, 'Errno::ENOENT', `No such file or directory - ${onInstance.slice(0, blank.index)}`), 'Rename the script (and its folders) without spaces: the agent splits the command at blanks.');
        return undefined;
    }
    if (written.startsWith('/')) {
        report('warning', `location '${location}' starts with '/': the agent still reads it relative to the bundle root (${rel}), not from that path on the instance.`, `Write \`location: ${rel}\` without the leading '/'.`);
    }
    if (entry?.type === 'symlink') {
        const target = bundle.linkTarget(rel);
        if (target === undefined && (entry.linkTarget ?? '').startsWith('/')) {
            report('warning', `location '${location}' is a symlink to '${entry.linkTarget ?? ''}', outside the bundle: it runs only if that path exists on the instance.`, 'Put the script itself in the bundle instead of a link.');
            return undefined;
        }
        if (target === undefined) {
            // It points into the deployment's own folder, which holds only the agent's files.
            report('error', `${missing}: ${rel} is a symlink to '${entry.linkTarget ?? ''}', outside the bundle, which on the instance points into the deployment's own folder.`, 'Put the script itself in the bundle instead of a link.');
            return undefined;
        }
        if (bundle.kind(target) !== 'file' || bundle.entry(target)?.type === 'symlink') {
            report('error', missing, `${rel} is a symlink to '${entry.linkTarget ?? ''}', which is not a file in the bundle: put the script itself in the bundle.`);
            return undefined;
        }
        return target;
    }
    return rel;
}
/** Interpreters an EC2 Linux image has; another one must be installed before the hook runs. */
const COMMON_INTERPRETERS = new Set(['sh', 'bash', 'dash', 'python3', 'perl']);
async function checkContent(path, ref, bundle, origin) {
    const file = bundle.full(path);
    const findings = [];
    const report = (severity, message, fix, line = 1, kind) => {
        findings.push({ severity, file, line, message, fix, ...(kind ? { kind } : {}) });
    };
    const entry = bundle.entry(path);
    if (origin === 'archive' && entry && (entry.mode & 0o111) === 0) {
        report('warning', `${path} is not executable in the archive. The agent logs "Script at specified location: ${path} is not executable.  Trying to make it executable." and runs chmod +x on it.`, `Mark it executable before archiving: \`chmod +x ${path}\`, and \`git update-index --chmod=+x ${path}\` so checkouts keep the bit.`);
    }
    if (entry && entry.size > LARGE_SCRIPT_BYTES) {
        report('warning', `${path} is ${(entry.size / 1024 / 1024).toFixed(1)} MB: hook scripts are normally small text files, so the location may name the wrong file.`, 'Check the location names the script, not the app or an archive.');
        return findings;
    }
    let content;
    try {
        content = await bundle.read(path);
    }
    catch {
        return findings;
    }
    const hasBom = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf;
    const shebang = content.subarray(0, 2).toString('latin1') === '#!';
    const firstLine = content
        .subarray(2, content.indexOf('\n') < 0 ? undefined : content.indexOf('\n'))
        .toString('utf8');
    const crlf = content.indexOf('\r\n');
    if (hasBom) {
        report('warning', `${path} starts with a UTF-8 byte order mark, which hides its '#!' line: the agent runs it through /bin/sh, which reports the first line as an unknown command and goes on.`, 'Save it as UTF-8 without BOM.');
    }
    else if (!shebang && content.length > 0) {
        report('warning', `${path} does not start with '#!': the agent runs it through /bin/sh, so bash-only syntax in it fails.`, 'Add a first line naming the interpreter, such as `#!/bin/bash`.');
    }
    else if (shebang && crlf < 0) {
        const words = firstLine.trim().split(/\s+/);
        const program = (words[0] ?? '').endsWith('/env') ? (words[1] ?? '') : (words[0] ?? '');
        const name = program.split('/').pop() ?? '';
        if (name && !COMMON_INTERPRETERS.has(name)) {
            report('warning', `${path} runs with '${firstLine.trim()}': if ${program} is not installed on the instance, the agent fails with "${AGENT.scriptError(path, 'Errno::ENOENT', 'No such file or directory - ...')}".`, `Install ${name} on the instance (user data, AMI) before deploying, or use /bin/bash.`);
        }
    }
    if (crlf >= 0) {
        const line = content.subarray(0, crlf).toString('latin1').split('\n').length;
        const onInstance = `${ARCHIVE_DIR}/${path}`;
        if (shebang && !hasBom && line === 1) {
            report('error', `${AGENT.scriptError(path, 'Errno::ENOENT', `No such file or directory - ${onInstance}`)}: ${path} has Windows (CRLF) line endings, so the kernel looks for the interpreter '${firstLine.replace(/\r$/, '').trim()}\\r', which does not exist.`, `Convert it to LF line endings (\`sed -i 's/\\r$//' ${path}\` or dos2unix), and add \`*.sh text eol=lf\` to .gitattributes so Git on Windows keeps them.`, line, 'crlf');
        }
        else {
            report('warning', `${path} has Windows (CRLF) line endings: the shell reads the '\\r' as part of each command, so commands and paths in it may not be found.`, `Convert it to LF line endings (\`sed -i 's/\\r$//' ${path}\` or dos2unix), and add \`*.sh text eol=lf\` to .gitattributes.`, line, 'crlf');
        }
    }
    else {
        // A script with CRLF fails or misreads its commands anyway; its jobs are not looked at.
        const text = content.toString('utf8').replace(/^\ufeff/, '');
        const shells = shellsFor(shebang && !hasBom ? firstLine : undefined);
        for (const job of openBackgroundJobs(text, shells)) {
            report('warning', jobMessage(job, path, ref, shells), jobFix(job), job.line, 'background-output');
        }
    }
    return findings;
}
// A background job left on the hook's stdout or stderr, in parts: the job, what keeps the pipes
// open, on which /bin/sh, and what the agent then does.
const BIN_SH = {
    bash: 'bash (Amazon Linux, RHEL)',
    dash: 'dash (Ubuntu, Debian)'
};
const COMPOUND = {
    braces: 'group',
    subshell: 'subshell',
    if: '`if`',
    case: '`case`',
    loop: 'loop'
};
function jobMessage(job, path, ref, shells) {
    const streams = job.streams.join(' and ');
    const on = job.shells.length < shells.length
        ? `On instances where /bin/sh is ${BIN_SH[job.shells[0] ?? 'bash']}, `
        : '';
    const consequence = `the CodeDeploy agent waits for ${job.streams.length > 1 ? 'them' : 'it'} to close until the hook's timeout (${ref.timeout} s), then fails ${eventWords(ref.event)} with "${AGENT.outputLeftOpen(ref.location, job.streams.includes('stdout') ? 'STDOUT' : 'STDERR')}".`;
    return `${path} line ${job.line}: ${on}${whatHolds(job, streams)}: ${consequence}`;
}
function whatHolds(job, streams) {
    const shell = job.shells.length === 1 ? job.shells[0] : 'the shell';
    if (job.ampersandRedirect)
        return `in \`${job.text}\` dash reads \`&>\` as \`&\` followed by \`>\`, so the command runs in the background with its output still on the hook's ${streams}`;
    if (job.ownOutput) {
        const nohup = job.commands.includes('nohup')
            ? ' (nohup redirects output only when it goes to a terminal, and the agent gives the script pipes)'
            : '';
        return `\`${job.text}\` runs in the background with its output still on the hook's ${streams}${nohup}`;
    }
    switch (job.form) {
        case 'list':
            return `\`${job.text}\` sends the whole list to the background, not only its last command: ${shell} runs the list in a subshell that keeps the hook's ${streams} open while the last command runs, although that command is redirected`;
        case 'group':
            return `\`${job.text}\` sends the whole ${COMPOUND[job.compound ?? 'braces']} to the background: ${shell} runs it in a subshell that keeps the hook's ${streams} open while it runs, although the commands in it are redirected`;
        case 'function':
            return `\`${job.text}\`: ${shell} runs the function in a background subshell that keeps the hook's ${streams} open while it runs, although the call is redirected`;
        default:
            return `\`${job.text}\`: ${shell} waits for the pipeline in a background subshell that keeps the hook's ${streams} open`;
    }
}
/** ApplicationStop runs the scripts of the revision deployed before: this one's at the next deployment. */
function eventWords(event) {
    return event === 'ApplicationStop'
        ? "the next deployment's ApplicationStop (which runs this revision's scripts)"
        : event;
}
function jobFix(job) {
    const systemd = ' (or run the service under systemd)';
    if (job.ampersandRedirect)
        return `Write \`${job.fix}\`, which every shell reads the same, or start the script with \`#!/bin/bash\`.`;
    switch (job.form) {
        case 'list':
            return `Send only the last command to the background: \`${job.fix}\`, or redirect the whole list: \`${job.listFix ?? job.fix}\`${systemd}.`;
        case 'group': {
            const noun = COMPOUND[job.compound ?? 'braces'];
            return job.fixIsLastLine
                ? `Redirect the whole ${noun} where it ends, on line ${job.endLine}: \`${job.fix}\`.`
                : `Redirect the whole ${noun}: \`${job.fix}\`.`;
        }
        case 'function':
            return `Redirect the call as a group: \`${job.fix}\`.`;
        case 'pipeline':
            return `Redirect the whole pipeline: \`${job.fix}\`${systemd}.`;
        default:
            return `Redirect its output: \`${job.fix}\`${systemd}.`;
    }
}

;// CONCATENATED MODULE: ./src/appspec/find-appspec.ts
// Where the agent will find appspec.yml in the unpacked bundle, or why it will not.
//
// The agent (command_executor.rb, unpack_bundle) strips the archive's top folder when it is the
// archive's only entry and holds a file whose name contains "appspec" (any case); then it reads
// `appspec.yml` at the root, and nothing else, before the first hook runs.

const APPSPEC_FILE = 'appspec.yml';
/** The agent's whole message, with the folder it unpacks to on an instance. */
const AGENT_NOT_FOUND = `${AGENT.notFound(APPSPEC_FILE)} The revision was unpacked to directory "${ARCHIVE_DIR}", and the AppSpec file was expected but not found at path "${ARCHIVE_DIR}/${APPSPEC_FILE}". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html`;
function findAppspec(entries, origin) {
    const tops = [...new Set(entries.map((e) => e.path.split('/')[0] ?? ''))];
    const only = tops.length === 1 ? tops[0] : undefined;
    const stripped = only !== undefined &&
        entries.some((e) => e.path.startsWith(`${only}/`)) &&
        entries.some((e) => /^[^/]+\/[^/]*appspec[^/]*$/i.test(e.path));
    const root = stripped ? (only ?? '') : '';
    const prefix = root ? `${root}/` : '';
    const files = entries.filter((e) => e.type !== 'directory');
    const atRoot = files.filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'));
    const appspec = atRoot.find((e) => e.path === `${prefix}${APPSPEC_FILE}`);
    const findings = [];
    if (appspec) {
        if (root) {
            findings.push({
                severity: 'warning',
                file: appspec.path,
                message: `appspec.yml is at ${appspec.path}, not at the bundle root. It deploys because the agent strips a single top folder ("Stripping leading directory from archive bundle contents."); hook locations and file sources are then relative to ${root}/.`,
                fix: folderFix(root, origin)
            });
        }
        if (atRoot.some((e) => e.path === `${prefix}appspec.yaml`)) {
            findings.push({
                severity: 'warning',
                file: `${prefix}appspec.yaml`,
                message: 'The bundle has both appspec.yml and appspec.yaml; the agent reads only appspec.yml.',
                fix: 'Delete appspec.yaml (or merge what it holds into appspec.yml).'
            });
        }
        return { location: { root, path: appspec.path }, findings };
    }
    const wrongName = atRoot.find((e) => /^appspec\.ya?ml$/i.test(e.path.slice(prefix.length)));
    if (wrongName) {
        return {
            location: { root, path: wrongName.path },
            findings: [
                {
                    severity: 'error',
                    file: wrongName.path,
                    message: `${AGENT_NOT_FOUND} The bundle has ${wrongName.path}, but the agent reads only a file named exactly appspec.yml.`,
                    fix: `Rename ${wrongName.path} to ${prefix}appspec.yml.`
                }
            ]
        };
    }
    const elsewhere = files.filter((e) => /(^|\/)appspec\.ya?ml$/i.test(e.path));
    const first = elsewhere[0];
    if (first) {
        const folder = first.path.slice(0, first.path.lastIndexOf('/'));
        const others = tops.filter((t) => t !== folder.split('/')[0]);
        // A single top folder would be stripped by the agent, so only then is the archive's root named.
        const stripNote = folder.includes('/')
            ? ''
            : `, and strips a top folder only when it is the archive's only entry (here there is also ${listFirst(others, 5)})`;
        return {
            findings: [
                {
                    severity: 'error',
                    file: first.path,
                    message: `${AGENT_NOT_FOUND} Found ${elsewhere.map((e) => e.path).join(', ')} instead: the agent reads only appspec.yml at the bundle root${stripNote}.`,
                    fix: folderFix(folder, origin)
                }
            ]
        };
    }
    return {
        findings: [
            {
                severity: 'error',
                file: APPSPEC_FILE,
                message: `${AGENT_NOT_FOUND} The bundle has no appspec.yml.`,
                fix: origin === 'built'
                    ? 'Put appspec.yml at the top of the `source` folder, or add it with a `files` line such as `deploy/appspec.yml => appspec.yml`.'
                    : 'Put appspec.yml at the top level of the archive.'
            }
        ]
    };
}
function folderFix(folder, origin) {
    return origin === 'built'
        ? `Make ${folder}/ the bundle root: point \`source\` at that folder (${folder} inside the current \`source\`), or move appspec.yml to the top of \`source\`.`
        : `Rebuild the archive from inside ${folder}, e.g. \`tar -czf bundle.tgz -C ${folder} .\`, so appspec.yml is at its top level.`;
}
/** The first `max` names, joined, with ", ..." when there are more. */
function listFirst(names, max) {
    const more = names.length > max ? ', ...' : '';
    return `${names.slice(0, max).join(', ')}${more}`;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/appspec/psych-scalar.ts
// Scalars as the agent's YAML reader gives them: Psych 4 on Ruby 3.1 (Debian's, which the agent
// runs on). A port of Psych::Visitors::ToRuby#deserialize and Psych::ScalarScanner#tokenize
// (psych 4.0.3), with the Integer(), Float(), String#to_i and String#to_f they call. The `yaml`
// package's YAML 1.1 schema differs on forms users write: `.` (a NaN there, "." here), `y`/`n`
// (booleans there, strings here), `1e3` (1000 there, "1e3" here), `1:20` (80 there, 4800 here).
//
// Ruby's `^` and `$` match at every line, its `\s` and `\d` are ASCII: the regular expressions
// below keep that (flag m, explicit classes), so multi-line plain scalars read as in Ruby too.

const YAML_TAG = 'tag:yaml.org,2002:';
const str = (value) => ({ class: 'String', value });
const psych_scalar_int = (value) => ({
    class: 'Integer',
    value: value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value
});
const psych_scalar_float = (value) => ({ class: 'Float', value });
const disallowed = (name) => ({
    class: 'error',
    error: 'Psych::DisallowedClass',
    message: `Tried to load unspecified class: ${name}`
});
const argumentError = (kind, text) => ({
    class: 'error',
    error: 'ArgumentError',
    message: `invalid value for ${kind}(): ${rubyStringInspect(text)}`
});
/** ToRuby#deserialize: quoted and block scalars are strings; explicit tags as Psych reads them. */
function psychScalar(form) {
    // libyaml marks a scalar "quoted" when it is not plain and has no tag of its own.
    if (!form.plain && form.tag === undefined)
        return str(form.text);
    if (form.tag === undefined)
        return tokenize(form.text);
    switch (form.tag) {
        case `${YAML_TAG}binary`:
        case '!binary':
            return str(Buffer.from(form.text, 'base64').toString('latin1'));
        case `${YAML_TAG}str`:
        case '!str':
            return str(form.text);
        case `${YAML_TAG}float`:
        case '!float':
            return toFloat(tokenize(form.text));
        default:
            return tokenize(form.text);
    }
}
/** `Float(x)` of what tokenize gave, for `!!float`. */
function toFloat(scalar) {
    switch (scalar.class) {
        case 'Integer':
            return psych_scalar_float(Number(scalar.value));
        case 'Float':
        case 'error':
            return scalar;
        case 'Symbol':
            return { class: 'error', error: 'TypeError', message: "can't convert Symbol into Float" };
        case 'String':
            return rubyFloat(scalar.value);
        default:
            return {
                class: 'error',
                error: 'TypeError',
                message: `can't convert ${scalar.class === 'NilClass' ? 'nil' : String(scalar.value)} into Float`
            };
    }
}
// ScalarScanner's patterns, in its order. `[[:alpha:]]` is Unicode's Alphabetic property.
const STRINGISH = /^[^0-9.:-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%^&*(){}<>|/\\~;=]+/mu;
const NOT_A_WORD_START = /^[^ytonf~]/im;
const NULL = /^null$/im;
const TRUE = /^(yes|true|on)$/im;
const FALSE = /^(no|false|off)$/im;
const TIME = /^-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\n\v\f\r]+)[0-9]{1,2}:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t\n\v\f\r]*(?:Z|[-+][0-9]{1,2}:?(?:[0-9][0-9])?))?$/m;
const DATE = /^[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])$/m;
const INF = /^\+?\.inf$/im;
const MINUS_INF = /^-\.inf$/im;
const NAN = /^\.nan$/im;
const SYMBOL = /^:./m;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/m;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/m;
const FLOAT = /^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)$/m;
const LONE_DOT = /^[-+]?\.$/;
const INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/m;
/** ScalarScanner#tokenize: what a plain scalar without a tag loads as. */
function tokenize(text) {
    if (text === '')
        return { class: 'NilClass', value: null };
    if (STRINGISH.test(text) || text.includes('\n')) {
        if ([...text].length > 5 || NOT_A_WORD_START.test(text))
            return str(text);
        if (text === '~' || NULL.test(text))
            return { class: 'NilClass', value: null };
        if (TRUE.test(text))
            return { class: 'TrueClass', value: true };
        if (FALSE.test(text))
            return { class: 'FalseClass', value: false };
        return str(text);
    }
    // A time or a date: the classes YAML.load refuses unless told to allow them.
    if (TIME.test(text))
        return disallowed('Time');
    if (DATE.test(text))
        return disallowed('Date');
    if (INF.test(text))
        return psych_scalar_float(Infinity);
    if (MINUS_INF.test(text))
        return psych_scalar_float(-Infinity);
    if (NAN.test(text))
        return psych_scalar_float(NaN);
    if (SYMBOL.test(text)) {
        const quoted = /^:(["'])(.*)\1/m.exec(text);
        const name = quoted ? (quoted[2] ?? '').replace(/^:/, '') : text.replace(/^:/, '');
        return { class: 'Symbol', value: new RubySymbol(name) };
    }
    if (SEXAGESIMAL_INT.test(text)) {
        // Psych weighs the parts from the left by 60^|e-2|: `1:20` is 1*3600 + 20*60 (sic).
        let sum = 0n;
        text.split(':').forEach((part, e) => {
            sum += stringToI(part) * 60n ** BigInt(Math.abs(e - 2));
        });
        return psych_scalar_int(sum);
    }
    if (SEXAGESIMAL_FLOAT.test(text)) {
        let sum = 0;
        text.split(':').forEach((part, e) => {
            sum += stringToF(part) * 60 ** Math.abs(e - 2);
        });
        return psych_scalar_float(sum);
    }
    if (FLOAT.test(text)) {
        if (LONE_DOT.test(text))
            return str(text);
        return rubyFloat(text.replace(/[,_]|\.([Ee]|$)/g, '$1'));
    }
    if (INTEGER.test(text))
        return rubyInteger(text.replace(/[,_]/g, ''));
    return str(text);
}
/** `Integer(s)` of what INTEGER admits: a sign, then 0b binary, 0x hex, a leading 0 octal. */
function rubyInteger(text) {
    const match = /^([-+]?)(0b|0x|0(?=[0-9]))?([0-9a-fA-F]*)$/.exec(text);
    const prefix = match?.[2];
    const radix = prefix === '0b' ? 2 : prefix === '0x' ? 16 : prefix === '0' ? 8 : 10;
    const digits = match?.[3] ?? '';
    if (!match || digits === '')
        return argumentError('Integer', text);
    const magnitude = [...digits].reduce((n, d) => n * BigInt(radix) + BigInt(parseInt(d, 16)), 0n);
    return psych_scalar_int(match[1] === '-' ? -magnitude : magnitude);
}
/** `Float(s)` of a string: decimal digits, an optional fraction and exponent. */
function rubyFloat(text) {
    const digits = '[0-9]+(?:_[0-9]+)*';
    const decimal = new RegExp(`^[-+]?(?:${digits}(?:\\.${digits})?|\\.${digits})(?:[eE][-+]?${digits})?$`);
    return decimal.test(text) ? psych_scalar_float(Number(text.replaceAll('_', ''))) : argumentError('Float', text);
}
/** `String#to_f`: the longest leading decimal number (single underscores between digits), else 0. */
function stringToF(text) {
    const digits = '[0-9]+(?:_[0-9]+)*';
    const match = new RegExp(`^[ \\t\\n\\v\\f\\r]*[-+]?${digits}(?:\\.${digits})?(?:[eE][-+]?${digits})?`).exec(text);
    return match ? Number(match[0].replaceAll('_', '')) : 0;
}
/** Ruby's String#inspect for the ASCII-printable texts these errors quote. */
function rubyStringInspect(text) {
    return JSON.stringify(text);
}

;// CONCATENATED MODULE: ./src/appspec/parse.ts
// appspec.yml text → plain data, keeping where each key sits so findings can point at a line.
// The `yaml` package reads the structure with every scalar a string (its failsafe schema); each
// scalar then takes the value the agent's Psych gives it (psych-scalar.ts): `0755` is octal,
// `yes` a boolean, `.` and `y` strings, `1:20` 4800.


const BOM = '\ufeff';
function parseAppspec(text) {
    // The BOM is reported by the validator; stripping it keeps columns right.
    const whole = text.startsWith(BOM) ? text.slice(BOM.length) : text;
    const source = text.startsWith(BOM) ? bomCut(whole) : whole;
    const lineCounter = new dist/* LineCounter */.HN();
    // A repeated key is a DUPLICATE_KEY error here, reported as a warning: like Psych, the value
    // keeps the last one.
    const options = { lineCounter, prettyErrors: false, version: '1.1', schema: 'failsafe' };
    const doc = (0,dist/* parseDocument */.Tp)(source, options);
    const scalarFailure = loadScalarsAsPsych(doc);
    const droppedByBom = source === whole
        ? []
        : topLevelKeys((0,dist/* parseDocument */.Tp)(whole, { ...options, lineCounter: new dist/* LineCounter */.HN() }).toJS()).filter((k) => !topLevelKeys(doc.toJS()).includes(k));
    const at = (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return { line, column: col };
    };
    const issues = [];
    let unreadable = false;
    for (const err of doc.errors) {
        // Psych reads a scalar under a tag it does not know as if it had none (done above).
        if (err.code === 'TAG_RESOLVE_FAILED' && err.message.startsWith('Unresolved tag'))
            continue;
        const issue = describeYamlError(err.code, err.message, at(err.pos[0]));
        if (issue.severity === 'error')
            unreadable = true;
        issues.push(issue);
    }
    if (!unreadable) {
        const refused = psychRefusal(doc, source, scalarFailure);
        if (refused) {
            unreadable = true;
            issues.push({
                ...at(refused.offset),
                severity: 'error',
                message: refused.message,
                fix: refused.fix
            });
        }
    }
    issues.push(...tabIndentWarnings(source, issues));
    const pairAt = (path) => locate(doc, path);
    return {
        value: doc.toJS({ maxAliasCount: 100 }),
        droppedByBom,
        issues,
        unreadable,
        keyPosition(path) {
            const found = pairAt(path);
            const start = found?.keyNode?.range?.[0] ?? found?.node?.range?.[0];
            return start === undefined ? undefined : at(start);
        },
        valuePosition(path) {
            const start = pairAt(path)?.node?.range?.[0];
            return start === undefined ? undefined : at(start);
        },
        sourceText(path) {
            const node = pairAt(path)?.node;
            if (!node || !(0,dist/* isScalar */.jn)(node) || !node.range)
                return undefined;
            if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')
                return String(node.value);
            return source.slice(node.range[0], node.range[1]);
        },
        isQuoted(path) {
            const node = pairAt(path)?.node;
            return (!!node && (0,dist/* isScalar */.jn)(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'));
        }
    };
}
/** libyaml's words (what the agent's Psych reports) for the `yaml` package's error codes. */
function psychProblem(code, message) {
    if (code === 'TAB_AS_INDENT')
        return 'found character that cannot start any token while scanning for the next token';
    if (code === 'BAD_INDENT' && message.startsWith('Flow sequence'))
        return "did not find expected ',' or ']' while parsing a flow sequence";
    if (code === 'BAD_INDENT' && message.startsWith('Flow map'))
        return "did not find expected ',' or '}' while parsing a flow mapping";
    if (code === 'MISSING_CHAR' && /quote/i.test(message))
        return 'found unexpected end of stream while scanning a quoted scalar';
    if (code === 'BLOCK_AS_IMPLICIT_KEY')
        return 'mapping values are not allowed in this context';
    if (code === 'BLOCK_IN_FLOW')
        return 'did not find expected node content while parsing a flow node';
    return undefined;
}
function describeYamlError(code, message, position) {
    const psych = psychProblem(code, message);
    if (psych) {
        return {
            ...position,
            severity: 'error',
            message: `The agent's YAML reader fails: "(<unknown>): ${psych}" (${message.split(' at line')[0]}).`,
            fix: code === 'TAB_AS_INDENT'
                ? 'Indent with spaces only.'
                : 'Fix the YAML at this line and column (check indentation, colons, quotes and brackets).'
        };
    }
    switch (code) {
        case 'DUPLICATE_KEY':
            return {
                ...position,
                severity: 'warning',
                message: 'This key appears twice in its section; the agent keeps only the last one.',
                fix: 'Merge the two entries into one.'
            };
        case 'MULTIPLE_DOCS':
            return {
                ...position,
                severity: 'warning',
                message: "appspec.yml holds more than one YAML document (a '---' line); the agent reads only the first.",
                fix: "Remove the '---' line and everything after it, or merge it into the first document."
            };
        default:
            return {
                ...position,
                severity: 'error',
                message: `YAML syntax error, which the agent's YAML reader fails on: ${message}.`.replace(/\.\.$/, '.'),
                fix: 'Fix the YAML at this line and column (check indentation, colons and brackets).'
            };
    }
}
/** Tabs in indentation that the parser let through: Psych is stricter, and editors disagree. */
function tabIndentWarnings(source, reported) {
    const reportedLines = new Set(reported.map((i) => i.line));
    const warnings = [];
    source.split('\n').forEach((text, index) => {
        const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
        const tab = indent.indexOf('\t');
        const line = index + 1;
        if (tab >= 0 && text.trim() !== '' && !reportedLines.has(line)) {
            warnings.push({
                line,
                column: tab + 1,
                severity: 'warning',
                message: 'This line is indented with a tab.',
                fix: 'Indent with spaces only: YAML forbids tabs for indentation and the agent may fail to read the file.'
            });
        }
    });
    return warnings;
}
/**
 * After a UTF-8 byte order mark, the agent's YAML reader (libyaml through Psych) ends the first
 * top-level mapping at the next line that starts in column 0: only the first key survives. A
 * BOM followed by a blank or comment line is harmless. Found with the agent itself; see
 * __tests__/agent/cases.ts.
 */
function bomCut(source) {
    const firstLine = source.split('\n', 1)[0] ?? '';
    if (/^\s*(#.*)?\r?$/.test(firstLine))
        return source;
    const next = /\n(?=[^\s#])/.exec(source.slice(firstLine.length));
    return next ? source.slice(0, firstLine.length + next.index + 1) : source;
}
function topLevelKeys(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}
/**
 * Gives every scalar the value Psych gives it, keys included (Psych resolves keys too); returns
 * the first scalar on which YAML.load raises (a date or a time, `Integer("0x")`).
 */
function loadScalarsAsPsych(doc) {
    let first;
    (0,dist/* visit */.YR)(doc, {
        Scalar(_key, node) {
            const loaded = psychScalar({
                text: String(node.source ?? node.value ?? ''),
                plain: node.type === 'PLAIN',
                ...(node.tag ? { tag: node.tag } : {})
            });
            if (loaded.class === 'error') {
                first ??= { node, failure: loaded };
                node.value = node.source;
            }
            else {
                node.value = loaded.value;
            }
        }
    });
    return first;
}
/**
 * What Psych 4 (Ruby 3.1 and later) refuses in `YAML.load`, which the agent calls: aliases, and
 * scalars it cannot load (dates and times, whose classes it was not told to allow; `0x`).
 */
function psychRefusal(doc, source, scalar) {
    let found;
    (0,dist/* visit */.YR)(doc, {
        Alias(_key, node) {
            found ??= {
                offset: node.range?.[0] ?? 0,
                message: `The agent's YAML reader fails: "Unknown alias: ${node.source}" (Ruby 3.1 and later refuse YAML aliases in appspec.yml).`,
                fix: `Write the value out again instead of \`*${node.source}\`.`
            };
        }
    });
    if (found || !scalar)
        return found;
    const { node, failure } = scalar;
    const written = node.range ? source.slice(node.range[0], node.range[1]) : String(node.source);
    const what = /class: (Date|Time)$/.exec(failure.message)?.[1];
    return {
        offset: node.range?.[0] ?? 0,
        message: what
            ? `The agent's YAML reader fails: "${failure.message}": YAML reads the unquoted ${written} as a ${what === 'Date' ? 'date' : 'time'}, which the agent's Ruby refuses.`
            : `The agent's YAML reader fails: "${failure.message}" (${failure.error}): Ruby reads the unquoted ${written} as a number it cannot convert.`,
        fix: `Quote the value: \`"${written}"\`.`
    };
}
function locate(doc, path) {
    let node = doc.contents;
    let keyNode;
    for (const segment of path) {
        if ((0,dist/* isAlias */.Vj)(node))
            node = node.resolve(doc);
        if (typeof segment === 'string' && (0,dist/* isMap */.jh)(node)) {
            const pair = node.items.findLast((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === segment);
            if (!pair)
                return undefined;
            keyNode = pair.key;
            node = pair.value ?? undefined;
        }
        else if (typeof segment === 'number' && (0,dist/* isSeq */.oP)(node)) {
            node = node.items[segment];
            keyNode = undefined;
            if (node === undefined)
                return undefined;
        }
        else {
            return undefined;
        }
    }
    if ((0,dist/* isAlias */.Vj)(node))
        node = node.resolve(doc);
    return { node: (node ?? undefined), keyNode };
}

;// CONCATENATED MODULE: ./src/appspec/validate.ts
// Validates a bundle's appspec.yml and hook scripts the way the CodeDeploy agent will read them,
// before anything leaves the machine. Every problem is collected; nothing stops at the first.







async function validateBundle(view, opts) {
    const found = findAppspec(view.entries, opts.origin);
    const findings = [...found.findings];
    if (!found.location)
        return { findings: ordered(findings), hookScripts: [] };
    const appspecPath = found.location.path;
    const bundle = new RootedBundle(view, found.location.root);
    const text = await readAppspec(view, appspecPath, findings);
    if (text === undefined)
        return { findings: ordered(findings), appspecPath, hookScripts: [] };
    const parsed = parseAppspec(text);
    if (text.startsWith('\ufeff'))
        findings.push(bomFinding(appspecPath, parsed.droppedByBom));
    for (const { severity, line, column, message, fix } of parsed.issues) {
        findings.push({ severity, file: appspecPath, line, column, message, fix });
    }
    if (parsed.unreadable)
        return { findings: ordered(findings, appspecPath), appspecPath, hookScripts: [] };
    const doc = checkDocument(parsed, appspecPath, bundle);
    findings.push(...doc.findings);
    const install = { windows: doc.windows, permissions: doc.filesFailed ? [] : doc.permissions };
    checkInstall(doc.files, install, bundle, (severity, path, message, fix) => {
        findings.push({ severity, file: appspecPath, ...parsed.keyPosition(path), message, fix });
    });
    const refs = doc.hooks.flatMap((h) => h.scripts);
    const scripts = await checkScripts(refs, appspecPath, bundle, {
        origin: opts.origin,
        windows: doc.windows
    });
    findings.push(...scripts.findings);
    const appspec = {
        version: doc.version,
        os: doc.os,
        files: doc.files,
        hooks: doc.hooks.map(({ event, scripts: eventScripts }) => ({
            event,
            scripts: eventScripts.map((ref) => {
                const rel = scripts.resolved.get(ref) ?? rootRelative(ref.location) ?? ref.location;
                return {
                    location: ref.location,
                    path: bundle.full(rel),
                    timeout: ref.timeout,
                    ...(ref.runas !== undefined ? { runas: ref.runas } : {})
                };
            })
        }))
    };
    const hookScripts = [...new Set([...scripts.resolved.values()].map((p) => bundle.full(p)))].sort();
    return { findings: ordered(findings, appspecPath), appspec, appspecPath, hookScripts };
}
async function readAppspec(view, appspecPath, findings) {
    let content;
    try {
        content = await view.read(appspecPath);
    }
    catch {
        findings.push({
            severity: 'error',
            file: appspecPath,
            message: `${appspecPath} could not be read from the bundle.`,
            fix: 'Make it a regular file (not a link or a folder).'
        });
        return undefined;
    }
    return content.toString('utf8');
}
function bomFinding(file, dropped) {
    return dropped.length > 0
        ? {
            severity: 'error',
            file,
            line: 1,
            message: `${file} starts with a UTF-8 byte order mark (BOM): the agent's YAML reader then keeps only the first key and drops the rest (${dropped.join(', ')}), which fails as shown.`,
            fix: 'Save it as UTF-8 without BOM.'
        }
        : {
            severity: 'warning',
            file,
            line: 1,
            message: `${file} starts with a UTF-8 byte order mark (BOM); the agent reads it only because nothing follows the first line that the BOM would cut off.`,
            fix: 'Save it as UTF-8 without BOM.'
        };
}
/** Errors before warnings; within each, appspec.yml first, then by file and line. */
function ordered(findings, appspecPath) {
    const rank = (f) => (f.severity === 'error' ? 0 : 1);
    return [...findings].sort((a, b) => rank(a) - rank(b) ||
        Number(b.file === appspecPath) - Number(a.file === appspecPath) ||
        (0,compare_text/* compareText */.n)(a.file, b.file) ||
        (a.line ?? 0) - (b.line ?? 0));
}

;// CONCATENATED MODULE: ./src/common/paths.ts
// Input paths are hostile: each is resolved against the workspace and must stay inside it.

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
function isInside(parent, child) {
    const rel = external_node_path_default().relative(parent, child);
    // '..' or '../x' escapes; '..config' is an ordinary name inside.
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${(external_node_path_default()).sep}`) && !external_node_path_default().isAbsolute(rel));
}
/** The absolute path of a workspace-relative (or absolute but inside) input path, or undefined when it escapes. */
function resolveInWorkspace(workspace, input) {
    const resolved = external_node_path_default().resolve(workspace, input);
    return isInside(workspace, resolved) ? resolved : undefined;
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./src/bundle/bundle-paths.ts
// What a path inside a bundle may look like, for the writer and for pre-built archives alike.
/** Why `p` cannot be a bundle path (relative, no '..' or '.' or empty segments), or undefined. */
function bundlePathProblem(p) {
    if (p === '')
        return 'is empty';
    if (p.includes('\0'))
        return 'contains a NUL byte';
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p))
        return 'is an absolute path';
    const segments = p.split('/');
    if (segments.includes('..'))
        return "has a '..' segment";
    if (segments.some((s) => s === '' || s === '.'))
        return "has an empty or '.' segment";
    return undefined;
}
/**
 * Where a symlink at `linkPath` points, as a bundle path ('' is the root), or undefined when it
 * leaves the bundle: absolute targets, and relative ones that climb above the root.
 */
function resolveLink(linkPath, target) {
    if (target.startsWith('/') || target === '')
        return undefined;
    const parts = linkPath.split('/').slice(0, -1);
    for (const segment of target.split('/')) {
        if (segment === '' || segment === '.')
            continue;
        if (segment === '..') {
            if (parts.length === 0)
                return undefined;
            parts.pop();
        }
        else
            parts.push(segment);
    }
    return parts.join('/');
}

;// CONCATENATED MODULE: ./src/bundle/compressibility.ts
// Content that is already compressed: deflating it again costs most of the bundling time
// (a jar is a zip) and saves nothing, so the writer stores it.
const COMPRESSED = new Set([
    // archives and packages
    'jar',
    'war',
    'ear',
    'zip',
    'gz',
    'tgz',
    'bz2',
    'xz',
    'zst',
    'lz4',
    '7z',
    'rar',
    'br',
    'apk',
    'whl',
    'nupkg',
    'deb',
    'rpm',
    // images, fonts, media
    'png',
    'jpg',
    'jpeg',
    'gif',
    'webp',
    'avif',
    'heic',
    'woff',
    'woff2',
    'mp3',
    'mp4',
    'm4a',
    'mov',
    'webm',
    'ogg'
]);
function isAlreadyCompressed(bundlePath) {
    const dot = bundlePath.lastIndexOf('.');
    if (dot < 0 || dot < bundlePath.lastIndexOf('/'))
        return false;
    return COMPRESSED.has(bundlePath.slice(dot + 1).toLowerCase());
}

;// CONCATENATED MODULE: ./src/bundle/tar-format.ts
// ustar headers, written by hand so the writer knows exactly where each entry's bytes start
// (it switches gzip levels between entries) and so every field is fixed: owner root, one mtime.
// Names that do not fit ustar, long link targets and sizes of 8 GiB or more get a pax header.
const BLOCK = 512;
/** End of archive: two zero blocks. */
const TAR_END = Buffer.alloc(2 * BLOCK);
const MAX_OCTAL_SIZE = 0o77777777777; // 11 octal digits: 8 GiB - 1
/** The header block(s) of one entry: a pax header first when ustar cannot hold it. */
function tarHeader(entry) {
    const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
    const size = entry.type === 'file' ? entry.size : 0;
    const pax = [];
    const split = splitName(Buffer.from(name));
    if (!split)
        pax.push(['path', name]);
    const link = Buffer.from(entry.linkTarget ?? '');
    if (link.length > 100)
        pax.push(['linkpath', entry.linkTarget ?? '']);
    if (size > MAX_OCTAL_SIZE)
        pax.push(['size', String(size)]);
    const main = ustar({
        name: split?.name ?? truncate(Buffer.from(name), 100),
        prefix: split?.prefix ?? Buffer.alloc(0),
        mode: entry.mode,
        size: size > MAX_OCTAL_SIZE ? 0 : size,
        mtime: entry.mtime,
        type: entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2',
        link: link.length > 100 ? truncate(link, 100) : link
    });
    if (pax.length === 0)
        return main;
    const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)));
    const paxHeader = ustar({
        name: Buffer.from('././@PaxHeader'),
        prefix: Buffer.alloc(0),
        mode: 0o644,
        size: body.length,
        mtime: entry.mtime,
        type: 'x',
        link: Buffer.alloc(0)
    });
    return Buffer.concat([paxHeader, body, tarPadding(body.length), main]);
}
/** Zeros that fill the last block of `size` bytes of data. */
function tarPadding(size) {
    const rest = size % BLOCK;
    return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}
function ustar(f) {
    const b = Buffer.alloc(BLOCK);
    f.name.copy(b, 0);
    octal(b, 100, 8, f.mode);
    octal(b, 108, 8, 0);
    octal(b, 116, 8, 0);
    octal(b, 124, 12, f.size);
    octal(b, 136, 12, f.mtime);
    b.write(f.type, 156, 'latin1');
    f.link.copy(b, 157);
    b.write('ustar\0', 257, 'latin1');
    b.write('00', 263, 'latin1');
    b.write('root', 265, 'latin1');
    b.write('root', 297, 'latin1');
    octal(b, 329, 8, 0);
    octal(b, 337, 8, 0);
    f.prefix.copy(b, 345);
    b.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of b)
        sum += byte;
    b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    return b;
}
function octal(b, offset, width, value) {
    b.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, 'latin1');
}
/** ustar's name (100 bytes) and prefix (155 bytes), split at a '/', if the name fits. */
function splitName(name) {
    if (name.length <= 100)
        return { name, prefix: Buffer.alloc(0) };
    // A folder's trailing '/' stays with the name part.
    const last = name[name.length - 1] === 0x2f ? name.length - 2 : name.length - 1;
    for (let i = last; i > 0; i--) {
        if (name[i] !== 0x2f)
            continue;
        const prefix = name.subarray(0, i);
        const rest = name.subarray(i + 1);
        if (prefix.length > 155)
            continue;
        if (rest.length === 0 || rest.length > 100)
            return undefined;
        return { name: rest, prefix };
    }
    return undefined;
}
function truncate(b, n) {
    return b.length > n ? b.subarray(0, n) : b;
}
/** "<length> key=value\n", where length counts the whole record, its own digits included. */
function paxRecord(key, value) {
    const rest = Buffer.byteLength(` ${key}=${value}\n`);
    let length = rest + String(rest).length;
    if (String(length).length !== String(rest).length)
        length = rest + String(length).length;
    return Buffer.from(`${length} ${key}=${value}\n`);
}

;// CONCATENATED MODULE: ./src/bundle/zip-format.ts
// Zip records (APPNOTE 6.3), written by hand: Unix modes and symlinks in the external
// attributes, one fixed DOS time (DOS time has no zone, so it reads the same everywhere),
// UTF-8 names, and zip64 wherever a size, an offset or the entry count needs it.
const STORE = 0;
const DEFLATE = 8;
const U32 = 0xffffffff;
const U16 = 0xffff;
/** 1980-01-01 00:00:00, the earliest DOS date: day 1, month 1, year 0 (1980). */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Language encoding flag: names are UTF-8. */
const FLAG_UTF8 = 0x0800;
/** CRC and sizes follow the data, in a data descriptor. */
const FLAG_DESCRIPTOR = 0x0008;
/** Made by Unix (3), spec 4.5: unzip then applies the mode bits in the external attributes. */
const MADE_BY = (3 << 8) | 45;
function localHeader(r) {
    const extra = r.zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
    const b = Buffer.alloc(30);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(versionNeeded(r), 4);
    b.writeUInt16LE(flags(r), 6);
    b.writeUInt16LE(r.method, 8);
    b.writeUInt16LE(DOS_TIME, 10);
    b.writeUInt16LE(DOS_DATE, 12);
    if (r.zip64) {
        b.writeUInt32LE(U32, 18);
        b.writeUInt32LE(U32, 22);
    }
    else if (!r.descriptor) {
        b.writeUInt32LE(r.crc, 14);
        b.writeUInt32LE(r.compressedSize, 18);
        b.writeUInt32LE(r.size, 22);
    }
    b.writeUInt16LE(r.name.length, 26);
    b.writeUInt16LE(extra.length, 28);
    return Buffer.concat([b, r.name, extra]);
}
function dataDescriptor(r) {
    const b = Buffer.alloc(r.zip64 ? 24 : 16);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(r.crc, 4);
    if (r.zip64) {
        b.writeBigUInt64LE(BigInt(r.compressedSize), 8);
        b.writeBigUInt64LE(BigInt(r.size), 16);
    }
    else {
        b.writeUInt32LE(r.compressedSize, 8);
        b.writeUInt32LE(r.size, 12);
    }
    return b;
}
function centralHeader(r) {
    const big = [];
    const size = r.zip64 || r.size >= U32 ? (big.push(r.size), U32) : r.size;
    const csize = r.zip64 || r.compressedSize >= U32 ? (big.push(r.compressedSize), U32) : r.compressedSize;
    const offset = r.offset >= U32 ? (big.push(r.offset), U32) : r.offset;
    const extra = big.length ? zip64Extra(big) : Buffer.alloc(0);
    const b = Buffer.alloc(46);
    b.writeUInt32LE(0x02014b50, 0);
    b.writeUInt16LE(MADE_BY, 4);
    b.writeUInt16LE(big.length ? 45 : versionNeeded(r), 6);
    b.writeUInt16LE(flags(r), 8);
    b.writeUInt16LE(r.method, 10);
    b.writeUInt16LE(DOS_TIME, 12);
    b.writeUInt16LE(DOS_DATE, 14);
    b.writeUInt32LE(r.crc, 16);
    b.writeUInt32LE(csize, 20);
    b.writeUInt32LE(size, 24);
    b.writeUInt16LE(r.name.length, 28);
    b.writeUInt16LE(extra.length, 30);
    // comment length, disk number, internal attributes: 0
    const dosDir = (r.unixMode & 0o170000) === 0o040000 ? 0x10 : 0;
    b.writeUInt32LE(((r.unixMode << 16) | dosDir) >>> 0, 38);
    b.writeUInt32LE(offset, 42);
    return Buffer.concat([b, r.name, extra]);
}
/** End records; zip64 ones when the count, the directory's size or its offset overflow. */
function endOfCentralDirectory(count, cdOffset, cdSize) {
    const parts = [];
    const needs64 = count >= U16 || cdOffset >= U32 || cdSize >= U32;
    if (needs64) {
        const rec = Buffer.alloc(56);
        rec.writeUInt32LE(0x06064b50, 0);
        rec.writeBigUInt64LE(44n, 4);
        rec.writeUInt16LE(MADE_BY, 12);
        rec.writeUInt16LE(45, 14);
        rec.writeBigUInt64LE(BigInt(count), 24);
        rec.writeBigUInt64LE(BigInt(count), 32);
        rec.writeBigUInt64LE(BigInt(cdSize), 40);
        rec.writeBigUInt64LE(BigInt(cdOffset), 48);
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(0x07064b50, 0);
        locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
        locator.writeUInt32LE(1, 16);
        parts.push(rec, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, U16), 8);
    end.writeUInt16LE(Math.min(count, U16), 10);
    end.writeUInt32LE(Math.min(cdSize, U32), 12);
    end.writeUInt32LE(Math.min(cdOffset, U32), 16);
    parts.push(end);
    return Buffer.concat(parts);
}
function versionNeeded(r) {
    return r.zip64 ? 45 : 20;
}
function flags(r) {
    return FLAG_UTF8 | (r.descriptor ? FLAG_DESCRIPTOR : 0);
}
function zip64Extra(values) {
    const b = Buffer.alloc(4 + 8 * values.length);
    b.writeUInt16LE(0x0001, 0);
    b.writeUInt16LE(8 * values.length, 2);
    values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
    return b;
}

;// CONCATENATED MODULE: ./src/bundle/archive-writer.ts
// Writes the bundle as tgz, tar or zip, streaming: file content passes through one reused 1 MiB
// read buffer, and sha256 and size are taken from the bytes on their way to disk (no second read).
// Reusing the buffer matters: V8 frees a dropped Buffer's memory only after ~64 MB of them pile
// up, so a fresh buffer per read kept tens of MB of garbage alive during a big bundle.
//
// Reproducible: entries sorted, owner root (0/0), every timestamp 1980-01-01T00:00:00Z (the
// earliest instant a zip's DOS time can hold, so tar and zip carry the same date; tar also avoids
// the 1970 epoch that extractors flag as implausible), the gzip header written here (OS Unix).
// Modes come from the selection (disk modes without group/other write); hook scripts are made
// executable by adding x wherever r is set (0644 -> 0755, 0600 -> 0700).
//
// Already-compressed content (jars, images, archives) is not deflated again: zip stores it, and
// the gzip stream stores its bytes verbatim (GzipStream), deflating again at the next entry.
// The tar and zip records are written here (tar-format.ts, zip-format.ts) because the level
// switch must fall exactly between entries, and zip64 must be chosen per entry from its size.










/** The one timestamp of every entry. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');
const MTIME_SECONDS = FIXED_MTIME.getTime() / 1000;
/** gzip's and `tar -czf`'s default level. */
const DEFLATE_LEVEL = 6;
const READ_CHUNK = 1 << 20;
/** Files up to this size are read whole (zip: CRC known before the header, no descriptor). */
const SMALL_FILE = 64 * 1024;
/** In a gzip stream, switching level costs a flush: worth it only for bigger compressed files. */
const STORE_IN_GZIP_FROM = 64 * 1024;
/** Zip entries this big get zip64 sizes (deflate can grow incompressible data slightly). */
const ZIP64_FROM = 0xf0000000;
/** Small writes are coalesced into chunks of this size before they enter the stream. */
const COALESCE = 256 * 1024;
async function writeArchive(opts) {
    const entries = [...opts.entries].sort((a, b) => (0,compare_text/* compareText */.n)(a.path, b.path));
    for (const e of entries) {
        const problem = bundlePathProblem(e.path);
        if (problem)
            throw new errors/* ActionError */.lZ(`Bundle path '${e.path}' ${problem}.`, 'Fix the files rules.');
    }
    const modeOf = (e) => e.type === 'file' && opts.executable.has(e.path) ? executableMode(e.mode) : e.mode & 0o777;
    let out;
    try {
        out = await ArchiveSink.open(opts.outPath, opts.type === 'tgz');
        const next = () => {
            if (opts.signal?.aborted)
                throw (0,errors/* cancelledWhileBundling */.Aw)();
        };
        const reader = new ChunkReader(next);
        if (opts.type === 'zip')
            await writeZip(entries, modeOf, out, reader, next);
        else
            await writeTar(entries, modeOf, out, reader, next);
        const { sha256, size } = await out.end();
        const fileCount = entries.filter((e) => e.type !== 'directory').length;
        return { path: opts.outPath, sha256, size, fileCount };
    }
    catch (err) {
        await out?.abort();
        await (0,promises_.rm)(opts.outPath, { force: true });
        if (err instanceof errors/* ActionError */.lZ)
            throw err;
        const e = err;
        throw new errors/* ActionError */.lZ(`Cannot write the bundle to '${opts.outPath}': ${e.code ?? e.message}.`, 'Check that the folder exists, is writable and has room (RUNNER_TEMP on the runner).');
    }
}
/** A hook script's mode in the archive: x added wherever r is set; the owner always gets it. */
function executableMode(mode) {
    return (mode & 0o777) | 0o100 | ((mode & 0o044) >> 2);
}
async function writeTar(entries, modeOf, out, reader, next) {
    for (const e of entries) {
        next();
        await out.write(tarHeader({
            path: e.path,
            type: e.type,
            mode: modeOf(e),
            size: e.size,
            linkTarget: e.linkTarget,
            mtime: MTIME_SECONDS
        }));
        if (e.type !== 'file' || e.size === 0)
            continue;
        const store = e.size >= STORE_IN_GZIP_FROM && isAlreadyCompressed(e.path);
        await out.level(store ? 0 : DEFLATE_LEVEL);
        if (isSmallFile(e))
            await out.write(readSmall(e));
        else
            for await (const chunk of reader.chunks(e))
                await out.write(chunk);
        await out.write(tarPadding(e.size));
    }
    await out.write(TAR_END);
}
async function writeZip(entries, modeOf, out, reader, next) {
    const records = [];
    const deflater = new SmallDeflater();
    try {
        for (const e of entries) {
            next();
            const typeBits = e.type === 'file' ? 0o100000 : e.type === 'directory' ? 0o040000 : 0o120000;
            const record = {
                name: Buffer.from(e.type === 'directory' ? `${e.path}/` : e.path),
                method: STORE,
                crc: 0,
                compressedSize: 0,
                size: 0,
                offset: out.written,
                unixMode: typeBits | modeOf(e),
                descriptor: false,
                zip64: false
            };
            if (e.type === 'file' && e.size > SMALL_FILE)
                await writeZipStreamed(e, record, out, reader);
            else {
                const data = e.type === 'symlink'
                    ? Buffer.from(e.linkTarget ?? '')
                    : isSmallFile(e)
                        ? readSmall(e)
                        : Buffer.alloc(0);
                await writeZipWhole(e, data, record, out, deflater);
            }
            records.push(record);
        }
    }
    finally {
        deflater.close();
    }
    const cdOffset = out.written;
    for (const r of records)
        await out.write(centralHeader(r));
    await out.write(endOfCentralDirectory(records.length, cdOffset, out.written - cdOffset));
}
/** Folders, links and small files: content in memory, CRC and sizes in the local header. */
async function writeZipWhole(e, data, r, out, deflater) {
    let body = data;
    if (e.type === 'file' && data.length > 0 && !isAlreadyCompressed(e.path)) {
        const deflated = await deflater.deflate(data);
        if (deflated.length < data.length) {
            body = deflated;
            r.method = DEFLATE;
        }
    }
    r.crc = external_node_zlib_default().crc32(data);
    r.size = data.length;
    r.compressedSize = body.length;
    await out.write(localHeader(r));
    if (body.length > 0)
        await out.write(body);
}
/** Big files: streamed through, CRC and sizes in a data descriptor after the data. */
async function writeZipStreamed(e, r, out, reader) {
    r.descriptor = true;
    r.zip64 = e.size >= ZIP64_FROM;
    r.method = isAlreadyCompressed(e.path) ? STORE : DEFLATE;
    r.size = e.size;
    await out.write(localHeader(r));
    if (r.method === STORE) {
        for await (const chunk of reader.chunks(e)) {
            r.crc = external_node_zlib_default().crc32(chunk, r.crc);
            await out.write(chunk);
        }
        r.compressedSize = e.size;
    }
    else {
        const deflate = external_node_zlib_default().createDeflateRaw({ level: DEFLATE_LEVEL });
        const feeding = (async () => {
            for await (const chunk of reader.chunks(e)) {
                r.crc = external_node_zlib_default().crc32(chunk, r.crc);
                // Its callback runs once deflate has consumed the chunk: only then may the buffer be reused.
                await new Promise((resolve, reject) => deflate.write(chunk, (err) => (err ? reject(err) : resolve())));
            }
            deflate.end();
        })().catch((err) => {
            deflate.destroy(err);
            throw err;
        });
        try {
            for await (const chunk of deflate) {
                r.compressedSize += chunk.length;
                await out.write(chunk);
            }
        }
        catch (err) {
            deflate.destroy(err);
            await feeding.catch(() => undefined);
            throw err;
        }
        await feeding;
    }
    await out.write(dataDescriptor(r));
}
function isSmallFile(e) {
    return e.type === 'file' && e.size > 0 && e.size <= SMALL_FILE;
}
/**
 * A small file's content, read synchronously: for a 100,000-file bundle, sync open/fstat/read
 * is several times faster than promise-based calls, and zlib keeps compressing on its own
 * threads meanwhile. Same guards as ChunkReader.chunks: no links followed, size checked.
 */
function readSmall(e) {
    const source = e.source;
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(source, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (err) {
        const x = err;
        throw changed(source, x.code ?? x.message);
    }
    try {
        const st = (0,external_node_fs_.fstatSync)(fd);
        if (!st.isFile())
            throw changed(source, 'no longer a regular file');
        if (st.size !== e.size)
            throw changed(source, `size ${e.size} became ${st.size}`);
        const buf = Buffer.allocUnsafe(e.size);
        let at = 0;
        while (at < e.size) {
            const n = (0,external_node_fs_.readSync)(fd, buf, at, e.size - at, at);
            if (n === 0)
                throw changed(source, 'it got shorter');
            at += n;
        }
        return buf;
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
function changed(source, detail) {
    return new errors/* ActionError */.lZ(`'${source}' changed while the bundle was written (${detail}), so the archive would not match what was checked.`, 'Make sure no other process writes to the workspace while this step runs, then run it again.');
}
/**
 * One raw-deflate engine reused for every small zip entry (finished and reset per entry):
 * an engine per file costs ~300 KiB of native memory that is freed too late, and time.
 */
class SmallDeflater {
    engine = external_node_zlib_default().createDeflateRaw({ level: DEFLATE_LEVEL });
    output = [];
    failure;
    constructor() {
        this.engine.on('data', (chunk) => this.output.push(chunk));
        this.engine.on('error', (err) => (this.failure = err));
    }
    deflate(data) {
        return new Promise((resolve, reject) => {
            this.engine.write(data);
            this.engine.flush((external_node_zlib_default()).constants.Z_FINISH, () => {
                const out = Buffer.concat(this.output);
                this.output = [];
                if (this.failure)
                    return reject(this.failure);
                this.engine.reset();
                resolve(out);
            });
        });
    }
    close() {
        this.engine.close();
    }
}
/** Reads files in chunks through one buffer, reused for every chunk of every file. */
class ChunkReader {
    next;
    buffer = Buffer.allocUnsafe(READ_CHUNK);
    /** `next` throws to stop (a cancel): asked before every read, so a big file stops midway. */
    constructor(next = () => undefined) {
        this.next = next;
    }
    /**
     * A file's content, opened without following links and checked against its size. Each chunk
     * is overwritten by the next read: consume it (the ArchiveSink.write promise) before asking for more.
     */
    async *chunks(e) {
        const source = e.source;
        // O_NONBLOCK: a file swapped for a FIFO fails instead of hanging; no effect on regular files.
        const fh = await (0,promises_.open)(source, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK).catch((err) => {
            throw changed(source, err.code ?? err.message);
        });
        try {
            const st = await fh.stat();
            if (!st.isFile())
                throw changed(source, 'no longer a regular file');
            if (st.size !== e.size)
                throw changed(source, `size ${e.size} became ${st.size}`);
            let left = e.size;
            while (left > 0) {
                this.next();
                const want = Math.min(left, READ_CHUNK);
                const { bytesRead } = await fh.read(this.buffer, 0, want, null);
                if (bytesRead === 0)
                    throw changed(source, 'it got shorter');
                left -= bytesRead;
                yield this.buffer.subarray(0, bytesRead);
            }
        }
        finally {
            await fh.close();
        }
    }
}
/**
 * The archive's byte stream: optionally gzip, then hashing and counting, then the file.
 * `written` counts bytes before compression (zip offsets); sha256 and size count what lands.
 * A buffer given to write() may be reused as soon as its promise resolves: small ones are
 * copied, big ones are consumed (by gzip) or written to the file before it resolves.
 */
class ArchiveSink {
    fh;
    written = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    gzip;
    /**
     * Small writes (headers, small files, the reader's chunks of a small file) are copied into one
     * of two buffers, used in turn: a copy per write and a concat per flush made twice the input
     * in garbage, which V8 frees only when external memory passes its GC trigger. A full buffer is
     * passed on while the other fills; it is free again once the write after it has started
     * (toFile waits for the previous write), which is before the other fills up.
     */
    coalesce = [Buffer.allocUnsafe(COALESCE), Buffer.allocUnsafe(COALESCE)];
    current = 0;
    pendingBytes = 0;
    /** The write of a buffer nobody else holds (gzip output), overlapping the next read. */
    writing = Promise.resolve();
    constructor(fh, gzip) {
        this.fh = fh;
        this.gzip = gzip ? new GzipStream((b, borrowed) => this.toFile(b, borrowed)) : undefined;
    }
    static async open(outPath, gzip) {
        return new ArchiveSink(await (0,promises_.open)(outPath, 'w', 0o644), gzip);
    }
    async write(buf) {
        this.written += buf.length;
        if (buf.length >= COALESCE) {
            await this.flush();
            await this.push(buf);
            return;
        }
        if (this.pendingBytes + buf.length > COALESCE)
            await this.flush();
        buf.copy(this.coalesce[this.current], this.pendingBytes);
        this.pendingBytes += buf.length;
        if (this.pendingBytes === COALESCE)
            await this.flush();
    }
    /** Sets the gzip level (0: stored) for what follows; a no-op for tar and zip. */
    async level(level) {
        if (!this.gzip || this.gzip.storing === (level === 0))
            return;
        await this.flush();
        await this.gzip.level(level);
    }
    async end() {
        await this.flush();
        if (this.gzip)
            await this.gzip.finish();
        await this.writing;
        await this.fh.close();
        return { sha256: this.hash.digest('hex'), size: this.size };
    }
    async abort() {
        this.gzip?.close();
        await this.writing.catch(() => undefined);
        await this.fh.close().catch(() => undefined);
    }
    async flush() {
        if (this.pendingBytes === 0)
            return;
        const chunk = this.coalesce[this.current].subarray(0, this.pendingBytes);
        this.current ^= 1;
        this.pendingBytes = 0;
        await this.push(chunk, false);
    }
    async push(chunk, borrowed = true) {
        if (this.gzip)
            await this.gzip.write(chunk);
        else
            await this.toFile(chunk, borrowed);
    }
    /**
     * Appends to the file, one write at a time. A borrowed buffer (the caller reuses it) is
     * written before this resolves; an owned one is left writing while the caller goes on.
     */
    async toFile(chunk, borrowed) {
        await this.writing;
        this.hash.update(chunk);
        const at = this.size;
        this.size += chunk.length;
        this.writing = writeFully(this.fh, chunk, at);
        // Awaited by the next write or by end(); this only keeps it from counting as unhandled.
        this.writing.catch(() => undefined);
        if (borrowed)
            await this.writing;
    }
}
async function writeFully(fh, chunk, position) {
    let done = 0;
    while (done < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, position + done);
        done += bytesWritten;
    }
}
/** gzip header: no name, mtime 0, OS Unix (3), so every machine writes the same bytes. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const MAX_STORED_BLOCK = 0xffff;
/**
 * gzip written around one raw deflate stream, with stretches stored verbatim. zlib's own level
 * switch (Gzip.params) silently keeps the old level in Node (deflateParams' internal flush
 * returns Z_BUF_ERROR, which Node ignores), so the switch is done here: a sync flush ends the
 * deflate blocks on a byte boundary, stored blocks follow, and the engine is reset (fresh
 * dictionary: it never saw the stored bytes) before deflating again. pigz joins blocks the same way.
 */
class GzipStream {
    emit;
    engine = external_node_zlib_default().createDeflateRaw({ level: DEFLATE_LEVEL });
    produced = [];
    crc = 0;
    length = 0;
    stored = false;
    started = false;
    get storing() {
        return this.stored;
    }
    /** Reused for the stored blocks of each chunk, so stored jars and images make no garbage. */
    blocks = Buffer.alloc(0);
    /** `borrowed`: the chunk is reused once emit resolves, so emit must finish with it first. */
    constructor(emit) {
        this.emit = emit;
        this.engine.on('data', (chunk) => this.produced.push(chunk));
    }
    async write(chunk) {
        await this.start();
        this.crc = external_node_zlib_default().crc32(chunk, this.crc);
        this.length += chunk.length;
        if (this.stored)
            await this.emit(this.storedBlocks(chunk), true);
        else
            await this.run((done) => this.engine.write(chunk, done));
    }
    async level(level) {
        const stored = level === 0;
        if (stored === this.stored)
            return;
        await this.start();
        if (stored)
            await this.run((done) => this.engine.flush((external_node_zlib_default()).constants.Z_SYNC_FLUSH, done));
        else
            this.engine.reset();
        this.stored = stored;
    }
    async finish() {
        await this.start();
        if (this.stored)
            this.engine.reset();
        await this.run((done) => this.engine.flush((external_node_zlib_default()).constants.Z_FINISH, done));
        const trailer = Buffer.alloc(8);
        trailer.writeUInt32LE(this.crc >>> 0, 0);
        trailer.writeUInt32LE(this.length % 2 ** 32, 4);
        await this.emit(trailer, false);
        this.close();
    }
    close() {
        this.engine.close();
    }
    async start() {
        if (this.started)
            return;
        this.started = true;
        await this.emit(GZIP_HEADER, false);
    }
    /** Runs one engine call, then passes on what it produced (its 'data' events precede `done`). */
    async run(call) {
        await new Promise((resolve, reject) => {
            const onError = (err) => reject(err);
            this.engine.once('error', onError);
            call((err) => {
                this.engine.off('error', onError);
                if (err)
                    reject(err);
                else
                    resolve();
            });
        });
        const out = this.produced;
        this.produced = [];
        for (const chunk of out)
            await this.emit(chunk, false);
    }
    /** Deflate stored blocks (BTYPE 00, not final) holding `data` verbatim; needs a byte boundary. */
    storedBlocks(data) {
        const size = data.length + 5 * Math.ceil(data.length / MAX_STORED_BLOCK);
        if (this.blocks.length < size)
            this.blocks = Buffer.allocUnsafe(size);
        let to = 0;
        for (let at = 0; at < data.length; at += MAX_STORED_BLOCK) {
            const piece = data.subarray(at, at + MAX_STORED_BLOCK);
            this.blocks[to] = 0;
            this.blocks.writeUInt16LE(piece.length, to + 1);
            this.blocks.writeUInt16LE(~piece.length & 0xffff, to + 3);
            to += 5 + piece.copy(this.blocks, to + 5);
        }
        return this.blocks.subarray(0, to);
    }
}

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
;// CONCATENATED MODULE: ./src/bundle/archive-reader.ts
// A pre-built archive (the `archive` input) as the validator sees it: listed once, refused
// when extracting it could write outside the deployment folder, and seen the way the agent
// will see it once unpacked (its single-top-folder rule applied).









/** read() refuses files bigger than this: it exists for appspecs and scripts. */
const MAX_READ = 16 * 1024 * 1024;
/** While listing a tar, files up to this size are kept, up to CACHE_TOTAL in all. */
const CACHE_FILE = 64 * 1024;
const CACHE_TOTAL = 8 * 1024 * 1024;
const MAX_LINK = 4096;
async function readArchive(file, type) {
    return type === 'zip' ? readZip(file) : readTar(file, type === 'tgz');
}
function corrupt(file, type, err) {
    if (err instanceof errors/* ActionError */.lZ)
        return err;
    // Errors from zlib may come from another realm (jest): read the message, not the class.
    const message = err?.message;
    const detail = typeof message === 'string' ? message : String(err);
    return new errors/* ActionError */.lZ(`The archive '${file}' cannot be read as a ${type} file (${detail}).`, `Check that it is complete and really a ${type} (its name decides the type), or let the action build the bundle from source and files.`);
}
function refused(file, entry, why) {
    return new errors/* ActionError */.lZ(`The archive '${file}' is refused: its entry '${entry}' ${why}.`, 'Rebuild the archive from a folder holding only regular files, folders and links that stay inside it, or let the action build the bundle from source and files.');
}
/** Archive names are relative: './' prefixes and a trailing '/' are dropped; '' is the root. */
function normalize(name) {
    let p = name;
    while (p.startsWith('./'))
        p = p.slice(2);
    while (p.endsWith('/'))
        p = p.slice(0, -1);
    return p === '.' ? '' : p;
}
function checkPath(file, p) {
    const problem = bundlePathProblem(p);
    if (problem)
        throw refused(file, p, problem);
}
// ---- tar and tgz -----------------------------------------------------------------------------
async function readTar(file, gzip) {
    const kind = gzip ? 'tgz' : 'tar';
    const listed = new Map();
    const cache = new Map();
    let cached = 0;
    await scanTar(file, gzip, async (header, body) => {
        const p = normalize(header.name);
        if (p === '') {
            body.resume();
            return;
        }
        checkPath(file, p);
        const entry = tarEntry(file, p, header);
        listed.set(p, entry);
        cache.delete(p);
        if (entry.type === 'file' && entry.size <= CACHE_FILE && cached + entry.size <= CACHE_TOTAL) {
            const content = await collect(body, CACHE_FILE);
            cache.set(p, content);
            cached += content.length;
        }
        else
            body.resume();
    }).catch((err) => {
        throw corrupt(file, kind, err);
    });
    return view(file, [...listed.values()], {
        async read(entry) {
            const hit = cache.get(entry.archivePath);
            if (hit)
                return hit;
            // Not kept while listing: find the last entry of that name (the one tar extracts).
            let content;
            await scanTar(file, gzip, async (header, body) => {
                if (normalize(header.name) === entry.archivePath)
                    content = await collect(body, MAX_READ);
                else
                    body.resume();
            }).catch((err) => {
                throw corrupt(file, kind, err);
            });
            return content ?? Buffer.alloc(0);
        },
        async close() { }
    });
}
function tarEntry(file, p, h) {
    const mode = (h.mode ?? 0) & 0o777;
    switch (h.type) {
        case 'file':
        case 'contiguous-file':
        case undefined:
        case null:
            return { path: p, archivePath: p, type: 'file', mode, size: h.size ?? 0 };
        case 'directory':
            return { path: p, archivePath: p, type: 'directory', mode, size: 0 };
        case 'symlink':
            return {
                path: p,
                archivePath: p,
                type: 'symlink',
                mode,
                size: 0,
                linkTarget: h.linkname ?? ''
            };
        case 'link':
            throw refused(file, p, `is a hard link (to '${h.linkname ?? ''}'), which the agent's tar may resolve outside the bundle`);
        case 'character-device':
        case 'block-device':
        case 'fifo':
            throw refused(file, p, `is a ${h.type}, which a deployment must not create`);
        default:
            throw refused(file, p, `has the unsupported tar type '${String(h.type)}'`);
    }
}
async function scanTar(file, gzip, onEntry) {
    const extract = tar_stream.extract();
    const source = (0,external_node_fs_.createReadStream)(file);
    const feeding = gzip ? (0,external_node_stream_promises_.pipeline)(source, external_node_zlib_default().createGunzip(), extract) : (0,external_node_stream_promises_.pipeline)(source, extract);
    feeding.catch(() => undefined);
    for await (const entry of extract)
        await onEntry(entry.header, entry);
    await feeding;
}
async function collect(body, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size > limit)
            throw new Error(`an entry is larger than ${limit} bytes`);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
// ---- zip -------------------------------------------------------------------------------------
async function readZip(file) {
    let zip;
    try {
        zip = await yauzl.openPromise(file, { autoClose: false, decodeStrings: false });
    }
    catch (err) {
        throw corrupt(file, 'zip', err);
    }
    try {
        const listed = new Map();
        for await (const raw of zip.eachEntry()) {
            const extra = yauzl.parseExtraFields(raw.extraFieldRaw);
            // Info-ZIP's zip stores UTF-8 names without the UTF-8 flag, and unzip on a Linux instance
            // writes a name's bytes as they are: read such names as UTF-8, not CP437.
            const plain = (raw.generalPurposeBitFlag & 0x800) === 0 && !extra.some((f) => f.id === 0x7075);
            const name = plain && (0,external_node_buffer_.isUtf8)(raw.fileNameRaw)
                ? raw.fileNameRaw.toString('utf8')
                : yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, extra, false);
            const p = normalize(name.replace(/\\/g, '/'));
            if (p === '')
                continue;
            checkPath(file, p);
            if (raw.isEncrypted())
                throw refused(file, p, 'is encrypted, and the agent cannot unzip it');
            const entry = zipEntry(file, p, name.endsWith('/'), raw);
            if (entry.type === 'symlink') {
                entry.linkTarget = (await readZipEntry(zip, raw, MAX_LINK)).toString('utf8');
            }
            listed.set(p, entry);
        }
        return view(file, [...listed.values()], {
            read: (entry) => readZipEntry(zip, entry.zipEntry, MAX_READ),
            async close() {
                zip.close();
            }
        });
    }
    catch (err) {
        zip.close();
        throw corrupt(file, 'zip', err);
    }
}
function zipEntry(file, p, slash, raw) {
    const host = raw.versionMadeBy >> 8;
    // Unix (3) and macOS (19) keep st_mode in the high half, as unzip reads it.
    const unixMode = host === 3 || host === 19 ? raw.externalFileAttributes >>> 16 : 0;
    const kind = unixMode & 0o170000;
    const base = { path: p, archivePath: p, zipEntry: raw };
    if (kind === 0o040000 || (kind === 0 && slash))
        return { ...base, type: 'directory', mode: unixMode & 0o777 || 0o755, size: 0 };
    if (kind === 0o120000)
        return { ...base, type: 'symlink', mode: 0o777, size: 0 };
    if (kind === 0o100000 || kind === 0)
        return { ...base, type: 'file', mode: unixMode & 0o777 || 0o644, size: raw.uncompressedSize };
    throw refused(file, p, 'is a special file (device, FIFO or socket), which a deployment must not create');
}
async function readZipEntry(zip, entry, limit) {
    const stream = await zip.openReadStreamPromise(entry);
    return collect(stream, limit);
}
function view(file, all, access) {
    const stripped = topFolderToStrip(all);
    const entries = [];
    for (const e of all) {
        if (stripped === undefined)
            entries.push(e);
        else if (e.path.startsWith(`${stripped}/`))
            entries.push({ ...e, path: e.path.slice(stripped.length + 1) });
    }
    // Links are judged where the agent will leave them: after stripping.
    for (const e of entries) {
        if (e.type === 'symlink' && resolveLink(e.path, e.linkTarget ?? '') === undefined)
            throw refused(file, e.archivePath, `is a symlink to '${e.linkTarget}', outside the archive`);
    }
    entries.sort((a, b) => (0,compare_text/* compareText */.n)(a.path, b.path));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    return {
        entries: entries.map(({ archivePath: _a, zipEntry: _z, ...e }) => e),
        ...(stripped !== undefined ? { strippedFolder: stripped } : {}),
        async read(p) {
            const entry = byPath.get(p);
            if (!entry || entry.type !== 'file')
                throw new errors/* ActionError */.lZ(`'${p}' is not a file in the archive '${file}'.`);
            if (entry.size > MAX_READ)
                throw new errors/* ActionError */.lZ(`'${p}' in '${file}' is ${entry.size} bytes; only files up to ${MAX_READ} bytes are read for validation.`, 'Keep appspec.yml and hook scripts small.');
            try {
                return await access.read(entry);
            }
            catch (err) {
                throw corrupt(file, 'archive', err);
            }
        },
        close: () => access.close()
    };
}
/**
 * The agent's rule: when the unpacked root holds exactly one entry, a folder with something
 * named like /appspec/i directly inside, that folder's contents become the root.
 */
function topFolderToStrip(entries) {
    const roots = new Set(entries.map((e) => e.path.split('/')[0]));
    if (roots.size !== 1)
        return undefined;
    const root = [...roots][0];
    const rootEntry = entries.find((e) => e.path === root);
    if (rootEntry && rootEntry.type !== 'directory')
        return undefined;
    const children = new Set(entries.filter((e) => e.path.startsWith(`${root}/`)).map((e) => e.path.split('/')[1]));
    return [...children].some((c) => c !== undefined && /appspec/i.test(c)) ? root : undefined;
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/bundle/select.ts
// Chooses what goes into a built bundle: the `source` folder's contents plus the `files` rules,
// minus the exclusions. Every path is treated as hostile: walks never follow symlinks, every
// walk root is resolved with realpath and must lie in the workspace, and a symlink is kept as a
// link only when what it points to is inside the workspace.






/** Entries walked between two turns of the event loop, where a cancel signal can land. */
const YIELD_EVERY = 2_000;
/** Folders never bundled: `.git` holds the checkout's token (actions/checkout persists it). */
const NEVER = new Set(['.git']);
const DIR_MODE = 0o755;
/** Group/other write and setuid/setgid/sticky dropped: the agent extracts as root with -p. */
const MODE_MASK = 0o755;
async function selectBundleFiles(opts) {
    const walker = Walker.create(opts);
    const placed = new Map();
    const place = (found, bundlePath, origin) => addPlaced(placed, found, bundlePath, origin);
    const sourceRel = walker.relative(opts.sourceDir);
    const sourceOrigin = `source '${sourceRel || '.'}'`;
    walker.checkSource(opts.sourceDir, sourceRel);
    for (const found of await walker.walk(opts.sourceDir, sourceRel, Infinity, () => true)) {
        place(found, found.baseRel, sourceOrigin);
    }
    for (const rule of opts.rules) {
        if (rule.kind !== 'include')
            continue;
        const origin = `files line ${rule.line}`;
        const { found, excluded } = await walker.match(rule.pattern);
        if (found.length === 0) {
            const why = excluded
                ? ` (${excluded} match${excluded === 1 ? '' : 'es'} excluded by '!' lines)`
                : '';
            throw new errors/* InputError */.dz('files', `line ${rule.line}: '${rule.pattern}' matched no file in ${opts.workspace}${why}.`, 'Check the path, or that the build step that makes it ran before this one.');
        }
        const target = rule.target;
        if (target === undefined) {
            for (const f of found)
                place(f, f.wsRel, origin);
        }
        else if (target.endsWith('/')) {
            const folder = target === './' ? '' : target;
            // A named folder itself ('' relative to itself) is the target folder, implied.
            for (const f of found)
                if (f.baseRel !== '')
                    place(f, folder + f.baseRel, origin);
        }
        else {
            place(renamed(rule, found, target), target, origin);
        }
    }
    return finish(placed, opts);
}
function renamed(rule, found, target) {
    const all = new Set(found.map((f) => f.wsRel));
    const hasAncestor = (p) => {
        for (let d = external_node_path_default().posix.dirname(p); d !== '.'; d = external_node_path_default().posix.dirname(d))
            if (all.has(d))
                return true;
        return false;
    };
    const tops = found.filter((f) => !hasAncestor(f.wsRel));
    const folder = tops.find((f) => f.type === 'directory');
    if (folder)
        throw new errors/* InputError */.dz('files', `line ${rule.line}: '${rule.pattern} => ${target}' renames one file, but '${folder.wsRel}' is a folder.`, `To put a folder's contents in the bundle, end the target with '/': '${rule.pattern} => ${target}/'.`);
    if (tops.length > 1) {
        const names = tops.map((f) => f.wsRel);
        const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
        throw new errors/* InputError */.dz('files', `line ${rule.line}: '${rule.pattern} => ${target}' renames one file, but the pattern matched ${names.length}: ${shown}.`, `Narrow the pattern, or add an exclusion line such as '${suggestExclusion(names)}'.`);
    }
    return tops[0];
}
/** Spring Boot leaves app.jar next to app-plain.jar: name that case; else exclude all but the first. */
function suggestExclusion(names) {
    const plain = names.find((n) => /-plain\.jar$/.test(n));
    if (plain)
        return `!${external_node_path_default().posix.dirname(plain)}/*-plain.jar`;
    return `!${names[1]}`;
}
function addPlaced(placed, found, bundlePath, origin) {
    const existing = placed.get(bundlePath);
    if (existing) {
        if (existing.type === 'directory' && found.type === 'directory')
            return;
        if (existing.source === found.abs)
            return;
        throw new errors/* InputError */.dz('files', `${existing.origin} and ${origin} both put something at '${bundlePath}' in the bundle: '${existing.wsRel}' and '${found.wsRel}'.`, `Exclude one of them with a '!' line, or give one a different target.`);
    }
    placed.set(bundlePath, {
        path: bundlePath,
        type: found.type,
        mode: found.mode,
        size: found.size,
        ...(found.linkTarget !== undefined ? { linkTarget: found.linkTarget } : {}),
        source: found.abs,
        origin,
        wsRel: found.wsRel
    });
}
function finish(placed, opts) {
    placed.delete('');
    if (![...placed.values()].some((p) => p.type !== 'directory')) {
        throw new errors/* InputError */.dz('source', `the bundle would be empty: '${external_node_path_default().relative(opts.workspace, opts.sourceDir) || '.'}' holds no file${opts.rules.some((r) => r.kind === 'include') ? ' and the files rules added none' : ''}.`, 'Point source at the folder holding appspec.yml, or add files lines.');
    }
    const dirs = new Set();
    for (const p of placed.values()) {
        if (p.type === 'directory')
            dirs.add(p.path);
        for (let d = external_node_path_default().posix.dirname(p.path); d !== '.'; d = external_node_path_default().posix.dirname(d))
            dirs.add(d);
    }
    const entries = [];
    for (const dir of dirs) {
        const p = placed.get(dir);
        if (p && p.type !== 'directory') {
            const child = [...placed.values()].find((o) => o.path.startsWith(dir + '/'));
            throw new errors/* InputError */.dz('files', `${p.origin} puts ${p.type === 'symlink' ? 'a symlink' : 'a file'} at '${dir}', but ${child.origin} needs a folder there for '${child.path}'.`, `Exclude one of them with a '!' line, or give one a different target.`);
        }
        if (!p)
            entries.push({ path: dir, type: 'directory', mode: DIR_MODE, size: 0 });
    }
    for (const p of placed.values()) {
        const { origin: _origin, wsRel: _wsRel, ...entry } = p;
        entries.push(entry);
    }
    entries.sort((a, b) => (0,compare_text/* compareText */.n)(a.path, b.path));
    return { entries, directories: [...dirs].sort(compare_text/* compareText */.n) };
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');
/**
 * Walks workspace paths without following links, confined to the workspace. The file system
 * calls are synchronous on purpose: on a 100,000-file tree, lstatSync is several times faster
 * than promise-based calls queueing on libuv's four threads, and the walk has nothing else to
 * overlap with. It still gives the event loop a turn every YIELD_EVERY entries, or the runner's
 * cancel (a signal handler) would wait for the whole walk: seconds on a big tree, of the 7.5 s
 * the runner allows before SIGTERM.
 */
class Walker {
    workspace;
    wsReal;
    excludes;
    outputPath;
    signal;
    walked = 0;
    constructor(workspace, wsReal, excludes, outputPath, signal) {
        this.workspace = workspace;
        this.wsReal = wsReal;
        this.excludes = excludes;
        this.outputPath = outputPath;
        this.signal = signal;
    }
    static create(opts) {
        const wsReal = tryReal(opts.workspace);
        if (wsReal === undefined)
            throw new errors/* ActionError */.lZ(`The workspace '${opts.workspace}' does not exist.`, 'Run actions/checkout before this step.');
        const excludes = opts.rules
            .filter((r) => r.kind === 'exclude')
            .map((r) => picomatch_default()(r.pattern, { dot: true }));
        let outputPath;
        if (opts.outputPath) {
            const dirReal = tryReal(external_node_path_default().dirname(opts.outputPath));
            if (dirReal)
                outputPath = external_node_path_default().join(dirReal, external_node_path_default().basename(opts.outputPath));
        }
        return new Walker(external_node_path_default().resolve(opts.workspace), wsReal, excludes, outputPath, opts.signal);
    }
    relative(abs) {
        return toPosix(external_node_path_default().relative(this.workspace, external_node_path_default().resolve(abs)));
    }
    checkSource(sourceDir, rel) {
        const shown = rel || '.';
        const outside = () => {
            throw new errors/* InputError */.dz('source', `'${shown}' is outside the workspace.`, 'Give a folder relative to the workspace, e.g. codedeploy.');
        };
        if (rel === '..' || rel.startsWith('../') || external_node_path_default().isAbsolute(rel))
            outside();
        const real = tryReal(sourceDir);
        if (real === undefined)
            throw new errors/* InputError */.dz('source', `folder '${shown}' does not exist in the workspace ${this.workspace}.`, 'Check the path, or that the step that creates it ran before this one.');
        if (!isInside(this.wsReal, real))
            outside();
        if (!(0,external_node_fs_.statSync)(real).isDirectory())
            throw new errors/* InputError */.dz('source', `'${shown}' is a file, not a folder.`, `Set source to the folder that holds appspec.yml, and add single files with the files input.`);
    }
    /** Everything one include pattern selects, and how many matches exclusions removed. */
    async match(pattern) {
        const scan = picomatch_default().scan(pattern);
        const counter = { excluded: 0 };
        if (!scan.isGlob) {
            const rel = pattern === '.' ? '' : pattern.replace(/\/+$/, '');
            const abs = external_node_path_default().join(this.workspace, rel);
            const parentReal = this.confinedReal(external_node_path_default().dirname(abs));
            if (!parentReal)
                return { found: [], excluded: 0 };
            if (this.isExcluded(rel) || external_node_path_default().join(parentReal, external_node_path_default().basename(abs)) === this.outputPath)
                return { found: [], excluded: 1 };
            const st = (0,external_node_fs_.lstatSync)(abs, { throwIfNoEntry: false });
            if (!st)
                return { found: [], excluded: 0 };
            if (st.isDirectory()) {
                const self = this.describe(abs, rel, '', st, parentReal);
                const inner = await this.walk(abs, rel, Infinity, () => true, counter);
                return { found: self ? [self, ...inner] : inner, ...counter };
            }
            const one = this.describe(abs, rel, external_node_path_default().basename(abs), st, parentReal);
            return { found: one ? [one] : [], excluded: 0 };
        }
        const isMatch = picomatch_default()(pattern, { dot: true });
        const deep = scan.isGlobstar || scan.glob.includes('**') || scan.isBrace || scan.isExtglob;
        const depth = deep ? Infinity : scan.glob.split('/').length;
        const base = scan.base.replace(/\/+$/, '');
        const found = await this.walk(external_node_path_default().join(this.workspace, base), base, depth, isMatch, counter);
        return { found, excluded: counter.excluded };
    }
    /**
     * Entries under `root` (not root itself) down to `maxDepth`. An entry is kept when `wanted`
     * accepts its workspace path or one of its ancestors', so a matched folder comes whole.
     */
    async walk(root, rootRel, maxDepth, wanted, counter = { excluded: 0 }) {
        const rootReal = this.confinedReal(root);
        if (!rootReal)
            return [];
        const rootSt = (0,external_node_fs_.statSync)(rootReal, { throwIfNoEntry: false });
        if (!rootSt?.isDirectory())
            return [];
        const out = [];
        // `taint`: why this folder's path cannot be named (bad UTF-8, line break), if it cannot.
        const visit = async (dir, dirReal, baseRel, depth, taken, taint) => {
            const names = attempt(dir, () => (0,external_node_fs_.readdirSync)(dir, { encoding: 'buffer' }));
            names.sort(Buffer.compare);
            for (const raw of names) {
                if (++this.walked % YIELD_EVERY === 0)
                    await this.turn();
                const name = lossy.decode(raw);
                if (NEVER.has(name))
                    continue;
                const childBase = baseRel ? `${baseRel}/${name}` : name;
                const wsRel = rootRel ? `${rootRel}/${childBase}` : childBase;
                const abs = external_node_path_default().join(dir, name);
                const isWanted = taken || wanted(wsRel);
                if (this.isExcluded(wsRel) || external_node_path_default().join(dirReal, name) === this.outputPath) {
                    if (isWanted)
                        counter.excluded++;
                    continue;
                }
                const childTaint = taint ?? nameProblem(raw);
                if (isWanted && childTaint)
                    throw badName(wsRel, childTaint);
                const st = attempt(abs, () => (0,external_node_fs_.lstatSync)(abs));
                if (isWanted) {
                    const found = this.describe(abs, wsRel, childBase, st, dirReal);
                    if (found)
                        out.push(found);
                }
                if (st.isDirectory() && (isWanted || depth < maxDepth)) {
                    const real = external_node_path_default().join(dirReal, name);
                    await visit(abs, real, childBase, depth + 1, isWanted, childTaint);
                }
            }
        };
        await visit(root, rootReal, '', 1, false, undefined);
        return out.sort((a, b) => (0,compare_text/* compareText */.n)(a.wsRel, b.wsRel));
    }
    /** A turn of the event loop; throws once the run was cancelled. */
    async turn() {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.signal?.aborted)
            throw (0,errors/* cancelledWhileBundling */.Aw)();
    }
    isExcluded(wsRel) {
        if (wsRel.split('/').some((s) => NEVER.has(s)))
            return true;
        if (this.excludes.length === 0)
            return false;
        for (let p = wsRel; p !== '.' && p !== ''; p = external_node_path_default().posix.dirname(p)) {
            if (this.excludes.some((m) => m(p)))
                return true;
        }
        return false;
    }
    /** realpath of an existing folder, if it lies in the workspace; refuses one that escapes. */
    confinedReal(dir) {
        const real = tryReal(dir);
        if (real === undefined)
            return undefined;
        if (!isInside(this.wsReal, real))
            throw new errors/* ActionError */.lZ(`'${this.relative(dir)}' resolves to '${real}', outside the workspace: nothing is bundled from there.`, 'Copy what you need into the workspace in an earlier step, or fix the path in files.');
        return real;
    }
    describe(abs, wsRel, baseRel, st, parentReal) {
        const common = { abs, wsRel, baseRel };
        if (st.isFile())
            return { ...common, type: 'file', mode: st.mode & MODE_MASK, size: st.size };
        if (st.isDirectory())
            return { ...common, type: 'directory', mode: st.mode & MODE_MASK, size: 0 };
        if (st.isSymbolicLink()) {
            const linkTarget = attempt(abs, () => (0,external_node_fs_.readlinkSync)(abs));
            this.checkLink(wsRel, linkTarget, parentReal);
            return { ...common, type: 'symlink', mode: 0o777, size: 0, linkTarget };
        }
        throw new errors/* ActionError */.lZ(`'${wsRel}' is a ${specialKind(st)}, which a bundle cannot hold.`, `Exclude it with a '!${wsRel}' line in files.`);
    }
    /** A link is kept only when what it points to, followed all the way, is in the workspace. */
    checkLink(wsRel, linkTarget, parentReal) {
        if (linkTarget.includes('\n') || linkTarget.includes('\r'))
            throw new errors/* ActionError */.lZ(`The symlink '${wsRel}' has a line break in its target.`, `Fix the link, or exclude it with a '!${wsRel}' line in files.`);
        const lexical = external_node_path_default().resolve(parentReal, linkTarget);
        let resolved;
        try {
            resolved = (0,external_node_fs_.realpathSync)(lexical);
        }
        catch (err) {
            if (err.code !== 'ENOENT')
                throw refusedLink(wsRel, linkTarget);
            resolved = lexical;
        }
        if (!isInside(this.wsReal, resolved))
            throw refusedLink(wsRel, linkTarget);
    }
}
function refusedLink(wsRel, linkTarget) {
    return new errors/* ActionError */.lZ(`The symlink '${wsRel}' points to '${linkTarget}', outside the workspace; it is not bundled.`, `Copy the file it points to into the workspace, or exclude the link with a '!${wsRel}' line in files.`);
}
function nameProblem(raw) {
    let name;
    try {
        name = utf8.decode(raw);
    }
    catch {
        return 'is not valid UTF-8, so no archive can name it portably';
    }
    if (/[\n\r]/.test(name))
        return 'contains a line break, which the CodeDeploy agent and the log cannot handle';
    return undefined;
}
function badName(wsRel, problem) {
    return new errors/* ActionError */.lZ(`The path ${JSON.stringify(wsRel)} ${problem}.`, `Rename it, or exclude it with a '!' line in files.`);
}
function attempt(abs, call) {
    try {
        return call();
    }
    catch (err) {
        const e = err;
        throw new errors/* ActionError */.lZ(`Cannot read '${abs}' while selecting bundle files: ${e.code ?? e.message}.`, 'Check that the build step finished and that the runner user can read the workspace.');
    }
}
function tryReal(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
    }
    catch {
        return undefined;
    }
}
function specialKind(st) {
    if (st.isSocket())
        return 'socket';
    if (st.isFIFO())
        return 'named pipe (FIFO)';
    if (st.isCharacterDevice())
        return 'character device';
    if (st.isBlockDevice())
        return 'block device';
    return 'special file';
}
function toPosix(p) {
    return (external_node_path_default()).sep === '/' ? p : p.split((external_node_path_default()).sep).join('/');
}

;// CONCATENATED MODULE: ./src/bundle/selection-view.ts
// A selection as the validator sees it, before any archive exists: reads come from disk,
// bounded, and never through a link swapped in since the selection was made.




function selectionView(selected) {
    const byPath = new Map(selected.entries.map((e) => [e.path, e]));
    return {
        entries: selected.entries.map(({ source: _source, ...e }) => e),
        async read(p) {
            const entry = byPath.get(p);
            if (!entry || entry.type !== 'file' || !entry.source)
                throw new errors/* ActionError */.lZ(`'${p}' is not a file in the bundle.`);
            if (entry.size > MAX_READ)
                throw new errors/* ActionError */.lZ(`'${p}' is ${entry.size} bytes; only files up to ${MAX_READ} bytes are read for validation.`, 'Keep appspec.yml and hook scripts small.');
            const fh = await (0,promises_.open)(entry.source, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
            try {
                const buf = Buffer.alloc(entry.size);
                const { bytesRead } = await fh.read(buf, 0, entry.size, 0);
                return buf.subarray(0, bytesRead);
            }
            finally {
                await fh.close();
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/stages/bundle.ts
// The bundle stage: select (or open) the files, validate the appspec against them, and only
// then write the archive. Nothing is written when validation fails.













/** Entries listed in the log; a bigger bundle gets a count, so 100,000 files do not make a 3 MB log. */
const LOGGED_ENTRIES = 1000;
async function prepareBundle(settings, log, signal) {
    return settings.bundle.kind === 'build'
        ? buildBundle(settings, settings.bundle, log, signal)
        : openArchive(settings, settings.bundle, log);
}
async function buildBundle(settings, source, log, signal) {
    // Named now (the selection must never pick it up), created only once validation passed.
    const outDir = external_node_path_default().join(settings.tempDir, `codedeploy-bundle-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}`);
    const outPath = external_node_path_default().join(outDir, `bundle.${source.type}`);
    const selected = await selectBundleFiles({
        workspace: settings.workspace,
        sourceDir: source.sourceDir,
        rules: source.rules,
        outputPath: outPath,
        signal
    });
    const onDisk = new Map(selected.entries.filter((e) => e.source).map((e) => [e.path, e.source]));
    const view = selectionView(selected);
    const sourceRel = external_node_path_default().relative(settings.workspace, source.sourceDir);
    const displayPath = (p) => {
        const file = onDisk.get(p);
        return file ? external_node_path_default().relative(settings.workspace, file) : sourceRel ? `${sourceRel}/${p}` : p;
    };
    const appspec = await validateBundle(view, { origin: 'built' });
    reportFindings(appspec, log, displayPath);
    if (signal?.aborted)
        throw (0,errors/* cancelledWhileBundling */.Aw)();
    const executable = new Set(appspec.hookScripts);
    await (0,promises_.mkdir)(outDir, { recursive: true });
    const written = await writeArchive({
        entries: selected.entries,
        type: source.type,
        outPath,
        executable,
        signal
    });
    const entries = selected.entries.map(({ source: _source, ...e }) => e.type === 'file' && executable.has(e.path) ? { ...e, mode: executableMode(e.mode) } : e);
    logListing(log, entries, written.path, written.size, written.sha256);
    return {
        path: written.path,
        sha256: written.sha256,
        size: written.size,
        type: source.type,
        origin: 'built',
        entries,
        appspec,
        displayPath
    };
}
async function openArchive(settings, source, log) {
    const info = await (0,promises_.stat)(source.path).catch(() => undefined);
    if (!info?.isFile())
        throw new errors/* ActionError */.lZ(`Input 'archive': '${source.path}' does not exist or is not a file.`, 'Check the path, and that the step that builds the archive ran before this one.');
    // The input path is inside the workspace, but a symlink there could point anywhere: the file
    // read, hashed and uploaded is the link's target, which must be inside too.
    const real = await (0,promises_.realpath)(source.path);
    if (!isInside(await (0,promises_.realpath)(settings.workspace), real))
        throw new errors/* ActionError */.lZ(`Input 'archive': '${external_node_path_default().relative(settings.workspace, source.path)}' resolves through a symlink to ${real}, outside the workspace.`, 'Build or copy the archive into the workspace in an earlier step.');
    const view = await readArchive(real, source.type);
    try {
        if (view.strippedFolder)
            log.info(`The archive holds a single folder '${view.strippedFolder}/' with the appspec: the agent strips it ("Stripping leading directory from archive bundle contents."), so its contents are the bundle root.`);
        const name = external_node_path_default().basename(source.path);
        const displayPath = (p) => `${name}:${view.strippedFolder ? `${view.strippedFolder}/` : ''}${p}`;
        const appspec = await validateBundle(view, { origin: 'archive' });
        reportFindings(appspec, log, displayPath);
        const { sha256, size } = await hashFile(real);
        logListing(log, view.entries, real, size, sha256);
        return {
            path: real,
            sha256,
            size,
            type: source.type,
            origin: 'archive',
            entries: view.entries,
            appspec,
            displayPath
        };
    }
    finally {
        await view.close();
    }
}
/** Every finding is shown (report/appspec-section.ts); any error then fails the step with one line. */
function reportFindings(report, log, displayPath) {
    logFindings(report, log, displayPath);
    const errors = report.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0)
        throw new BundleRejected(report, displayPath);
}
/** The appspec check refused the bundle; carries the findings so the job summary can show them. */
class BundleRejected extends errors/* ValidationError */.yI {
    appspec;
    displayPath;
    constructor(appspec, displayPath) {
        super(`The CodeDeploy agent would fail on this bundle: ${countFindings(appspec.findings)} in ${appspec.appspecPath ? displayPath(appspec.appspecPath) : 'the bundle'} (listed above). Nothing was uploaded.`, appspec.findings
            .filter((f) => f.severity === 'error')
            .map((f) => formatFinding(f, displayPath)), 'Fix them and run again.');
        this.appspec = appspec;
        this.displayPath = displayPath;
    }
}
function logListing(log, entries, archive, size, sha256) {
    log.startGroup(`Bundle: ${archive} (${size} bytes, sha256 ${sha256})`);
    for (const line of renderListing(entries, { maxEntries: LOGGED_ENTRIES }))
        log.info(line);
    log.endGroup();
}
async function hashFile(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    for await (const chunk of (0,external_node_fs_.createReadStream)(file, { highWaterMark: 1 << 20 })) {
        hash.update(chunk);
        size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
}

;// CONCATENATED MODULE: ./src/stages/deploy.ts
async function deploy(codedeploy, region, settings, bundle, upload, deps) {
    const { deployToGroups } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(586), __webpack_require__.e(932), __webpack_require__.e(892), __webpack_require__.e(326)]).then(__webpack_require__.bind(__webpack_require__, 7326));
    const revision = {
        bucket: upload.bucket,
        key: upload.key,
        bundleType: bundle.type,
        eTag: upload.etag,
        ...(upload.versionId ? { version: upload.versionId } : {})
    };
    return deployToGroups({
        settings,
        revision,
        codedeploy,
        region,
        bundle: bundleEvidence(bundle),
        ...deps
    });
}
/**
 * What a failure's advice may read of the bundle: where it came from, and the findings of the script check that explain a failure on the instance (CRLF, a background job
 * still holding the hook's output), by the hook location the agent reports.
 */
function bundleEvidence(bundle) {
    const locationOf = new Map();
    for (const hook of bundle.appspec.appspec?.hooks ?? [])
        for (const s of hook.scripts) {
            locationOf.set(s.path, s.location);
        }
    const notes = [];
    for (const f of bundle.appspec.findings) {
        const location = locationOf.get(f.file);
        if (f.kind && location)
            notes.push({ location, kind: f.kind, ...(f.line !== undefined ? { line: f.line } : {}) });
    }
    return { origin: bundle.origin, notes };
}
/** continue-deployment: the deployment another run created goes on, then is followed as usual. */
async function continueStage(codedeploy, region, settings, continueTarget, deps) {
    const { deployToGroups } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(586), __webpack_require__.e(932), __webpack_require__.e(892), __webpack_require__.e(326)]).then(__webpack_require__.bind(__webpack_require__, 7326));
    return deployToGroups({ settings, continueTarget, codedeploy, region, ...deps });
}

// EXTERNAL MODULE: ./src/deploy/codedeploy/request.ts
var request = __webpack_require__(5127);
;// CONCATENATED MODULE: ./src/stages/dry-run.ts

function dryRun(settings, bundle, key, log) {
    log.info(`S3 key: ${key.key}${key.uri ? ` (${key.uri})` : ' (no bucket given)'}`);
    const requests = settings.deploymentGroups.map((group) => (0,request/* buildCreateDeploymentInput */.E)(settings, group, {
        bucket: settings.bucket || '<bucket>',
        key: key.key,
        bundleType: bundle.type
    }));
    for (const request of requests) {
        log.startGroup(`CreateDeployment request for ${request.deploymentGroupName}`);
        log.info(JSON.stringify(request, null, 2));
        log.endGroup();
    }
    log.info("Dry run: nothing was uploaded and no deployment was created. After the upload, the revision is also pinned by the object's eTag and version.");
    return { requests };
}

;// CONCATENATED MODULE: ./src/settings/key-template.ts
// The S3 key template: checked when inputs are read, rendered once the bundle hash is known.
const KEY_PLACEHOLDERS = [
    'application',
    'run_number',
    'run_attempt',
    'run_id',
    'sha',
    'short_sha',
    'ref_name',
    'bundle_hash',
    'ext'
];
/** S3 allows 1,024 bytes of UTF-8 per key. */
const MAX_KEY_BYTES = 1024;
/** A problem in the template, or undefined when it is usable. */
function checkKeyTemplate(template) {
    if (template.trim() === '')
        return 'is empty';
    if (/[\r\n\0]/.test(template))
        return 'contains a line break or NUL';
    if (template.startsWith('/'))
        return "starts with '/', which makes an empty first folder in S3";
    const unknown = [];
    for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
        const name = m[1] ?? '';
        if (!KEY_PLACEHOLDERS.includes(name))
            unknown.push(`{${name}}`);
    }
    if (unknown.length > 0)
        return `has unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`;
    const stripped = template.replace(/\{[^{}]*\}/g, '');
    if (/[{}]/.test(stripped))
        return "has an unmatched '{' or '}'";
    if (template.split('/').some((s) => s === '..' || s === '.'))
        return "has a '.' or '..' segment";
    return undefined;
}
function placeholdersUsed(template) {
    return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
}
/** Characters safe in an S3 key segment; everything else (e.g. in a branch name) becomes '-'. */
function keySafe(value) {
    return value.replace(/[^A-Za-z0-9!_.*'()/-]/g, '-');
}
function renderKey(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, (_, name) => name === 'ref_name' ? keySafe(values[name]) : values[name]);
}

;// CONCATENATED MODULE: ./src/stages/key.ts
// The S3 key stage: the template rendered with the run and the bundle's hash.



function s3Key(settings, bucket, bundle) {
    const key = renderKey(settings.keyTemplate, keyValues(settings, bundle));
    const bytes = Buffer.byteLength(key);
    if (bytes > MAX_KEY_BYTES)
        throw new errors/* InputError */.dz(constants/* Input */.pd.Key, `renders to a key of ${bytes} bytes; S3 allows ${MAX_KEY_BYTES}.`, 'Use a shorter template.');
    return { key, uri: bucket ? `s3://${bucket}/${key}` : '' };
}
function keyValues(settings, bundle) {
    const run = settings.run;
    return {
        application: settings.application,
        run_number: run.runNumber,
        run_attempt: run.runAttempt,
        run_id: run.runId,
        sha: run.sha,
        short_sha: run.sha.slice(0, 7),
        ref_name: run.refName,
        bundle_hash: bundle.sha256.slice(0, 16),
        ext: bundle.type
    };
}

// EXTERNAL MODULE: ./src/revisions/provenance.ts
var provenance = __webpack_require__(1227);
;// CONCATENATED MODULE: ./src/stages/upload.ts

async function upload(s3, settings, bundle, key, deps) {
    const { uploadBundle } = await __webpack_require__.e(/* import() */ 366).then(__webpack_require__.bind(__webpack_require__, 5366));
    const result = await uploadBundle({
        s3,
        bucket: settings.bucket,
        key: key.key,
        filePath: bundle.path,
        size: bundle.size,
        sha256: bundle.sha256,
        // Where it came from: the commit and the run (README: which commit is live).
        metadata: (0,provenance/* provenanceMetadata */.zc)((0,provenance/* provenanceOf */.Jj)(settings.run)),
        ...(settings.sse ? { sse: settings.sse } : {}),
        ...(settings.sseKmsKeyId ? { sseKmsKeyId: settings.sseKmsKeyId } : {}),
        ...(settings.expectedBucketOwner ? { expectedBucketOwner: settings.expectedBucketOwner } : {}),
        ...deps
    });
    return {
        bucket: settings.bucket,
        key: key.key,
        uri: `s3://${settings.bucket}/${key.key}`,
        ...result
    };
}

;// CONCATENATED MODULE: ./src/pipeline.ts
// The action, as a script: settings → bundle → key → (dry run | upload → deploy) → report.
// Each stage (src/stages/) takes its slice of the settings and returns its facts (src/facts.ts);
// the outputs and the job summary (src/report/) are made from those facts. The runner's pieces
// (outputs, state, summary file, signals, clock) come in as PipelineDeps, so tests drive it directly.








async function runPipeline(settings, deps) {
    // The first line (action, version, application, groups) is written by the entry point.
    const { log, signal } = deps;
    const set = (values) => values.forEach(([n, v]) => deps.setOutput(n, v));
    const run = { facts: {} };
    if (settings.continueDeployment)
        return summarised(settings, deps, run, () => continueExisting(settings, deps, set, run));
    const bundle = await prepareBundle(settings, log, signal).catch(async (err) => {
        // Refused by the appspec check: the summary shows the findings (the only summary of this run).
        if (err instanceof BundleRejected)
            await writeSummarySafely(deps, renderRejection(settings, err.describe(), err.appspec, err.displayPath));
        throw err;
    });
    const key = s3Key(settings, settings.bucket, bundle);
    set(bundleOutputs(bundle, key));
    run.facts = { bundle, key };
    return summarised(settings, deps, run, async () => {
        if (settings.dryRun) {
            run.facts = { ...run.facts, dryRun: dryRun(settings, bundle, key, log) };
            set(dryRunOutputs());
            return {};
        }
        if (signal.aborted)
            throw new errors/* ActionError */.lZ('Cancelled before the upload: nothing was uploaded.');
        const { createAwsClients } = await Promise.all(/* import() */[__webpack_require__.e(40), __webpack_require__.e(857)]).then(__webpack_require__.bind(__webpack_require__, 3238));
        const aws = await createAwsClients({ region: settings.region, env: deps.env });
        const network = aws.network.describe();
        if (network)
            log.info(network);
        // An older commit never replaces a newer one: checked before anything is uploaded.
        const { orderCheck } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(711), __webpack_require__.e(366), __webpack_require__.e(470)]).then(__webpack_require__.bind(__webpack_require__, 3470));
        const order = orderCheck(aws, settings, deps);
        const revisions = await order.beforeUpload();
        run.facts = { ...run.facts, revisions };
        const refused = revisions.groups.find((g) => g.verdict.kind === 'fail')?.verdict;
        if (refused?.kind === 'fail')
            throw new errors/* ActionError */.lZ(refused.message, refused.fix);
        if (revisions.skipped) {
            log.notice(revisions.skipped.notice);
            run.facts = { ...run.facts, skipped: revisions.skipped.notice };
            return {};
        }
        const uploaded = await upload(aws.s3, settings, bundle, key, deps);
        run.facts = { ...run.facts, upload: uploaded };
        set(uploadOutputs(uploaded));
        // Again right before each CreateDeployment: another run may have deployed meanwhile.
        const beforeCreate = async (group) => {
            if (!order.enabled)
                return undefined;
            const v = (await order.gate(group)).verdict;
            if (v.kind === 'fail')
                throw new errors/* ActionError */.lZ(v.message, v.fix);
            return v.kind === 'skip' ? v.notice : undefined;
        };
        const deployments = await deployWithState(settings, deps, set, aws, (hooks) => deploy(aws.codedeploy, aws.region, settings, bundle, uploaded, {
            ...deps,
            ...hooks,
            beforeCreate
        }), (group) => order.previousOf(group));
        run.facts = { ...run.facts, revisions: { ...revisions, groups: order.groups() }, deployments };
        const skipped = deployments.groups.find((g) => g.outcome === 'skipped');
        if (skipped?.skipNotice)
            run.facts = { ...run.facts, skipped: skipped.skipNotice };
        const retention = await pruneAfterSuccess(settings, deps, aws, uploaded, deployments);
        if (retention)
            run.facts = { ...run.facts, retention };
        return conclusion(deployments);
    });
}
/**
 * Runs the rest of the run; whatever happens, the job summary is written once from what it found
 * out. The step fails with a thrown error (main.ts); the summary still shows what was done before it.
 */
async function summarised(settings, deps, run, rest) {
    try {
        return await rest();
    }
    catch (err) {
        run.facts = { ...run.facts, failure: err instanceof errors/* ActionError */.lZ ? err.describe() : String(err) };
        throw err;
    }
    finally {
        // Set once, whichever way the run ended: true only when a newer commit made it skip.
        skippedOutputs(Boolean(run.facts.skipped)).forEach(([n, v]) => deps.setOutput(n, v));
        await writeSummarySafely(deps, renderSummary(settings, run.facts));
    }
}
/**
 * The deploy phase with what the post step needs saved around it: how to reach and stop a
 * deployment main does not see end, and a stopped blue/green deployment's fleet left to settle.
 */
async function deployWithState(settings, deps, set, aws, run, previousOf) {
    deps.state.deploying({
        region: aws.region,
        stopOnCancel: settings.stopOnCancel,
        autoRollback: settings.autoRollback,
        failedReplacementFleet: settings.failedReplacementFleet
    });
    let deployments;
    try {
        deployments = await run({
            traffic: aws.traffic,
            onCreated: (_group, id) => {
                set(createdOutputs(id));
                if (settings.wait)
                    deps.state.waitingFor(id);
            }
        });
    }
    finally {
        deps.state.finished();
    }
    for (const g of deployments.groups)
        if (g.replacementFleetPending)
            deps.state.replacementFleetPending(g.id);
    set(deploymentOutputs(deployments, previousOf));
    return deployments;
}
/**
 * keep-revisions, once every group succeeded (never after a failure, a skip or a deployment not
 * followed to its end): the application's older bundles go; what any group needs stays.
 */
async function pruneAfterSuccess(settings, deps, aws, uploaded, deployments) {
    if (settings.keepRevisions <= 0)
        return undefined;
    const notDone = deployments.groups.filter((g) => g.outcome !== 'succeeded');
    if (notDone.length > 0) {
        deps.log.info(`keep-revisions: nothing pruned, since the deployment to '${notDone[0].group}' did not end in success during this run (${notDone[0].outcome}).`);
        return undefined;
    }
    const { pruneRevisions } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(21)]).then(__webpack_require__.bind(__webpack_require__, 9021));
    return pruneRevisions({
        s3: aws.s3,
        codedeploy: aws.codedeploy,
        bucket: settings.bucket,
        application: settings.application,
        keyTemplate: settings.keyTemplate,
        keep: settings.keepRevisions,
        deployed: {
            key: uploaded.key,
            ...(uploaded.versionId ? { versionId: uploaded.versionId } : {})
        },
        log: deps.log,
        signal: deps.signal,
        sleep: deps.sleep,
        ...(settings.expectedBucketOwner ? { expectedBucketOwner: settings.expectedBucketOwner } : {})
    });
}
function conclusion(deployments) {
    return deployments.ok
        ? {}
        : {
            failure: (deployments.error ?? new errors/* ActionError */.lZ('The deployment did not succeed.')).describe()
        };
}
/** continue-deployment: no bundle, no upload; continue the deployment, then wait and report. */
async function continueExisting(settings, deps, set, run) {
    const target = settings.continueDeployment;
    if (settings.bucket)
        deps.log.info(`Continuing deployment ${target.deploymentId}: nothing is built or uploaded, so bucket is not used.`);
    if (deps.signal.aborted)
        throw new errors/* ActionError */.lZ('Cancelled before continuing the deployment.');
    const { createAwsClients } = await Promise.all(/* import() */[__webpack_require__.e(40), __webpack_require__.e(857)]).then(__webpack_require__.bind(__webpack_require__, 3238));
    const aws = await createAwsClients({ region: settings.region, env: deps.env });
    const deployments = await deployWithState(settings, deps, set, aws, (hooks) => continueStage(aws.codedeploy, aws.region, settings, target, { ...deps, ...hooks }));
    run.facts = { deployments };
    return conclusion(deployments);
}
/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, full disk) never fails the deployment. */
async function writeSummarySafely(deps, markdown) {
    try {
        await deps.writeSummary(markdown);
    }
    catch (err) {
        deps.log.warning(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
    }
}

// EXTERNAL MODULE: ./src/state-helper.ts
var state_helper = __webpack_require__(7155);
;// CONCATENATED MODULE: ./src/post.ts


/** How long the post step waits for a stopped deployment to end before settling its fleet. */
const POST_FLEET_WAIT_MS = 90_000;
async function runPost(log, env, sleep = common_log/* realSleep */.u, now = Date.now) {
    const state = (0,state_helper/* readPostState */.cj)(env);
    const { deploymentId } = state;
    if (!deploymentId && !state.replacementFleetPendingId)
        return;
    if (deploymentId && !state.stopOnCancel) {
        log.info(`Deployment ${deploymentId} may still be running: stop-on-cancel is false, so it is left alone.`);
        return;
    }
    const { createAwsClients } = await Promise.all(/* import() */[__webpack_require__.e(40), __webpack_require__.e(857)]).then(__webpack_require__.bind(__webpack_require__, 3238));
    let aws;
    try {
        aws = await createAwsClients({ region: state.region, env });
    }
    catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        log.warning(deploymentId
            ? `Could not stop deployment ${deploymentId} after the cancellation: ${why}. Stop it in the CodeDeploy console.`
            : `Could not check the replacement fleet of deployment ${state.replacementFleetPendingId} after the cancellation: ${why}. Check it in the EC2 console.`);
        return;
    }
    if (deploymentId) {
        const { stopDeployment } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 7584));
        try {
            log.info(`The main step ended before deployment ${deploymentId} did: stopping it (stop-on-cancel).`);
            await stopDeployment({
                codedeploy: aws.codedeploy,
                log,
                sleep,
                deploymentId,
                ...(state.autoRollback !== undefined ? { autoRollbackEnabled: state.autoRollback } : {})
            });
        }
        catch (err) {
            // The post step must not hide the main step's result; it reports and moves on.
            log.warning(`Could not stop deployment ${deploymentId} after the cancellation: ${err instanceof Error ? err.message : String(err)}. Stop it in the CodeDeploy console.`);
            return;
        }
    }
    const { settleAfterStop } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507), __webpack_require__.e(586), __webpack_require__.e(932), __webpack_require__.e(892), __webpack_require__.e(986)]).then(__webpack_require__.bind(__webpack_require__, 3986));
    await settleAfterStop({
        codedeploy: aws.codedeploy,
        traffic: aws.traffic,
        log,
        sleep,
        now,
        region: aws.region,
        deploymentId: deploymentId || state.replacementFleetPendingId,
        policy: state.failedReplacementFleet,
        waitMs: POST_FLEET_WAIT_MS
    });
}

;// CONCATENATED MODULE: ./src/runner-log.ts
// The Logger, backed by the runner's workflow commands.

const runnerLog = {
    info: (m) => core/* info */.pq(m),
    debug: (m) => core/* debug */.Yz(m),
    warning: (m, p) => core/* warning */.$e(m, p ?? {}),
    error: (m, p) => core/* error */.z3(m, p ?? {}),
    notice: (m) => core/* notice */.lm(m),
    startGroup: (t) => core/* startGroup */.Oh(t),
    endGroup: () => core/* endGroup */.N4()
};

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/settings/bucket-name.ts
// S3's general purpose bucket naming rules, so a typo fails here and not after the bundle is built.
/** What is wrong with the name, or undefined when S3 would accept it. */
function bucketNameProblem(name) {
    if (/^s3:\/\//i.test(name) || name.includes('/'))
        return 'is a URI or path, not a bucket name';
    if (name.length < 3 || name.length > 63)
        return `is ${name.length} characters long; S3 allows 3 to 63`;
    if (/[A-Z]/.test(name))
        return 'has upper-case letters; S3 bucket names are lower-case';
    if (!/^[a-z0-9.-]+$/.test(name))
        return 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)';
    if (!/^[a-z0-9].*[a-z0-9]$/.test(name))
        return 'must begin and end with a letter or digit';
    if (name.includes('..'))
        return 'has two adjacent dots';
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name))
        return 'is formatted as an IP address';
    for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-'])
        if (name.startsWith(prefix))
            return `starts with the reserved prefix '${prefix}'`;
    for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
        if (name.endsWith(suffix))
            return `ends with the reserved suffix '${suffix}'`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/bundle/file-rules.ts
// Parses the `files` input: one rule per line.
//   PATTERN              keep matches at their workspace-relative path
//   PATTERN => TARGET    TARGET ending in '/' is a bundle folder; else a rename of exactly one file
//   !PATTERN             exclude (from `source` too)
//   # comment            also after a rule, when preceded by whitespace (YAML `|` keeps it)

const INPUT = 'files';
function parseFileRules(text) {
    const rules = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = index + 1;
        const body = stripComment(raw).trim();
        if (body === '')
            return;
        if (body.startsWith('!')) {
            const pattern = body.slice(1).trim();
            if (pattern === '')
                fail(line, raw, `'!' needs a pattern after it`, `write e.g. '!**/*.md'.`);
            if (pattern.includes('=>'))
                fail(line, raw, 'an exclusion cannot have a target', `write '!PATTERN' alone.`);
            rules.push({ kind: 'exclude', pattern: checkPattern(pattern, line, raw), line });
            return;
        }
        const arrow = body.indexOf('=>');
        if (arrow < 0) {
            rules.push({ kind: 'include', pattern: checkPattern(body, line, raw), line });
            return;
        }
        const pattern = body.slice(0, arrow).trim();
        const target = body.slice(arrow + 2).trim();
        if (pattern === '' || target === '')
            fail(line, raw, `'=>' needs a pattern on its left and a target on its right`, `write 'PATTERN => TARGET', e.g. 'build/libs/*.jar => application.jar'.`);
        if (target.includes('=>'))
            fail(line, raw, `only one '=>' is allowed per line`, `write 'PATTERN => TARGET'.`);
        rules.push({
            kind: 'include',
            pattern: checkPattern(pattern, line, raw),
            target: checkTarget(target, line, raw),
            line
        });
    });
    return rules;
}
/** '# …' at the start, or after whitespace, is a comment: the action's own example uses one. */
function stripComment(raw) {
    if (raw.trimStart().startsWith('#'))
        return '';
    return raw.replace(/\s#.*$/, '');
}
function checkPattern(pattern, line, raw) {
    if (isAbsolute(pattern))
        fail(line, raw, `pattern '${pattern}' is an absolute path`, 'Patterns are relative to the workspace: write e.g. build/libs/*.jar.');
    if (hasDotDot(pattern))
        fail(line, raw, `pattern '${pattern}' leaves the workspace with '..'`, 'Only files inside the workspace can be bundled: copy the file into the workspace in an earlier step.');
    return stripDotSlash(pattern);
}
function checkTarget(target, line, raw) {
    if (target.includes('\\'))
        fail(line, raw, `target '${target}' contains a backslash`, `Use '/' between folder names.`);
    if (isAbsolute(target))
        fail(line, raw, `target '${target}' is an absolute path`, 'Targets are paths inside the bundle: write e.g. lib/ or application.jar.');
    if (hasDotDot(target))
        fail(line, raw, `target '${target}' contains a '..' segment`, 'Targets must stay inside the bundle: write e.g. lib/ or application.jar.');
    const folder = target.endsWith('/');
    const segments = target.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0)
        return './';
    return segments.join('/') + (folder ? '/' : '');
}
function isAbsolute(p) {
    return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
}
function hasDotDot(p) {
    return p.split(/[/\\]/).some((segment) => segment === '..');
}
function stripDotSlash(p) {
    let out = p;
    while (out.startsWith('./'))
        out = out.slice(2);
    return out === '' ? '.' : out;
}
function fail(line, raw, problem, fix) {
    throw new errors/* InputError */.dz(INPUT, `line ${line} ('${raw.trim()}'): ${problem}.`, fix);
}

// EXTERNAL MODULE: ./src/settings/region.ts
var region = __webpack_require__(5245);
;// CONCATENATED MODULE: ./src/settings/inputs.ts
// Turns the raw inputs and the runner's environment into one typed Settings object.
// Nothing downstream reads an input; every malformed value fails here, before any AWS call.









/** The longest wait we accept: a day covers any real deployment and catches a unit mix-up. */
const MAX_WAIT_TIMEOUT_MINUTES = 1440;
/** CodeDeploy's limit for application, group and config names. */
const MAX_NAME_LENGTH = 100;
function readInputsFromEnv(env) {
    return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function getSettings(read, env) {
    const workspace = external_node_path_default().resolve(env.GITHUB_WORKSPACE || process.cwd());
    const dryRun = readBoolean(read, constants/* Input */.pd.DryRun, false);
    const application = readName(read, constants/* Input */.pd.Application, 'the CodeDeploy application name');
    const deploymentGroups = readGroups(read);
    const continueDeployment = readContinueTarget(read, dryRun, deploymentGroups);
    // Continuing builds and uploads nothing: the bucket is not needed (and ignored when given).
    const bucket = readBucket(read, dryRun || continueDeployment !== undefined);
    const region = readRegion(read);
    const bundle = readBundleSource(read, workspace);
    const keyTemplate = readKeyTemplate(read);
    const run = readRunContext(env);
    checkRunContextFor(keyTemplate, run);
    const sse = readSse(read);
    const sseKmsKeyId = read(constants/* Input */.pd.SseKmsKeyId);
    if (sseKmsKeyId && sse !== 'aws:kms')
        throw new errors/* InputError */.dz(constants/* Input */.pd.SseKmsKeyId, 'is set but `sse` is not aws:kms, so the key would be ignored.', 'Add `sse: aws:kms`, or remove sse-kms-key-id.');
    if (/\s/.test(sseKmsKeyId))
        throw new errors/* InputError */.dz(constants/* Input */.pd.SseKmsKeyId, 'contains whitespace.', 'Write one KMS key id, alias or ARN.');
    const expectedBucketOwner = read(constants/* Input */.pd.ExpectedBucketOwner);
    if (expectedBucketOwner && !/^\d{12}$/.test(expectedBucketOwner))
        throw new errors/* InputError */.dz(constants/* Input */.pd.ExpectedBucketOwner, `'${expectedBucketOwner}' is not an AWS account id.`, 'Write the 12-digit account id that owns the bucket, or leave it empty.');
    const deploymentConfig = read(constants/* Input */.pd.DeploymentConfig);
    if (deploymentConfig)
        checkName(constants/* Input */.pd.DeploymentConfig, deploymentConfig, 'a deployment configuration name such as CodeDeployDefault.OneAtATime');
    const waitTimeoutMinutes = readWaitTimeout(read);
    const keepRevisions = readKeepRevisions(read, keyTemplate);
    return {
        application,
        deploymentGroups,
        bucket,
        region,
        workspace,
        tempDir: external_node_path_default().resolve(env.RUNNER_TEMP || external_node_os_default().tmpdir()),
        bundle,
        keyTemplate,
        ...(sse ? { sse } : {}),
        ...(sseKmsKeyId ? { sseKmsKeyId } : {}),
        ...(expectedBucketOwner ? { expectedBucketOwner } : {}),
        ...(deploymentConfig ? { deploymentConfig } : {}),
        description: readDescription(read, run),
        ...optional('fileExistsBehavior', readFileExistsBehavior(read)),
        ignoreApplicationStopFailures: readBoolean(read, constants/* Input */.pd.IgnoreApplicationStopFailures, false),
        updateOutdatedInstancesOnly: readBoolean(read, constants/* Input */.pd.UpdateOutdatedInstancesOnly, false),
        ...optional('autoRollback', readOptionalBoolean(read, constants/* Input */.pd.AutoRollback)),
        ifActiveDeployment: readEnum(read, constants/* Input */.pd.IfActiveDeployment, ['wait', 'fail'], 'wait'),
        wait: readBoolean(read, constants/* Input */.pd.Wait, true),
        waitTimeoutMinutes,
        onTimeout: readEnum(read, constants/* Input */.pd.OnTimeout, ['fail', 'stop'], 'fail'),
        stopOnCancel: readBoolean(read, constants/* Input */.pd.StopOnCancel, true),
        agentSilenceTimeoutMinutes: readAgentSilenceTimeout(read),
        onAgentSilence: readEnum(read, constants/* Input */.pd.OnAgentSilence, ['warn', 'fail'], 'warn'),
        dryRun,
        waitUntil: readEnum(read, constants/* Input */.pd.WaitUntil, ['succeeded', 'traffic-rerouted'], 'succeeded'),
        onReady: readEnum(read, constants/* Input */.pd.OnReady, ['wait', 'continue', 'finish'], 'wait'),
        ...optional('continueDeployment', continueDeployment),
        failedReplacementFleet: readEnum(read, constants/* Input */.pd.FailedReplacementFleet, ['keep', 'delete'], 'keep'),
        ifNewerDeployed: readEnum(read, constants/* Input */.pd.IfNewerDeployed, ['skip', 'fail', 'deploy'], 'skip'),
        githubToken: readGithubToken(read),
        keepRevisions,
        run
    };
}
/** CodeDeploy's deployment ids: d- and nine upper-case letters or digits. */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
/**
 * continue-deployment (and continue-termination, which only means something with it). Refuses
 * the inputs that would build or upload, since nothing is built: a silent ignore would let a
 * user believe a new revision went out.
 */
function readContinueTarget(read, dryRun, groups) {
    const id = read(constants/* Input */.pd.ContinueDeployment);
    const termination = readBoolean(read, constants/* Input */.pd.ContinueTermination, false);
    if (!id) {
        if (termination)
            throw new errors/* InputError */.dz(constants/* Input */.pd.ContinueTermination, 'is true but `continue-deployment` is empty, so there is no deployment whose termination wait to end.', 'Set `continue-deployment` to the id of the deployment in its termination wait (the deployment-id output of the run that created it).');
        return undefined;
    }
    singleLine(constants/* Input */.pd.ContinueDeployment, id);
    if (!DEPLOYMENT_ID.test(id))
        throw new errors/* InputError */.dz(constants/* Input */.pd.ContinueDeployment, `'${id}' is not a CodeDeploy deployment id.`, 'Write an id such as d-ABCDEF123 (the deployment-id output of the run that created it).');
    for (const name of [constants/* Input */.pd.Archive, constants/* Input */.pd.Files])
        if (read(name))
            throw new errors/* InputError */.dz(name, `is set together with \`continue-deployment\`, which builds and uploads nothing.`, `Remove \`${name}\` from the step that continues ${id}.`);
    if (dryRun)
        throw new errors/* InputError */.dz(constants/* Input */.pd.DryRun, `is true together with \`continue-deployment\`; continuing calls ContinueDeployment, which a dry run never does.`, 'Remove dry-run from the step that continues the deployment.');
    if (groups.length > 1)
        throw new errors/* InputError */.dz(constants/* Input */.pd.DeploymentGroup, `lists ${groups.length} groups, but continue-deployment continues one deployment of one group.`, `Name only the group of ${id}.`);
    return { deploymentId: id, termination };
}
function optional(key, value) {
    return value === undefined ? {} : { [key]: value };
}
function singleLine(name, value) {
    if (/[\r\n]/.test(value))
        throw new errors/* InputError */.dz(name, 'spans several lines.', 'Write a single value on one line.');
}
function checkName(name, value, what) {
    singleLine(name, value);
    if (value.length > MAX_NAME_LENGTH)
        throw new errors/* InputError */.dz(name, `is ${value.length} characters long; CodeDeploy allows ${MAX_NAME_LENGTH}.`, `Write ${what}.`);
    if (/[\p{Cc}]/u.test(value))
        throw new errors/* InputError */.dz(name, 'contains control characters.', `Write ${what}.`);
}
function readName(read, name, what) {
    const value = read(name);
    if (!value)
        throw new errors/* InputError */.dz(name, 'is required.', `Set \`${name}\` to ${what}.`);
    checkName(name, value, what);
    return value;
}
function readGroups(read) {
    const raw = read(constants/* Input */.pd.DeploymentGroup);
    const groups = raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    if (groups.length === 0)
        throw new errors/* InputError */.dz(constants/* Input */.pd.DeploymentGroup, 'is required.', 'Set `deployment-group` to a deployment group name (several, one per line, deploy in order).');
    const seen = new Set();
    for (const g of groups) {
        checkName(constants/* Input */.pd.DeploymentGroup, g, 'one deployment group name per line');
        if (seen.has(g))
            throw new errors/* InputError */.dz(constants/* Input */.pd.DeploymentGroup, `lists '${g}' twice.`, 'List each deployment group once; they are deployed in order.');
        seen.add(g);
    }
    return groups;
}
function readBucket(read, dryRun) {
    const bucket = read(constants/* Input */.pd.Bucket);
    if (!bucket) {
        if (dryRun)
            return '';
        throw new errors/* InputError */.dz(constants/* Input */.pd.Bucket, 'is required to upload the revision.', 'Set `bucket` to the S3 bucket name, or set `dry-run: true` to only build and validate.');
    }
    singleLine(constants/* Input */.pd.Bucket, bucket);
    const problem = bucketNameProblem(bucket);
    if (problem) {
        const bare = bucket.replace(/^s3:\/\//i, '').split('/')[0];
        throw new errors/* InputError */.dz(constants/* Input */.pd.Bucket, `'${bucket}' ${problem}.`, problem.startsWith('is a URI')
            ? `Write only the bucket name (e.g. '${bare}'); the key comes from \`key\`.`
            : 'Write the name of an existing S3 bucket.');
    }
    return bucket;
}
function readRegion(read) {
    return (0,region/* regionInput */.V)(read(constants/* Input */.pd.Region));
}
const ARCHIVE_TYPES = [
    ['.tar.gz', 'tgz'],
    ['.tgz', 'tgz'],
    ['.tar', 'tar'],
    ['.zip', 'zip']
];
function readBundleSource(read, workspace) {
    const archive = read(constants/* Input */.pd.Archive);
    const source = read(constants/* Input */.pd.Source);
    const files = read(constants/* Input */.pd.Files);
    const bundleType = read(constants/* Input */.pd.BundleType);
    if (archive) {
        singleLine(constants/* Input */.pd.Archive, archive);
        if ((source && source !== '.') || files)
            throw new errors/* InputError */.dz(constants/* Input */.pd.Archive, `is set together with \`${files ? constants/* Input */.pd.Files : constants/* Input */.pd.Source}\`; a pre-built archive is deployed as it is.`, 'Remove `archive` to build the bundle from source/files, or remove source and files.');
        const match = ARCHIVE_TYPES.find(([suffix]) => archive.toLowerCase().endsWith(suffix));
        if (!match)
            throw new errors/* InputError */.dz(constants/* Input */.pd.Archive, `'${archive}' does not end in .tgz, .tar.gz, .tar or .zip, so its type is unknown.`, 'Name the archive with one of those extensions.');
        const type = match[1];
        if (bundleType && bundleType.toLowerCase() !== 'tgz' && bundleType.toLowerCase() !== type)
            throw new errors/* InputError */.dz(constants/* Input */.pd.BundleType, `is '${bundleType}' but the archive '${archive}' is a ${type}.`, 'Remove `bundle-type`: a pre-built archive takes its type from its name.');
        const abs = resolveInWorkspace(workspace, archive);
        if (!abs)
            throw new errors/* InputError */.dz(constants/* Input */.pd.Archive, `'${archive}' is outside the workspace (${workspace}).`, 'Give a path inside the workspace, e.g. build/deploy.tgz.');
        return { kind: 'archive', path: abs, type };
    }
    const type = readEnum(read, constants/* Input */.pd.BundleType, ['tgz', 'zip', 'tar'], 'tgz');
    const src = source || '.';
    singleLine(constants/* Input */.pd.Source, src);
    const sourceDir = resolveInWorkspace(workspace, src);
    if (!sourceDir)
        throw new errors/* InputError */.dz(constants/* Input */.pd.Source, `'${src}' is outside the workspace (${workspace}).`, 'Give a folder relative to the workspace, e.g. codedeploy.');
    return { kind: 'build', sourceDir, rules: parseFileRules(files), type };
}
function readKeyTemplate(read) {
    const key = read(constants/* Input */.pd.Key) || constants/* DEFAULT_KEY */.uh;
    const problem = checkKeyTemplate(key);
    if (problem)
        throw new errors/* InputError */.dz(constants/* Input */.pd.Key, `'${key}' ${problem}.`, 'Use only {application} {run_number} {run_attempt} {run_id} {sha} {short_sha} {ref_name} {bundle_hash} {ext}, e.g. ' +
            `'${constants/* DEFAULT_KEY */.uh}'.`);
    return key;
}
function readRunContext(env) {
    return {
        runNumber: env.GITHUB_RUN_NUMBER ?? '',
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
        runId: env.GITHUB_RUN_ID ?? '',
        sha: env.GITHUB_SHA ?? '',
        refName: env.GITHUB_REF_NAME ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        eventName: env.GITHUB_EVENT_NAME ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        workflowRef: env.GITHUB_WORKFLOW_REF ?? '',
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
    };
}
const CONTEXT_VARIABLE = {
    run_number: ['runNumber', 'GITHUB_RUN_NUMBER'],
    run_attempt: ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    run_id: ['runId', 'GITHUB_RUN_ID'],
    sha: ['sha', 'GITHUB_SHA'],
    short_sha: ['sha', 'GITHUB_SHA'],
    ref_name: ['refName', 'GITHUB_REF_NAME']
};
/** A placeholder whose variable is missing would give a key like 'app//x.tgz': refuse it. */
function checkRunContextFor(template, run) {
    for (const name of placeholdersUsed(template)) {
        const v = CONTEXT_VARIABLE[name];
        if (v && !run[v[0]])
            throw new errors/* InputError */.dz(constants/* Input */.pd.Key, `uses {${name}} but ${v[1]} is not set (the runner sets it in GitHub Actions).`, `Run inside GitHub Actions, set ${v[1]}, or remove {${name}} from the key.`);
    }
}
function readSse(read) {
    const value = read(constants/* Input */.pd.Sse);
    if (!value)
        return undefined;
    if (value.toUpperCase() === 'AES256')
        return 'AES256';
    if (value.toLowerCase() === 'aws:kms')
        return 'aws:kms';
    throw new errors/* InputError */.dz(constants/* Input */.pd.Sse, `'${value}' is not supported.`, 'Write AES256 or aws:kms, or leave it empty for the bucket default.');
}
function readDescription(read, run) {
    const given = read(constants/* Input */.pd.Description);
    const shortSha = run.sha.slice(0, 7);
    const runUrl = run.repository && run.runId
        ? `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`
        : '';
    const generated = [
        run.repository && `${run.repository}${shortSha ? `@${shortSha}` : ''}`,
        run.runNumber && `run #${run.runNumber}`,
        runUrl
    ]
        .filter(Boolean)
        .join(' ');
    const text = (given || generated || 'Deployed by GitHub Actions').replace(/\s+/g, ' ');
    return inputs_truncate(text, constants/* DESCRIPTION_MAX_LENGTH */.H$);
}
/** Cuts to at most `max` characters, by code point so no surrogate pair is split. */
function inputs_truncate(text, max) {
    const chars = [...text];
    return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
function readFileExistsBehavior(read) {
    const value = read(constants/* Input */.pd.FileExistsBehavior);
    if (!value)
        return undefined;
    const upper = value.toUpperCase();
    if (upper === 'DISALLOW' || upper === 'OVERWRITE' || upper === 'RETAIN')
        return upper;
    throw new errors/* InputError */.dz(constants/* Input */.pd.FileExistsBehavior, `'${value}' is not a CodeDeploy file-exists behavior.`, 'Write DISALLOW, OVERWRITE or RETAIN, or leave it empty for DISALLOW.');
}
function readWaitTimeout(read) {
    const raw = read(constants/* Input */.pd.WaitTimeout);
    if (!raw)
        return constants/* DEFAULT_WAIT_TIMEOUT_MINUTES */.uO;
    const minutes = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(minutes > 0) || minutes > MAX_WAIT_TIMEOUT_MINUTES)
        throw new errors/* InputError */.dz(constants/* Input */.pd.WaitTimeout, `'${raw}' is not a number of minutes between 0 and ${MAX_WAIT_TIMEOUT_MINUTES}.`, `Write the minutes to wait, e.g. ${constants/* DEFAULT_WAIT_TIMEOUT_MINUTES */.uO} (decimals allowed).`);
    return minutes;
}
function readGithubToken(read) {
    const token = read(constants/* Input */.pd.GithubToken);
    if (/\s/.test(token))
        throw new errors/* InputError */.dz(constants/* Input */.pd.GithubToken, 'contains whitespace, so it is not one token.', 'Leave it at its default (${{ github.token }}) or pass one secret, e.g. ${{ secrets.DEPLOY_READ_TOKEN }}.');
    return token;
}
/** More than any bucket needs kept, and small enough to catch a pasted number of days or bytes. */
const MAX_KEEP_REVISIONS = 1000;
function readKeepRevisions(read, keyTemplate) {
    const raw = read(constants/* Input */.pd.KeepRevisions);
    if (!raw)
        return 0;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 0) || n > MAX_KEEP_REVISIONS)
        throw new errors/* InputError */.dz(constants/* Input */.pd.KeepRevisions, `'${raw}' is not a whole number from 0 to ${MAX_KEEP_REVISIONS}.`, 'Write how many of the newest bundles to keep, e.g. 10, or 0 to keep them all.');
    // Without the application in the key, another application's bundles (its rollback target
    // among them) could share the prefix, and only this application's groups are asked what they need.
    if (n > 0 && !placeholdersUsed(keyTemplate).includes('application'))
        throw new errors/* InputError */.dz(constants/* Input */.pd.KeepRevisions, `is ${n}, but \`key\` ('${keyTemplate}') does not contain {application}, so another application's bundles could be pruned with this one's.`, `Put {application} in key (e.g. '${constants/* DEFAULT_KEY */.uh}'), or set keep-revisions: 0.`);
    return n;
}
/** CodeDeploy itself fails a silent instance after an hour: a longer watch would never fire. */
const MAX_AGENT_SILENCE_MINUTES = 60;
function readAgentSilenceTimeout(read) {
    const raw = read(constants/* Input */.pd.AgentSilenceTimeout);
    if (!raw)
        return constants/* DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES */.IE;
    const minutes = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(minutes >= 0) || minutes > MAX_AGENT_SILENCE_MINUTES)
        throw new errors/* InputError */.dz(constants/* Input */.pd.AgentSilenceTimeout, `'${raw}' is not a number of minutes from 0 to ${MAX_AGENT_SILENCE_MINUTES}.`, `Write the minutes an instance may wait for its CodeDeploy agent, e.g. ${constants/* DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES */.IE} (decimals allowed), or 0 to turn the check off.`);
    return minutes;
}
const inputs_TRUE = ['true', 'True', 'TRUE'];
const inputs_FALSE = ['false', 'False', 'FALSE'];
function readOptionalBoolean(read, name) {
    const value = read(name);
    if (value === '')
        return undefined;
    if (inputs_TRUE.includes(value))
        return true;
    if (inputs_FALSE.includes(value))
        return false;
    throw new errors/* InputError */.dz(name, `'${value}' is not a boolean.`, 'Write true or false.');
}
function readBoolean(read, name, fallback) {
    return readOptionalBoolean(read, name) ?? fallback;
}
function readEnum(read, name, allowed, fallback) {
    const value = read(name);
    if (value === '')
        return fallback;
    const found = allowed.find((a) => a === value.toLowerCase());
    if (found)
        return found;
    throw new errors/* InputError */.dz(name, `'${value}' is not one of ${allowed.join(', ')}.`, `Write ${allowed.join(' or ')}.`);
}

// EXTERNAL MODULE: ./src/network/proxy-env.ts
var proxy_env = __webpack_require__(2996);
;// CONCATENATED MODULE: ./src/main.ts
// The thin edge: wires the runner (@actions/core, the environment) to the pipeline.









/** `cancelled` aborts when the runner cancels the job (src/cancel.ts). */
async function run(cancelled) {
    if ((0,state_helper/* isPostStep */.pq)(process.env)) {
        await runPost(runnerLog, process.env);
        return;
    }
    const sayCancelled = () => runnerLog.warning(`Received ${String(cancelled.reason)}: the workflow was cancelled.`);
    if (cancelled.aborted)
        sayCancelled();
    else
        cancelled.addEventListener('abort', sayCancelled, { once: true });
    try {
        const state = new state_helper/* MainState */.FC((name, value) => core/* saveState */.LZ(name, value));
        state.markPostNext();
        // Proxy credentials come in the job's environment, not from a secret the runner masks.
        for (const secret of (0,proxy_env/* proxySecretsIn */.NT)(process.env))
            core/* setSecret */.Pq(secret);
        const settings = getSettings((name) => core/* getInput */.V4(name), process.env);
        // A token passed from a secret is masked by the runner; one built in a step may not be.
        if (settings.githubToken)
            core/* setSecret */.Pq(settings.githubToken);
        const result = await runPipeline(settings, {
            log: runnerLog,
            setOutput: (name, value) => core/* setOutput */.uH(name, value),
            state,
            writeSummary,
            env: process.env,
            signal: cancelled,
            sleep: common_log/* realSleep */.u,
            now: Date.now
        });
        if (result.failure)
            core/* setFailed */.C1(result.failure);
    }
    catch (err) {
        main_fail(err);
    }
    finally {
        cancelled.removeEventListener('abort', sayCancelled);
    }
}
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw(markdown).write();
}
/** One ::error:: line the user can act on; the stack only in debug logs. */
function main_fail(err) {
    if (err instanceof errors/* ActionError */.lZ) {
        core/* setFailed */.C1(err.describe());
        return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    if (e.stack)
        core/* debug */.Yz(e.stack);
    core/* setFailed */.C1(`Unexpected error: ${e.message}. This is a bug in the action: please report it with the step's debug log (re-run with debug logging).`);
}


/***/ }),

/***/ 2996:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NT: () => (/* binding */ proxySecretsIn),
/* harmony export */   iJ: () => (/* binding */ proxyFor),
/* harmony export */   sK: () => (/* binding */ readProxyEnv)
/* harmony export */ });
/* unused harmony exports showProxy, proxySecrets */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1922);
// Which proxy a request goes through, from the variables a self-hosted runner passes to its jobs:
// https_proxy / HTTPS_PROXY for https URLs, http_proxy / HTTP_PROXY for http URLs, and
// no_proxy / NO_PROXY for the hosts that go direct. Lower case wins, as in the runner and curl.
//
// Pure: it reads the environment object it is given, so the action and its tests decide alike
// (proxy-from-env and @actions/http-client read process.env only).


/** Reads and checks the proxy variables; a malformed one is an error naming it, credentials hidden. */
function readProxyEnv(env) {
    const https = proxyVar(env, 'https_proxy');
    const http = proxyVar(env, 'http_proxy');
    const [noProxyVariable, noProxy] = pick(env, 'no_proxy');
    return {
        ...(https ? { https } : {}),
        ...(http ? { http } : {}),
        noProxy: noProxy ? parseNoProxy(noProxy) : [],
        ...(noProxy ? { noProxyVariable } : {})
    };
}
/** The proxy for `url`, or undefined when it goes direct (no variable, no_proxy, loopback). */
function proxyFor(url, proxies) {
    const proxy = url.protocol === 'https:' ? proxies.https : proxies.http;
    if (!proxy)
        return undefined;
    const host = hostOf(url);
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    // A proxy cannot reach the runner's own loopback; @actions/http-client goes direct here too.
    if (isLoopback(host))
        return undefined;
    return proxies.noProxy.some((entry) => matches(entry, host, port)) ? undefined : proxy;
}
/** `http://***@proxy:3128`: the credentials, user name included, are never shown. */
function showProxy(url) {
    return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}`;
}
/** The secrets a proxy URL holds, for the runner to mask wherever they might appear. */
function proxySecrets(proxies) {
    return [proxies.https, proxies.http].flatMap((p) => {
        if (!p)
            return [];
        const { username, password } = p.url;
        const decoded = [password, username && !password ? username : '']
            .filter(Boolean)
            .flatMap((s) => [s, safeDecode(s)]);
        return [...new Set(decoded)];
    });
}
/** The proxy secrets of `env` for the runner to mask; none when a variable is malformed (its error hides them). */
function proxySecretsIn(env) {
    try {
        return proxySecrets(readProxyEnv(env));
    }
    catch {
        return [];
    }
}
function proxyVar(env, lower) {
    const [variable, value] = pick(env, lower);
    if (!value)
        return undefined;
    // curl's reading: a proxy without a scheme is an http proxy.
    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || !url.hostname) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`${variable} is '${hideCredentials(value)}', which is not a proxy URL.`, `Set it to http://host:port (with credentials, http://user:password@host:port; percent-encode @ : / in them), or unset it.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`${variable} names a ${url.protocol.replace(':', '')} proxy (${showProxy(url)}); this action speaks to HTTP(S) proxies only.`, `Point ${variable} at an http:// or https:// proxy, or unset it.`);
    }
    return { variable, url, shown: showProxy(url) };
}
/** Lower case first, then upper case, as curl and the runner read them; blank counts as unset. */
function pick(env, lower) {
    for (const name of [lower, lower.toUpperCase()]) {
        const value = env[name]?.trim();
        if (value)
            return [name, value];
    }
    return [lower.toUpperCase(), undefined];
}
function parseNoProxy(text) {
    return text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((raw) => {
        const item = raw.toLowerCase();
        if (item === '*')
            return { kind: 'all' };
        // 10.0.0.0/8, 192.168.1.5, [::1]:8080, host:443, .example.com, *.example.com
        const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(item);
        if (cidr && (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(cidr[1])) {
            const list = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
            const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(cidr[1]) === 6 ? 'ipv6' : 'ipv4';
            list.addSubnet(cidr[1], Math.min(Number(cidr[2]), family === 'ipv6' ? 128 : 32), family);
            return { kind: 'ip', list };
        }
        const hostPort = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/.exec(item);
        let host = hostPort?.[1] ?? item;
        let port = hostPort?.[2] ? Number(hostPort[2]) : undefined;
        if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(item) === 6)
            [host, port] = [item, undefined];
        host = host.replace(/^\[|\]$/g, '');
        if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host)) {
            const list = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
            list.addAddress(host, (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) === 6 ? 'ipv6' : 'ipv4');
            return { kind: 'ip', list, ...(port ? { port } : {}) };
        }
        return { kind: 'domain', name: host.replace(/^\*?\.+/, ''), ...(port ? { port } : {}) };
    });
}
function matches(entry, host, port) {
    if (entry.kind === 'all')
        return true;
    if (entry.port !== undefined && entry.port !== port)
        return false;
    if (entry.kind === 'ip') {
        const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
        return family !== 0 && entry.list.check(host, family === 6 ? 'ipv6' : 'ipv4');
    }
    // curl's rule: a name matches itself and every host under it, with or without a leading dot.
    return entry.name !== '' && (host === entry.name || host.endsWith(`.${entry.name}`));
}
function hostOf(url) {
    return url.hostname
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '')
        .toLowerCase();
}
function isLoopback(host) {
    if (host === 'localhost' || host.endsWith('.localhost'))
        return true;
    if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) === 4)
        return host.startsWith('127.');
    return host === '::1';
}
function hideCredentials(value) {
    return value.replace(/\/\/[^/@]*@/, '//***@');
}
function safeDecode(s) {
    try {
        return decodeURIComponent(s);
    }
    catch {
        return s;
    }
}


/***/ }),

/***/ 2545:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pi: () => (/* binding */ decideOrder),
/* harmony export */   RB: () => (/* binding */ sameRepository),
/* harmony export */   h0: () => (/* binding */ short),
/* harmony export */   xp: () => (/* binding */ needsComparison)
/* harmony export */ });
function short(sha) {
    return sha.slice(0, 7);
}
function named(d) {
    return `deployment ${d.deploymentId} (${d.status || 'status unknown'})`;
}
/** GitHub's owner/name ignore case; a GitHub revision spells them as whoever created it typed them. */
function sameRepository(a, b) {
    return a.toLowerCase() === b.toLowerCase();
}
/** Does the last deployment's revision need comparing with ours? (Else the verdict needs no history.) */
function needsComparison(i) {
    const theirs = i.last;
    return Boolean(theirs?.commit &&
        theirs.commit !== i.ours.commit &&
        (!theirs.repository || sameRepository(theirs.repository, i.ours.repository)));
}
function decideOrder(i) {
    const { group, ours, last } = i;
    if (!last)
        return { kind: 'deploy' };
    if (!last.commit)
        return {
            kind: 'deploy',
            say: {
                level: 'info',
                text: `Order: the last deployment to '${group}', ${named(last)}, records no commit (${last.unknown ?? 'not uploaded by this action'}), so it cannot be newer than ours; deploying.`
            }
        };
    if (last.commit === ours.commit)
        return {
            kind: 'deploy',
            say: {
                level: 'info',
                text: `Order: '${group}' last attempted this same commit ${short(ours.commit)} (${named(last)}); deploying it again.`
            }
        };
    if (last.repository && !sameRepository(last.repository, ours.repository))
        return {
            kind: 'deploy',
            say: {
                level: 'warning',
                text: `The last deployment to '${group}', ${named(last)}, is of commit ${short(last.commit)} of ${last.repository}, not of ${ours.repository}: commits of two repositories have no order, so this run deploys ${short(ours.commit)} over it. Check that both workflows should deploy to this group.`
            }
        };
    const answer = i.answer;
    if (!answer || 'unknown' in answer)
        return {
            kind: 'deploy',
            say: {
                level: 'warning',
                text: `Could not tell whether commit ${short(ours.commit)} is older than ${short(last.commit)}, which '${group}' last attempted (${named(last)}): ${answer && 'unknown' in answer ? answer.unknown : 'nothing was asked'}. Deploying, since order is never guessed. To let the action tell, check out with fetch-depth: 0 or give github-token contents: read.`
            }
        };
    const c = answer.comparison;
    switch (c.relation) {
        case 'identical':
        case 'ahead':
            return {
                kind: 'deploy',
                say: {
                    level: 'info',
                    text: `Order: commit ${short(ours.commit)} is ${c.aheadBy} commit${c.aheadBy === 1 ? '' : 's'} ahead of ${short(last.commit)}, which '${group}' last attempted (${named(last)}); deploying.`
                }
            };
        case 'diverged':
            return {
                kind: 'deploy',
                say: {
                    level: 'warning',
                    text: `Commit ${short(ours.commit)} and ${short(last.commit)}, which '${group}' last attempted (${named(last)}), have diverged (${c.aheadBy} and ${c.behindBy} commits apart, per ${c.source}): deploying ${short(ours.commit)} replaces the other branch's code. Check that both branches should deploy to this group.`
                }
            };
        case 'behind': {
            const what = `'${group}' last attempted commit ${last.commit}, ${named(last)}, which is ${c.behindBy} commit${c.behindBy === 1 ? '' : 's'} newer than this run's ${ours.commit} (per ${c.source})`;
            if (i.policy === 'skip')
                return {
                    kind: 'skip',
                    notice: `Skipped: ${what}. Nothing was uploaded or deployed (if-newer-deployed: skip). To deploy this older commit on purpose (a rollback), set if-newer-deployed: deploy.`
                };
            if (i.policy === 'fail')
                return {
                    kind: 'fail',
                    message: `A newer commit is deployed: ${what}.`,
                    fix: 'To deploy this older commit on purpose (a rollback), set if-newer-deployed: deploy; to let such runs pass quietly, if-newer-deployed: skip.'
                };
            return {
                kind: 'deploy',
                say: {
                    level: 'warning',
                    text: `Deploying an older commit on purpose (if-newer-deployed: deploy): ${what}.`
                }
            };
        }
    }
}


/***/ }),

/***/ 1227:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ch: () => (/* binding */ readProvenance),
/* harmony export */   Jj: () => (/* binding */ provenanceOf),
/* harmony export */   RG: () => (/* binding */ FULL_SHA),
/* harmony export */   zc: () => (/* binding */ provenanceMetadata)
/* harmony export */ });
/* unused harmony export PROVENANCE_KEYS */
/** The metadata names (S3 stores them lower-case, as x-amz-meta-<name>). */
const PROVENANCE_KEYS = {
    commit: 'git-commit',
    repository: 'github-repository',
    workflowRef: 'github-workflow-ref',
    runId: 'github-run-id',
    runNumber: 'github-run-number',
    runAttempt: 'github-run-attempt',
    actor: 'github-actor'
};
/** A full commit id: the only form of `git-commit` trusted when read back. */
const FULL_SHA = /^[0-9a-f]{40}$/;
function provenanceOf(run) {
    return {
        commit: run.sha,
        repository: run.repository,
        workflowRef: run.workflowRef,
        runId: run.runId,
        runNumber: run.runNumber,
        runAttempt: run.runAttempt,
        actor: run.actor
    };
}
/**
 * The object's metadata for a run's provenance: only what is known, each value safe for an HTTP
 * header. S3 gives non-ASCII metadata back RFC 2047-encoded, so that is how it is sent too (a
 * branch name in the workflow ref may hold any character).
 */
function provenanceMetadata(p) {
    const out = {};
    for (const [field, name] of Object.entries(PROVENANCE_KEYS)) {
        const value = p[field];
        // Only a full commit id is a commit: anything else would be read back as none anyway.
        if (field === 'commit' && !FULL_SHA.test(value.toLowerCase()))
            continue;
        if (value)
            out[name] = field === 'commit' ? value.toLowerCase() : headerSafe(value);
    }
    return out;
}
/** What a revision's metadata says of its commit; undefined when it records none (not made by this action). */
function readProvenance(metadata) {
    if (!metadata)
        return undefined;
    const lower = new Map(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));
    const commit = (lower.get(PROVENANCE_KEYS.commit) ?? '').trim().toLowerCase();
    if (!FULL_SHA.test(commit))
        return undefined;
    const out = { commit };
    for (const [field, name] of Object.entries(PROVENANCE_KEYS)) {
        const value = lower.get(name);
        if (field !== 'commit' && value)
            out[field] = fromHeader(value);
    }
    return out;
}
function headerSafe(value) {
    const flat = value.replace(/[\r\n]+/g, ' ');
    if (/^[\x20-\x7e]*$/.test(flat))
        return flat;
    return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}
function fromHeader(value) {
    const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value);
    return m ? Buffer.from(m[1], 'base64').toString('utf8') : value;
}


/***/ }),

/***/ 5245:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ regionInput),
/* harmony export */   b: () => (/* binding */ regionFrom)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6804);
// The AWS region: one pattern for the input and the environment, one order of precedence.


/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ... */
const REGION_CODE = /^[a-z]{2,}(-[a-z0-9]+)+-\d{1,2}$/;
/** The `region` input, checked; '' when empty (the environment or the profile decides later). */
function regionInput(value) {
    if (value && !REGION_CODE.test(value))
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Input */ .pd.Region, `'${value}' is not an AWS region code.`, 'Write a region code such as us-east-1, or leave it empty to use AWS_REGION.');
    return value;
}
/** The region from the input, else AWS_REGION, else AWS_DEFAULT_REGION; undefined when none is set. */
function regionFrom(input, env) {
    const fromInput = regionInput(input.trim());
    if (fromInput)
        return fromInput;
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
        const value = env[name]?.trim();
        if (!value)
            continue;
        if (!REGION_CODE.test(value))
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`${name} is '${value}', which is not an AWS region code.`, `Set it to a region code such as us-east-1 (aws-actions/configure-aws-credentials sets it from its aws-region), or set the region input.`);
        return value;
    }
    return undefined;
}


/***/ })

};
