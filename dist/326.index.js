export const id = 326;
export const ids = [326];
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

/***/ 7584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ rollbackOnStop),
/* harmony export */   stopDeployment: () => (/* binding */ stopDeployment)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7507);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2495);



/**
 * Whether a stop we make should roll back: the auto-rollback input when given, else what the
 * deployment (from its group) says about stops on request.
 */
function rollbackOnStop(input, config) {
    if (input !== undefined)
        return input;
    return Boolean(config?.enabled && config.events?.includes('DEPLOYMENT_STOP_ON_REQUEST'));
}
/** Asks CodeDeploy to stop the deployment. A deployment that already ended is not an error. Throws AwsCallError otherwise. */
async function stopDeployment(opts) {
    const { codedeploy, log, deploymentId, autoRollbackEnabled } = opts;
    try {
        const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .callWithRetry */ .ZG)('StopDeployment', () => codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_2__.StopDeploymentCommand({
            deploymentId,
            ...(autoRollbackEnabled !== undefined ? { autoRollbackEnabled } : {})
        })), 
        // Few quick attempts: on cancellation the runner kills us 10 s after SIGINT.
        { log, sleep: opts.sleep, attempts: 3 }, () => `Stop it by hand in the console, and grant codedeploy:StopDeployment to this workflow's role.`);
        const rollback = autoRollbackEnabled ? ', rolling back the instances it updated' : '';
        log.info(`Stopping deployment ${deploymentId}${rollback}: ${out.statusMessage ?? out.status ?? 'requested'}`);
        return 'stopping';
    }
    catch (err) {
        if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ && err.code === 'DeploymentAlreadyCompletedException') {
            log.info(`Deployment ${deploymentId} had already ended; nothing to stop.`);
            return 'already-completed';
        }
        throw err;
    }
}


/***/ }),

/***/ 7326:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployToGroups: () => (/* binding */ deployToGroups)
});

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/deploy/codedeploy/console-url.ts
// The AWS console link for a deployment. The console host depends on the partition of the region.
function consoleHost(region) {
    if (region.startsWith('cn-'))
        return 'console.amazonaws.cn';
    if (region.startsWith('us-gov-'))
        return 'console.amazonaws-us-gov.com';
    return `${region}.console.aws.amazon.com`;
}
function deploymentConsoleUrl(region, deploymentId) {
    const r = encodeURIComponent(region);
    return `https://${consoleHost(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${r}`;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/deploy/codedeploy/reads.ts
var reads = __webpack_require__(375);
;// CONCATENATED MODULE: ./src/deploy/codedeploy/continue.ts
// ContinueDeployment: start the reroute of a blue/green deployment in Ready (READY_WAIT), or end
// its termination wait (TERMINATION_WAIT). CodeDeploy's refusals become the user's next step.




/** Where a deployment is, in words, for the errors below. */
function stateText(info) {
    if (info.status === 'InProgress' && info.instanceTerminationWaitTimeStarted)
        return 'InProgress, in its termination wait (the traffic is already on the replacement instances)';
    return info.status ?? 'unknown';
}
/** The fix for a ContinueDeployment that CodeDeploy refused, from the deployment's state now. */
function refusal(err, id, info) {
    const state = info ? stateText(info) : 'in a state that cannot be continued';
    const inTermination = info?.status === 'InProgress' && info.instanceTerminationWaitTimeStarted;
    switch (err.code) {
        case 'DeploymentAlreadyCompletedException':
            return new errors/* ActionError */.lZ(`Deployment ${id} cannot be continued: it already ended (${info?.status ?? 'completed'}).`, 'Nothing is left to continue: check its result in the console, or deploy again.');
        case 'UnsupportedActionForDeploymentTypeException':
            return new errors/* ActionError */.lZ(`Deployment ${id} cannot be continued: it is an in-place deployment, which never waits for a reroute.`, 'Use continue-deployment only with a blue/green deployment.');
        case 'DeploymentIsNotInReadyStateException':
            return new errors/* ActionError */.lZ(`Deployment ${id} cannot be continued: it is ${state}, not Ready.`, inTermination
                ? 'To terminate the original instances now, add continue-termination: true.'
                : 'Continue it once it is Ready (the replacement instances installed); run the first job with on-ready: finish so that it ends there.');
        case 'InvalidDeploymentStatusException':
            return new errors/* ActionError */.lZ(`Deployment ${id}'s termination wait cannot be ended: it is ${state}.`, info?.status === 'Ready'
                ? 'It waits for the traffic switch: remove continue-termination to reroute it.'
                : 'Only a blue/green deployment in its termination wait (after the reroute, with TERMINATE) can end it early.');
        default:
            return err;
    }
}
/**
 * The ContinueDeployment call (the continue-deployment setting and the pipeline's continue path
 * end here). A refusal is explained from a fresh GetDeployment; other errors name the
 * call and what to grant.
 */
async function sendContinueDeployment(ctx, deploymentId, waitType) {
    try {
        await (0,retry/* callWithRetry */.ZG)('ContinueDeployment', () => ctx.codedeploy.send(new dist_cjs.ContinueDeploymentCommand({ deploymentId, deploymentWaitType: waitType })), (0,retry/* fewAttempts */.X8)(ctx, 4), () => `Grant codedeploy:ContinueDeployment on the deployment group to the role this workflow runs as.`);
    }
    catch (err) {
        if (!(err instanceof errors/* AwsCallError */.iQ))
            throw err;
        const info = await (0,reads/* readDeployment */.iJ)(ctx, deploymentId).catch(() => undefined);
        throw refusal(err, deploymentId, info);
    }
}

// EXTERNAL MODULE: ./src/common/plural.ts
var plural = __webpack_require__(9627);
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/codedeploy-errors.ts
var codedeploy_errors = __webpack_require__(5431);
// EXTERNAL MODULE: ./src/deploy/codedeploy/request.ts
var request = __webpack_require__(5127);
// EXTERNAL MODULE: ./src/aws/deployment-statuses.ts
var deployment_statuses = __webpack_require__(1457);
// EXTERNAL MODULE: ./src/deploy/codedeploy/wait.ts
var wait = __webpack_require__(3701);
;// CONCATENATED MODULE: ./src/deploy/codedeploy/create.ts










/** Attempts at CreateDeployment when throttled or failing transiently. */
const CREATE_ATTEMPTS = 6;
/** Names listed in a "does not exist" message before "and N more". */
const NAMES_SHOWN = 20;
/** The active deployment's id as DeploymentLimitExceededException states it. */
function activeIdFromMessage(message) {
    return /\bd-[A-Z0-9]{9}\b/.exec(message)?.[0];
}
function nameList(names) {
    if (names.length === 0)
        return 'none';
    return (0,plural/* firstAndMore */.f)(names.map((n) => `'${n}'`), NAMES_SHOWN);
}
/** All pages of a list call, best effort: undefined when it cannot be listed. */
async function listAll(fetchPage) {
    const names = [];
    let token;
    try {
        for (let page = 0; page < 10; page++) {
            const out = await fetchPage(token);
            names.push(...(out.names ?? []));
            token = out.nextToken || undefined;
            if (!token)
                break;
        }
        return names;
    }
    catch {
        return undefined;
    }
}
/** What to check after CreateDeployment failed with `err`: names what exists when something named does not. */
async function createCheck(err, o, input) {
    const { codedeploy, region, settings, group } = o;
    const app = settings.application;
    switch ((0,aws_errors/* errorCode */.CA)(err)) {
        case 'ApplicationDoesNotExistException': {
            const apps = await listAll(async (nextToken) => {
                const out = await codedeploy.send(new dist_cjs.ListApplicationsCommand({ nextToken }));
                return { names: out.applications, nextToken: out.nextToken };
            });
            if (!apps)
                return `Check the application input and the region (${region}).`;
            return `Application '${app}' does not exist in ${region}. Applications there: ${nameList(apps)}. Check the application input and the region.`;
        }
        case 'DeploymentGroupDoesNotExistException': {
            const groups = await listAll(async (nextToken) => {
                const out = await codedeploy.send(new dist_cjs.ListDeploymentGroupsCommand({ applicationName: app, nextToken }));
                return { names: out.deploymentGroups, nextToken: out.nextToken };
            });
            if (!groups)
                return `Check the deployment-group input and the region (${region}).`;
            return `Deployment group '${group}' does not exist in application '${app}' (${region}). Its groups: ${nameList(groups)}. Check the deployment-group input.`;
        }
        case 'DeploymentConfigDoesNotExistException':
            return `Deployment configuration '${settings.deploymentConfig ?? ''}' does not exist: check deployment-config (built in: CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce), or leave it empty to use the group's.`;
        case 'InvalidRevisionException':
        case 'RevisionDoesNotExistException':
        case 'InvalidS3LocationException': {
            const s3 = input.revision?.s3Location;
            const version = s3?.version ? ` (version ${s3.version})` : '';
            return `Check that s3://${s3?.bucket}/${s3?.key}${version} exists in ${region}, is a ${s3?.bundleType} archive, and that the bucket is in the same region as CodeDeploy.`;
        }
        case 'InvalidRoleException':
            return `The service role of deployment group '${group}' is not usable: check that the role exists, trusts codedeploy.amazonaws.com, and has the AWSCodeDeployRole managed policy.`;
        case 'InvalidAutoRollbackConfigException':
            return `Check the auto-rollback input and the group's alarm and rollback settings.`;
        case 'InvalidFileExistsBehaviorException':
            return `Check file-exists-behavior: DISALLOW, OVERWRITE or RETAIN.`;
        default:
            if ((0,aws_errors/* isAccessDenied */.w7)(err)) {
                return `Grant the IAM action codedeploy:CreateDeployment on the deployment group; creating a deployment also needs codedeploy:RegisterApplicationRevision and codedeploy:GetApplicationRevision on the application and codedeploy:GetDeploymentConfig (the action the message names is the one missing). Waiting and diagnosis use codedeploy:GetDeployment, ListDeployments, ListDeploymentTargets, BatchGetDeploymentTargets and StopDeployment: see examples/iam-policy.json in the action's repository.`;
            }
            return undefined;
    }
}
/**
 * The queue's own calls end, like the main wait's GetDeployment, at the deadline plus a grace:
 * a CodeDeploy that stops answering cannot hold the step past wait-timeout. Also ends on cancel.
 */
function boundedSignal(o) {
    const overdue = AbortSignal.timeout(Math.max(0, o.deadline - o.now()) + wait/* CALL_GRACE_MS */.dd);
    return o.signal ? AbortSignal.any([o.signal, overdue]) : overdue;
}
/** The group's active deployment per ListDeployments; undefined when none, or when we may not list. */
async function findActiveDeployment(o) {
    try {
        const out = await o.codedeploy.send(new dist_cjs.ListDeploymentsCommand({
            applicationName: o.settings.application,
            deploymentGroupName: o.group,
            includeOnlyStatuses: [...deployment_statuses/* ACTIVE_STATUSES */.a]
        }), { abortSignal: boundedSignal(o) });
        return out.deployments?.[0];
    }
    catch (err) {
        // Queueing still works through DeploymentLimitExceededException, so a missing permission here is no failure.
        o.log.debug(`ListDeployments failed, relying on CreateDeployment to report an active deployment: ${(0,aws_errors/* errorCode */.CA)(err)}`);
        return undefined;
    }
}
/** After a CreateDeployment whose answer was lost, the "active" deployment may be the one we created. */
async function isOurs(o, id, input) {
    try {
        const info = (await o.codedeploy.send(new dist_cjs.GetDeploymentCommand({ deploymentId: id }), {
            abortSignal: boundedSignal(o)
        })).deploymentInfo;
        const theirs = info?.revision?.s3Location;
        const ours = input.revision?.s3Location;
        return (info?.deploymentGroupName === o.group &&
            info?.description === input.description &&
            theirs?.bucket === ours?.bucket &&
            theirs?.key === ours?.key &&
            (theirs?.eTag ?? '') === (ours?.eTag ?? ''));
    }
    catch {
        return false;
    }
}
/** One CreateDeployment, retried on throttling and transient errors. Returns the id, or the active deployment blocking it. */
async function tryCreate(o, input) {
    if (o.signal?.aborted)
        return { cancelled: true };
    let unsureIfSent = false;
    let out;
    try {
        // No abort signal on the request: one cut off mid-flight may still create a deployment we could then not stop.
        out = await (0,retry/* retry */.L5)(() => o.codedeploy.send(new dist_cjs.CreateDeploymentCommand(input)), (0,retry/* awsPolicy */.kv)({
            attempts: CREATE_ATTEMPTS,
            sleep: o.sleep,
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.random ? { random: o.random } : {}),
            onRetry: (err, _attempt, delay) => {
                // A throttled call was refused; any other transient failure may have created the deployment anyway.
                if (!(0,aws_errors/* isThrottling */.E2)(err))
                    unsureIfSent = true;
                const what = (0,aws_errors/* isThrottling */.E2)(err) ? 'was throttled' : `failed (${(0,aws_errors/* errorCode */.CA)(err)})`;
                o.log.info(`CreateDeployment ${what}; trying again in ${Math.ceil(delay / 1000)} s.`);
            }
        }));
    }
    catch (err) {
        if ((0,aws_errors/* errorCode */.CA)(err) === 'DeploymentLimitExceededException') {
            const activeId = activeIdFromMessage(err.message ?? '') ?? (await findActiveDeployment(o));
            if (activeId && unsureIfSent && (await isOurs(o, activeId, input))) {
                o.log.info(`CreateDeployment's answer was lost, but deployment ${activeId} with this revision is the one it created.`);
                return { id: activeId };
            }
            return { activeId };
        }
        if (o.signal?.aborted && (0,aws_errors/* isTransient */.dg)(err))
            return { cancelled: true };
        throw (0,codedeploy_errors/* codeDeployCallError */.v)('CreateDeployment', err, await createCheck(err, o, input));
    }
    if (!out.deploymentId)
        throw new errors/* ActionError */.lZ('CreateDeployment returned no deployment id.', 'Try again.');
    return { id: out.deploymentId };
}
/**
 * Creates the deployment. When the group is busy: `wait` follows the active deployment to its end
 * (until the deadline) and tries again; `fail` throws an ActionError naming it. Other failures throw AwsCallError.
 */
async function createDeployment(o) {
    const input = (0,request/* buildCreateDeploymentInput */.E)(o.settings, o.group, o.revision);
    let lastActive = '';
    let lastAsked;
    for (;;) {
        if (o.signal?.aborted)
            return { kind: 'cancelled', activeDeploymentId: lastActive };
        const found = await findActiveDeployment(o);
        // Before creating, and as soon as a new deployment holds the group (no wait behind a newer commit).
        if (o.beforeCreate && (!found || found !== lastAsked)) {
            const skip = await o.beforeCreate();
            if (skip)
                return { kind: 'skipped', notice: skip };
            lastAsked = found;
        }
        const attempt = found ? { activeId: found } : await tryCreate(o, input);
        if ('cancelled' in attempt)
            return { kind: 'cancelled', activeDeploymentId: lastActive };
        if ('id' in attempt)
            return { kind: 'created', deploymentId: attempt.id };
        const activeId = attempt.activeId;
        if (!activeId) {
            // CodeDeploy said the group is busy but not with what: try again shortly.
            if (o.now() >= o.deadline)
                return { kind: 'timed-out', activeDeploymentId: '' };
            await o.sleep((0,wait/* pollDelayMs */.pP)(Number.MAX_SAFE_INTEGER), o.signal);
            continue;
        }
        const url = deploymentConsoleUrl(o.region, activeId);
        if (o.settings.ifActiveDeployment === 'fail') {
            throw new errors/* ActionError */.lZ(`Deployment group '${o.group}' already has an active deployment, ${activeId} (${url}).`, 'Wait for it to end or stop it, or set if-active-deployment: wait to queue behind it.');
        }
        if (activeId !== lastActive) {
            o.log.info(`Deployment group '${o.group}' is busy with deployment ${activeId}; waiting for it to end before deploying. ${url}`);
        }
        lastActive = activeId;
        const r = await (0,wait/* waitForDeployment */.Kw)({
            deploymentId: activeId,
            codedeploy: o.codedeploy,
            log: o.log,
            sleep: o.sleep,
            now: o.now,
            deadline: o.deadline,
            signal: o.signal,
            trackInstances: false,
            random: o.random
        });
        // No onInstances here, so never 'halted'.
        if (r.kind === 'timed-out' || r.kind === 'cancelled')
            return { kind: r.kind, activeDeploymentId: activeId };
        if (r.kind !== 'terminal')
            continue;
        o.log.info(`Deployment ${activeId} ended (${r.info.status}); deploying to '${o.group}' now.`);
    }
}

// EXTERNAL MODULE: ./src/deploy/plan.ts
var deploy_plan = __webpack_require__(5448);
// EXTERNAL MODULE: ./src/common/duration.ts
var duration = __webpack_require__(5541);
// EXTERNAL MODULE: ./src/advice/agent-checks.ts
var agent_checks = __webpack_require__(9807);
;// CONCATENATED MODULE: ./src/deploy/silent-agent/watch.ts



/** Events CodeDeploy runs itself (the load balancer's), which no agent picks up. */
const SERVICE_EVENTS = new Set(['BlockTraffic', 'AllowTraffic']);
const DONE = new Set(['Succeeded', 'Skipped']);
/** The event an instance's agent has yet to pick up, or undefined when it is not waiting for its agent. */
function eventAwaitingAgent(instance, all) {
    if (instance.status !== 'InProgress')
        return undefined;
    const events = instance.events;
    if (events.some((e) => e.status === 'InProgress'))
        return undefined;
    const next = events.findIndex((e) => e.status === 'Pending');
    if (next < 0)
        return undefined;
    if (!events.slice(0, next).every((e) => DONE.has(e.status)))
        return undefined;
    const event = events[next];
    if (SERVICE_EVENTS.has(event.name))
        return undefined;
    if (instance.label === 'Blue' &&
        all.some((i) => i.label === 'Green' && (i.status === 'Pending' || i.status === 'InProgress')))
        return undefined;
    const since = next === 0 ? instance.lastUpdatedAt : events[next - 1].endedAt;
    return { event: event.name, since: since?.getTime() };
}
/**
 * Follows the instances across looks: which have waited for their agent longer than the timeout.
 * The wait counts from the later of CodeDeploy's time (lastUpdatedAt, the previous event's end)
 * and our first sight of it: the action watches a deployment from its creation, so our sight lags
 * by one refresh at most, and a lastUpdatedAt older than the instance's turn (or a clock that
 * differs from AWS's) can never make an instance silent the moment its turn comes.
 */
class AgentWatch {
    timeoutMs;
    firstSeen = new Map();
    silent = new Map();
    seen = new Map();
    constructor(timeoutMs) {
        this.timeoutMs = timeoutMs;
    }
    /** Looks at the instances once: the ones newly silent, and the silent ones whose agent has now answered. */
    observe(instances, now) {
        const newlySilent = [];
        const answered = [];
        const waiting = new Set();
        for (const i of instances) {
            const awaiting = eventAwaitingAgent(i, instances);
            if (!awaiting)
                continue;
            const key = `${i.instanceId}\n${awaiting.event}`;
            waiting.add(key);
            if (!this.firstSeen.has(key))
                this.firstSeen.set(key, now);
            const since = Math.max(awaiting.since ?? 0, this.firstSeen.get(key));
            const s = {
                instanceId: i.instanceId,
                ...(i.label ? { label: i.label } : {}),
                event: awaiting.event,
                since,
                silentMs: now - since
            };
            if (s.silentMs < this.timeoutMs)
                continue;
            if (!this.silent.has(key))
                newlySilent.push(s);
            this.silent.set(key, s);
            this.seen.set(i.instanceId, s);
        }
        for (const [key, s] of this.silent) {
            if (waiting.has(key))
                continue;
            this.silent.delete(key);
            // No longer waiting: answered only if the event has started (not failed by CodeDeploy or skipped by a stop).
            const event = instances
                .find((i) => i.instanceId === s.instanceId)
                ?.events.find((e) => e.name === s.event);
            if (event && (event.status === 'InProgress' || event.status === 'Succeeded'))
                answered.push(s);
        }
        return { newlySilent, answered };
    }
    /** Every instance found silent at some look, with its longest silence. */
    everSilent() {
        return [...this.seen.values()];
    }
    /** The instances silent at the last look. */
    silentNow() {
        return [...this.silent.values()];
    }
}
function watch_name(s) {
    return s.label ? `${s.instanceId} (${s.label})` : s.instanceId;
}
/** "i-1 (Green) waiting for ApplicationStop for 5m 12s" per instance. */
function silentList(silent, max = 10) {
    const parts = silent
        .slice(0, max)
        .map((s) => `${watch_name(s)} waiting for ${s.event} for ${(0,duration/* formatDuration */.a)(s.silentMs)}`);
    if (silent.length > max)
        parts.push(`and ${silent.length - max} more`);
    return parts.join('; ');
}
/** The warning for instances found silent: who, how long, why it matters, what to check. */
function silenceWarning(silent, timeoutMinutes, region) {
    const n = silent.length;
    const justLaunched = silent.every((s) => s.label === 'Green');
    const notPickedUp = n === 1
        ? 'The CodeDeploy agent on 1 instance has not picked up its lifecycle event'
        : `The CodeDeploy agents on ${(0,plural/* plural */.L)(n, 'instance')} have not picked up their lifecycle events`;
    return (`${notPickedUp} for over ${(0,duration/* minutesText */.B)(timeoutMinutes)} (agent-silence-timeout): ${silentList(silent)}. ` +
        `CodeDeploy itself fails such an instance only after an hour, with "${agent_checks/* AGENT_NOT_RECEIVED */.c0}" ` +
        (0,agent_checks/* agentChecksText */.U$)(region, justLaunched));
}

;// CONCATENATED MODULE: ./src/deploy/silent-agent/reporter.ts
// What the user hears about silent agents while a deployment runs: at each instance refresh, one
// warning, then a line per newly silent instance; with on-agent-silence: fail, 'halt'.



class SilenceReporter {
    o;
    watch;
    warned = false;
    constructor(o) {
        this.o = o;
        this.watch = new AgentWatch(o.settings.agentSilenceTimeoutMinutes * 60_000);
    }
    look(instances) {
        const { log, now, settings, region, deploymentId: id } = this.o;
        const { newlySilent, answered } = this.watch.observe(instances, now());
        for (const s of answered)
            log.info(`${id} ${s.instanceId}: the CodeDeploy agent picked up ${s.event} after ${(0,duration/* formatDuration */.a)(now() - s.since)}.`);
        if (newlySilent.length === 0)
            return 'continue';
        if (settings.onAgentSilence === 'fail')
            return 'halt';
        if (!this.warned) {
            this.warned = true;
            const silent = this.watch.silentNow();
            log.warning(silenceWarning(silent, settings.agentSilenceTimeoutMinutes, region), {
                title: `CodeDeploy agent not responding on ${(0,plural/* plural */.L)(silent.length, 'instance')}`
            });
            log.info(`Still waiting for deployment ${id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`);
        }
        else {
            log.info(`${id}: the agent is silent on more instances now: ${silentList(newlySilent)}.`);
        }
        return 'continue';
    }
}

// EXTERNAL MODULE: ./src/deploy/traffic/target-groups.ts
var target_groups = __webpack_require__(4541);
;// CONCATENATED MODULE: ./src/deploy/traffic/traffic-watch.ts
// The traffic events explained, for groups behind a load balancer. BlockTraffic and AllowTraffic
// are run by CodeDeploy, not by a script, so their failures carry no log: the cause is in the
// target groups. While an instance is in AllowTraffic we read its health there and keep what the
// load balancer last said; a BlockTraffic that takes long is the deregistration delay.


/** A BlockTraffic running this long gets one line naming the deregistration delay. */
const SLOW_BLOCK_TRAFFIC_MS = 15_000;
function inEvent(i, event) {
    return i.events.some((e) => e.name === event && e.status === 'InProgress');
}
function labelled(i) {
    return i.label ? `${i.instanceId} (${i.label})` : i.instanceId;
}
function healthText(h) {
    const why = [h.reason, h.description].filter(Boolean).join(': ');
    return `${h.state}${why ? ` (${why})` : ''}`;
}
/** Of what the load balancer said about one target, the reading that tells most: unhealthy, then initial. */
function mostTelling(readings) {
    const rank = (h) => h.state === 'unhealthy' ? 0 : h.state === 'initial' ? 1 : 2;
    return [...readings].sort((a, b) => rank(a) - rank(b))[0];
}
function verdictText(h) {
    if (h.state === 'unhealthy')
        return `the load balancer said ${healthText(h)}`;
    if (h.state === 'initial')
        return `the last reading was ${healthText(h)}: the instance never passed a health check`;
    if (h.state === 'unused')
        return `it is no longer registered (${healthText(h)}), so what it answered cannot be read`;
    return `the load balancer says ${healthText(h)}`;
}
class TrafficWatch {
    deploymentId;
    targetGroups;
    log;
    now;
    /** instance id → target group → what the load balancer last said while AllowTraffic ran. */
    lastHealth = new Map();
    printed = new Map();
    slowBlockSaid = false;
    gaveUp = false;
    constructor(deploymentId, targetGroups, log, now) {
        this.deploymentId = deploymentId;
        this.targetGroups = targetGroups;
        this.log = log;
        this.now = now;
    }
    /** At each instance refresh: health lines for instances in AllowTraffic, one line for a slow BlockTraffic. */
    async look(instances) {
        if (this.gaveUp || this.targetGroups.names.length === 0)
            return;
        try {
            const allowing = instances.filter((i) => inEvent(i, 'AllowTraffic'));
            if (allowing.length)
                await this.readHealth(allowing);
            const blocking = instances.filter((i) => {
                const e = i.events.find((ev) => ev.name === 'BlockTraffic' && ev.status === 'InProgress');
                return e?.startedAt && this.now() - e.startedAt.getTime() >= SLOW_BLOCK_TRAFFIC_MS;
            });
            if (blocking.length && !this.slowBlockSaid) {
                this.slowBlockSaid = true;
                this.log.info(`${this.deploymentId}: BlockTraffic on ${blocking.map(labelled).slice(0, 3).join(', ')} is waiting for the load balancer to drain connections: ${await this.delayText()}.`);
            }
        }
        catch (err) {
            this.giveUp(err);
        }
    }
    giveUp(err) {
        this.gaveUp = true;
        this.log.warning(`Not explaining the traffic events: ${err instanceof errors/* AwsCallError */.iQ ? err.describe() : String(err)}`);
    }
    async readHealth(allowing) {
        const labels = new Map(allowing.map((i) => [i.instanceId, i.label]));
        for (const h of await this.targetGroups.health(allowing.map((i) => i.instanceId))) {
            const seen = this.lastHealth.get(h.instanceId) ?? new Map();
            seen.set(h.targetGroup, h);
            this.lastHealth.set(h.instanceId, seen);
            const key = `${h.instanceId} ${h.targetGroup}`;
            const text = healthText(h);
            if (this.printed.get(key) === text)
                continue;
            this.printed.set(key, text);
            this.log.info(`${this.deploymentId} ${labelled({ instanceId: h.instanceId, label: labels.get(h.instanceId) })}: AllowTraffic: target group '${h.targetGroup}' says ${text}`);
        }
    }
    /** "target group 'web' deregistration delay is 300 s (deregistration_delay.timeout_seconds)…" */
    async delayText() {
        const groups = await this.targetGroups.list();
        const parts = [];
        for (const g of groups)
            parts.push(`'${g.name}' ${await this.targetGroups.deregistrationDelaySeconds(g)} s`);
        return `the deregistration delay of target group ${parts.join(', ')} (attribute deregistration_delay.timeout_seconds; ELBv2's default is 300 s). Lower it on the target group if your requests finish sooner: every deployment waits for it`;
    }
    /**
     * Why each failed AllowTraffic/BlockTraffic happened, from the target groups: the health check
     * and what the load balancer said about the instance (during the wait, or now).
     */
    async explain(failed) {
        const traffic = failed.filter((f) => f.lifecycleEvent === 'AllowTraffic' || f.lifecycleEvent === 'BlockTraffic');
        if (traffic.length === 0 || this.targetGroups.names.length === 0)
            return failed;
        try {
            const groups = await this.targetGroups.list();
            const allowFailed = traffic.filter((f) => f.lifecycleEvent === 'AllowTraffic');
            const unseen = allowFailed.filter((f) => !this.lastHealth.has(f.instanceId));
            const now = unseen.length
                ? await this.targetGroups.health(unseen.map((f) => f.instanceId))
                : [];
            const explanations = new Map();
            for (const f of allowFailed) {
                const said = [
                    ...(this.lastHealth.get(f.instanceId)?.values() ?? []),
                    ...now.filter((h) => h.instanceId === f.instanceId)
                ];
                const perGroup = groups.map((g) => {
                    const h = mostTelling(said.filter((x) => x.targetGroup === g.name));
                    return `target group '${g.name}' checks ${(0,target_groups/* healthCheckText */.As)(g.healthCheck)}; ${h ? verdictText(h) : 'it said nothing about the instance'}`;
                });
                explanations.set(f.instanceId, `The instance did not pass the load balancer's health checks: ${perGroup.join('; ')}. Check that the application answers the health check path on that port once ApplicationStart and ValidateService have run.`);
            }
            if (traffic.some((f) => f.lifecycleEvent === 'BlockTraffic')) {
                const text = `BlockTraffic deregisters the instance and waits for ${await this.delayText()}; it fails when the target cannot be deregistered.`;
                for (const f of traffic)
                    if (f.lifecycleEvent === 'BlockTraffic')
                        explanations.set(f.instanceId, text);
            }
            return failed.map((f) => {
                const explanation = explanations.get(f.instanceId);
                return explanation ? { ...f, explanation } : f;
            });
        }
        catch (err) {
            this.log.warning(`Could not read the target groups to explain the traffic failure: ${err instanceof errors/* AwsCallError */.iQ ? err.describe() : String(err)}`);
            return failed;
        }
    }
    /** Where the traffic is: which registered, serving instances are original (Blue) and which replacement (Green). */
    async whereTrafficIs(instances) {
        if (this.targetGroups.names.length === 0)
            return undefined;
        try {
            const label = new Map(instances.map((i) => [i.instanceId, i.label]));
            const serving = (await this.targetGroups.health()).filter((h) => h.state === 'healthy' || h.state === 'initial');
            const blue = new Set(serving.filter((h) => label.get(h.instanceId) === 'Blue').map((h) => h.instanceId));
            const green = new Set(serving.filter((h) => label.get(h.instanceId) === 'Green').map((h) => h.instanceId));
            const tgs = this.targetGroups.names.map((n) => `'${n}'`).join(', ');
            if (blue.size && !green.size)
                return `The traffic is on the original (Blue) instances: ${blue.size} serving in target group ${tgs}.`;
            if (green.size && !blue.size)
                return `The traffic is on the replacement (Green) instances: ${green.size} serving in target group ${tgs}.`;
            if (blue.size && green.size)
                return `The traffic is split: ${blue.size} original (Blue) and ${green.size} replacement (Green) instances serve in target group ${tgs}.`;
            return `No instance of this deployment is serving in target group ${tgs} right now.`;
        }
        catch (err) {
            this.log.debug(`Could not read where the traffic is: ${String(err)}`);
            return undefined;
        }
    }
}

// EXTERNAL MODULE: ./src/deploy/replacement-fleet/policy.ts + 1 modules
var policy = __webpack_require__(2776);
// EXTERNAL MODULE: ./src/deploy/run/diagnose.ts
var diagnose = __webpack_require__(5005);
;// CONCATENATED MODULE: ./src/deploy/run/blue-green.ts





/** With a manual reroute, when CodeDeploy gives up on a deployment left in Ready ('' otherwise). */
function readyStopsText(plan) {
    if (!plan.manualReroute)
        return '';
    return ` CodeDeploy stops it if nobody continues it within ${(0,duration/* minutesText */.B)(plan.readyWaitMinutes)} of the install.`;
}
/** on-ready: the deployment is Ready (installed on the replacement instances, traffic still on the original ones). */
async function atReady(run, r, plan) {
    const { ctx, settings } = run;
    const stopsAt = readyStopsText(plan);
    const ready = `Deployment ${r.id} is Ready: the replacement instances are installed and the traffic is still on the original instances.`;
    switch (settings.onReady) {
        case 'finish':
            r.outcome = 'ready';
            r.status = 'Ready';
            ctx.log.info(`${ready} The step ends here (on-ready: finish). Move the traffic with this action and continue-deployment: ${r.id} (for example in a job behind an environment with required reviewers), or in the console.${stopsAt} ${r.url}`);
            return 'finished';
        case 'continue':
            ctx.log.info(`${ready} Continuing it (on-ready: continue).`);
            await sendContinueDeployment(ctx, r.id, 'READY_WAIT');
            ctx.log.info(`Continued deployment ${r.id}: CodeDeploy reroutes the traffic now.`);
            return 'waiting';
        case 'wait':
            ctx.log.info(`${ready} Waiting for someone to continue it (on-ready: wait), within wait-timeout (${(0,duration/* minutesText */.B)(settings.waitTimeoutMinutes)}): in the console, or with this action and continue-deployment: ${r.id}.${stopsAt}`);
            return 'waiting';
    }
}
/** wait-until: traffic-rerouted: the traffic is on the healthy replacement instances; the termination wait runs on. */
function rerouted(run, r, plan) {
    const { log, now } = run.ctx;
    r.outcome = 'rerouted';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    log.info(`Deployment ${r.id} to '${r.group}' moved the traffic to the replacement instances, which passed their health checks; the step ends here (wait-until: traffic-rerouted) with the deployment ${r.status}. ${(0,deploy_plan/* terminationText */._3)(plan, now())} ${r.url}`);
}
/** failed-replacement-fleet, once the deployment ended; a sentence for the error. */
async function applyFailedReplacementFleet(run, r, info, pt) {
    if (!info || !pt.plan.copiesAutoScalingGroup || !pt.traffic)
        return '';
    r.replacementFleet = await (0,policy/* settleReplacementFleet */.A)({
        ctx: run.ctx,
        info,
        instances: r.instances,
        targetGroups: pt.traffic.targetGroups,
        policy: run.settings.failedReplacementFleet,
        region: run.region
    });
    return r.replacementFleet ? ` ${r.replacementFleet.note}` : '';
}
/** After a stop of a blue/green deployment: where the traffic is now, in the log and the result. */
async function sayWhereTrafficIs(run, r, pt) {
    if (!pt.plan.blueGreen || !pt.traffic)
        return '';
    const where = await pt.traffic.whereTrafficIs(r.instances);
    if (!where)
        return '';
    const rollback = r.rollbackId
        ? ` Rollback ${r.rollbackId} moves it back to the original instances if it is not there yet.`
        : '';
    r.traffic = `${where}${rollback}`;
    run.ctx.log.info(r.traffic);
    return ` ${r.traffic}`;
}
/**
 * A stopped deployment: where the traffic is, then the replacement fleet once CodeDeploy says
 * Stopped. Left to the post step (replacementFleetPending) when it has not ended yet, or on a cancel: the
 * runner kills the main step seconds after it, too soon to wait for a drain.
 */
async function afterStop(run, r, info, pt, settleNow = true) {
    const where = await sayWhereTrafficIs(run, r, pt);
    if (!pt.plan.copiesAutoScalingGroup)
        return where;
    if (settleNow && (info?.status === 'Stopped' || info?.status === 'Failed')) {
        return `${where}${await applyFailedReplacementFleet(run, r, info, pt)}`;
    }
    r.replacementFleetPending = true;
    run.ctx.log.info(`The post step applies failed-replacement-fleet (${run.settings.failedReplacementFleet}) to the replacement Auto Scaling group once CodeDeploy reports deployment ${r.id} ended.`);
    return where;
}

;// CONCATENATED MODULE: ./src/deploy/codedeploy/rollback.ts


/** CodeDeploy creates the rollback a few seconds after the terminal state; we look this long for it. */
const ROLLBACK_APPEAR_MS = 20_000;
const ROLLBACK_POLL_MS = 2000;
/** Whether the deployment's auto-rollback settings cover how it ended. */
function expectsRollback(info) {
    const cfg = info.autoRollbackConfiguration;
    if (!cfg?.enabled)
        return false;
    const events = cfg.events ?? [];
    if (info.status === 'Failed')
        return events.includes('DEPLOYMENT_FAILURE');
    if (info.status === 'Stopped') {
        return (events.includes('DEPLOYMENT_STOP_ON_REQUEST') || events.includes('DEPLOYMENT_STOP_ON_ALARM'));
    }
    return false;
}
/** The rollback deployment's id, when CodeDeploy started one (waiting briefly for it when auto-rollback applies). */
async function findRollbackId(opts) {
    const { codedeploy, log, sleep, now, signal, deploymentId } = opts;
    let info = opts.info;
    if (info.rollbackInfo?.rollbackDeploymentId)
        return info.rollbackInfo.rollbackDeploymentId;
    if (!expectsRollback(info))
        return undefined;
    const until = now() + ROLLBACK_APPEAR_MS;
    while (now() < until && !signal?.aborted) {
        await sleep(ROLLBACK_POLL_MS, signal);
        try {
            info =
                (await codedeploy.send(new dist_cjs.GetDeploymentCommand({ deploymentId }), { abortSignal: signal }))
                    .deploymentInfo ?? info;
        }
        catch (err) {
            if (!(0,aws_errors/* isTransient */.dg)(err))
                break;
            continue;
        }
        if (info.rollbackInfo?.rollbackDeploymentId)
            return info.rollbackInfo.rollbackDeploymentId;
    }
    const message = info.rollbackInfo?.rollbackMessage;
    const why = message
        ? `: ${message}`
        : ' (there may be no earlier successful revision to return to)';
    log.info(`Auto-rollback is enabled, but CodeDeploy started no rollback${why}.`);
    return undefined;
}

;// CONCATENATED MODULE: ./src/deploy/run/result.ts
function emptyResult(group) {
    return {
        group,
        id: '',
        status: '',
        url: '',
        failedInstances: [],
        instances: [],
        outcome: 'not-attempted'
    };
}
function applyInfo(r, info) {
    if (!info)
        return;
    r.status = info.status ?? r.status;
    r.startedAt = info.startTime ?? info.createTime ?? r.startedAt;
    r.endedAt = info.completeTime ?? r.endedAt;
    r.errorInformation = info.errorInformation ?? r.errorInformation;
    if (info.rollbackInfo?.rollbackDeploymentId)
        r.rollbackId = info.rollbackInfo.rollbackDeploymentId;
}
/** How a deployment (or its rollback) that ended without success is said: "was stopped", "failed". */
function endedText(status) {
    return status === 'Stopped' ? 'was stopped' : 'failed';
}
/** CodeDeploy's error for the deployment, as the tail of a sentence (": CODE: message"), or ''. */
function errorText(info) {
    const ei = info?.errorInformation;
    const text = [ei?.code, ei?.message?.replace(/\.+$/, '')].filter(Boolean).join(': ');
    return text ? `: ${text}` : '';
}

;// CONCATENATED MODULE: ./src/deploy/run/follow-rollback.ts




/** Finds CodeDeploy's rollback of a failed deployment and follows it to its end; returns a sentence for the error. */
async function followRollback(run, r, info, deadline) {
    const { ctx, region } = run;
    const { log } = ctx;
    const rollbackId = await findRollbackId({ ...ctx, deploymentId: r.id, info });
    if (!rollbackId)
        return '';
    r.rollbackId = rollbackId;
    r.rollbackUrl = deploymentConsoleUrl(region, rollbackId);
    log.info(`CodeDeploy is rolling back: deployment ${rollbackId} returns the instances to the last successful revision. ${r.rollbackUrl}`);
    const w = await (0,wait/* waitForDeployment */.Kw)({
        ...ctx,
        deploymentId: rollbackId,
        deadline,
        trackInstances: false
    });
    r.rollbackStatus = w.info?.status ?? 'Unknown';
    if (w.kind !== 'terminal') {
        log.info(`Rollback ${rollbackId} had not ended when waiting stopped (status ${r.rollbackStatus}). ${r.rollbackUrl}`);
        return ` Rollback ${rollbackId} is ${r.rollbackStatus}.`;
    }
    if (r.rollbackStatus === 'Succeeded') {
        log.info(`Rollback ${rollbackId} succeeded: the instances run the previous revision again.`);
        return ` CodeDeploy rolled back (${rollbackId} succeeded).`;
    }
    log.error(`Rollback ${rollbackId} ${r.rollbackStatus}${errorText(w.info)}. Check the instances: ${r.rollbackUrl}`, { title: `CodeDeploy rollback ${rollbackId} ${r.rollbackStatus.toLowerCase()}` });
    return ` The rollback ${rollbackId} also ${endedText(r.rollbackStatus)}.`;
}

;// CONCATENATED MODULE: ./src/advice/health.ts
/** How many of `n` instances must stay healthy under `config`. */
function minimumHealthy(config, n) {
    if (config.type === 'FLEET_PERCENT')
        return Math.ceil((n * config.value) / 100);
    if (config.type === 'MOST_CONCURRENCY')
        return Math.max(n - 1, 0);
    return config.value;
}
/** "HOST_COUNT 3", "FLEET_PERCENT 50%", "one at a time". */
function configRule(config) {
    if (config.type === 'FLEET_PERCENT')
        return `FLEET_PERCENT ${config.value}%`;
    if (config.type === 'MOST_CONCURRENCY')
        return 'one instance at a time';
    return `${config.type} ${config.value}`;
}
/**
 * Configurations that can deploy to `n` instances (CodeDeploy must be able to take one offline):
 * the built-in ones that fit, then the largest custom minimum.
 */
function fittingConfigs(n) {
    if (n <= 0)
        return 'none: the group has no instance';
    const fits = ['CodeDeployDefault.OneAtATime', 'CodeDeployDefault.AllAtOnce'];
    if (Math.ceil(n / 2) < n)
        fits.splice(1, 0, 'CodeDeployDefault.HalfAtATime');
    const maxPercent = Math.floor(((n - 1) * 100) / n);
    const custom = n > 1
        ? `, or a custom configuration with HOST_COUNT at most ${n - 1} or FLEET_PERCENT at most ${maxPercent}%`
        : '';
    return `${fits.join(', ')}${custom}`;
}

;// CONCATENATED MODULE: ./src/advice/deployment-rules.ts
// The catalogue's rules for a deployment's own error (errorInformation.code: the API's ErrorCode),
// for EC2/on-premises deployments. ECS, Lambda and CloudFormation codes keep CodeDeploy's message.
// Sources: AWS CodeDeploy API reference, ErrorInformation and ErrorCode; user guide chapters named
// beside each rule.


const API = 'AWS CodeDeploy API reference, ErrorInformation';
/** Codes that concern ECS, Lambda or CloudFormation deployments only: CodeDeploy's message stands. */
const OTHER_PLATFORM_CODES = (/* unused pure expression or super */ null && ([
    'CLOUDFORMATION_STACK_FAILURE',
    'CUSTOMER_APPLICATION_UNHEALTHY',
    'ECS_UPDATE_ERROR',
    'INVALID_ECS_SERVICE',
    'INVALID_LAMBDA_CONFIGURATION',
    'INVALID_LAMBDA_FUNCTION'
]));
function rule(code, source, doc, build, needs = `errorInformation.code ${code}`) {
    return {
        id: code,
        needs,
        source,
        doc: { see: `\`${code}\` on the deployment`, ...doc },
        advise(e) {
            if (e.errorCode !== code)
                return undefined;
            const a = build(e);
            return a ? { rule: code, ...a } : undefined;
        }
    };
}
/** The same words whatever the evidence. */
function fixed(code, source, why, fix) {
    return rule(code, source, { why, fix }, () => ({ cause: why, fix }));
}
function firstCauseFix(e) {
    const a = e.firstCause?.advice;
    return a
        ? a.fix
        : 'Fix the first cause: the failing instances, their script output and log tails are above.';
}
const healthConstraints = rule('HEALTH_CONSTRAINTS', `${API}; user guide, "CodeDeploy instance health" (minimum healthy hosts) and "Working with deployment configurations"`, {
    why: "Too many instances failed for the deployment configuration's minimum of healthy hosts: the deployment failing is the consequence; the instance failures are the cause. The action quotes the arithmetic (configuration, minimum, group size, failures) and the first cause.",
    fix: 'Fix the first instance failure (its own advice follows it); a configuration that tolerates more failures only hides it.'
}, (e) => {
    const n = e.instances.total;
    if (!e.config || n === 0)
        return {
            cause: `Too many instances failed for the deployment configuration's minimum of healthy hosts (${e.instances.failed} failed).`,
            fix: firstCauseFix(e)
        };
    const min = minimumHealthy(e.config, n);
    const { failed, succeeded } = e.instances;
    const healthy = n - failed;
    const untouched = n - failed - succeeded;
    // CodeDeploy also needs one instance to succeed, even with a minimum of 0 (instance health).
    const needed = `${min} of the group's ${n} instances healthy${min === 0 ? ' and at least one to succeed' : ''}`;
    const so = healthy < Math.max(min, 1) || untouched <= 0
        ? `so at most ${healthy} could be`
        : `so the other ${(0,plural/* plural */.L)(untouched, 'instance')} could not be taken offline without going below it`;
    const arithmetic = e.config.type === 'MOST_CONCURRENCY'
        ? `${e.config.name} deploys to one instance at a time and stops at the first failure before the last instance`
        : `${e.config.name} (${configRule(e.config)}) needs ${needed}; ${failed} failed, ${so}`;
    return {
        cause: `${arithmetic}.`,
        fix: firstCauseFix(e)
    };
}, 'HEALTH_CONSTRAINTS; the configuration (GetDeploymentConfig) and the instance counts make the arithmetic, the first instance failure its cause');
const healthConstraintsInvalid = rule('HEALTH_CONSTRAINTS_INVALID', `${API}; user guide, "CodeDeploy instance health" (minimum healthy hosts)`, {
    why: 'The deployment configuration asks for as many healthy instances as the group has, or more: CodeDeploy cannot take even one offline to deploy to it.',
    fix: 'Add instances to the group, or deploy with a configuration that fits it (`deployment-config`: CodeDeployDefault.OneAtATime always fits).'
}, (e) => {
    const n = e.instances.total;
    if (!e.config)
        return {
            cause: 'The deployment configuration asks for as many healthy instances as the group has, or more: CodeDeploy cannot take even one offline.',
            fix: 'Add instances to the group, or set deployment-config to one that fits it (CodeDeployDefault.OneAtATime always does).'
        };
    const min = minimumHealthy(e.config, n);
    const group = n > 0 ? `the group has ${n}` : 'the group has no more than that';
    return {
        cause: `${e.config.name} (${configRule(e.config)}) needs ${(0,plural/* plural */.L)(min, 'healthy instance')} throughout the deployment, and ${group}: CodeDeploy cannot take even one offline.`,
        fix: `Add instances to the group, or set deployment-config to one that fits ${n > 0 ? `${(0,plural/* plural */.L)(n, 'instance')}: ${fittingConfigs(n)}` : 'it (CodeDeployDefault.OneAtATime always does)'}.`
    };
}, 'HEALTH_CONSTRAINTS_INVALID; the configuration (GetDeploymentConfig) and the number of instances give the numbers');
function tagsText(e) {
    const d = e.description;
    if (!d)
        return '';
    const parts = [
        d.ec2Tags.length ? `EC2 tags ${d.ec2Tags.join(', ')}` : '',
        d.autoScalingGroups.length ? `Auto Scaling groups ${d.autoScalingGroups.join(', ')}` : '',
        d.onPremisesTags.length ? `on-premises tags ${d.onPremisesTags.join(', ')}` : ''
    ].filter(Boolean);
    return parts.length
        ? ` It matches instances by ${parts.join('; ')}.`
        : ' It names no tag filter and no Auto Scaling group.';
}
const noInstances = rule('NO_INSTANCES', `${API}; user guide, "Working with instances for CodeDeploy" (tagging, Auto Scaling, on-premises registration)`, {
    why: "The deployment group's tag filters and Auto Scaling groups match no running instance.",
    fix: "Compare the group's EC2 tag filters with the instances' tags (keys and values are case-sensitive) in the right region; stopped instances are not deployed to; an Auto Scaling group may have 0 instances; on-premises instances must be registered and tagged."
}, (e) => ({
    cause: `Deployment group '${e.group}' matched no running instance in ${e.region || 'the region'}.${tagsText(e)}`,
    fix: `Check that running instances carry exactly those tags (keys and values are case-sensitive) in ${e.region || 'this region'}: \`aws ec2 describe-instances --filters "Name=tag:<key>,Values=<value>" "Name=instance-state-name,Values=running"\`. Stopped instances are not deployed to; an Auto Scaling group with no instance gives none; on-premises instances must be registered (aws deploy register-on-premises-instance) and tagged.`
}), "NO_INSTANCES; the group's tag filters and Auto Scaling groups (GetDeploymentGroup) when it could be read");
const SERVICE_ROLE_FIX = 'The role must trust codedeploy.amazonaws.com and have the AWS managed policy AWSCodeDeployRole; blue/green groups that copy an Auto Scaling group with a launch template also need iam:PassRole, ec2:RunInstances and ec2:CreateTags.';
const iamRoleMissing = rule('IAM_ROLE_MISSING', `${API}; user guide, "Step 2: Create a service role for CodeDeploy"`, {
    why: 'The deployment group has no service role, or the role no longer exists.',
    fix: `Set the group's service role. ${SERVICE_ROLE_FIX}`
}, (e) => ({
    cause: `Deployment group '${e.group}' has no service role CodeDeploy can use${e.description?.serviceRoleArn ? ` (${e.description.serviceRoleArn} is missing)` : ''}.`,
    fix: `Create or fix the service role and set it on the group (\`aws deploy update-deployment-group --application-name ${e.application} --current-deployment-group-name ${e.group} --service-role-arn <role-arn>\`). ${SERVICE_ROLE_FIX}`
}));
const iamRolePermissions = rule('IAM_ROLE_PERMISSIONS', `${API}; user guide, "Step 2: Create a service role for CodeDeploy" (AWSCodeDeployRole; launch templates)`, {
    why: "CodeDeploy's service role for the group lacks permissions it needs (EC2, Auto Scaling, Elastic Load Balancing).",
    fix: SERVICE_ROLE_FIX
}, (e) => ({
    cause: `The service role of '${e.group}'${e.description?.serviceRoleArn ? `, ${e.description.serviceRoleArn},` : ''} lacks permissions CodeDeploy needs for this deployment.`,
    fix: `${SERVICE_ROLE_FIX}${e.description?.blueGreen ? ' This group is blue/green: check the launch template permissions first.' : ''}`
}));
const alarmActive = rule('ALARM_ACTIVE', `${API}; user guide, "Monitoring deployments with CloudWatch alarms in CodeDeploy"`, {
    why: "A CloudWatch alarm in the group's alarm configuration was in ALARM, so CodeDeploy stopped (or did not start) the deployment.",
    fix: "Look at the alarm in CloudWatch: fix what it reports, or take it out of the group's alarm configuration if it does not concern deployments."
}, (e) => {
    const alarms = e.description?.alarms ?? [];
    const named = alarms.length ? `: one of ${alarms.join(', ')}` : '';
    return {
        cause: `A CloudWatch alarm of the group's alarm configuration was in ALARM${named}.`,
        fix: `Check ${alarms.length ? alarms.join(', ') : 'the alarms'} in CloudWatch (\`aws cloudwatch describe-alarms --state-value ALARM\`): fix what it reports, or remove it from the group's alarm configuration if it does not concern deployments; then deploy again.`
    };
});
const manualStop = rule('MANUAL_STOP', `${API}; CloudTrail records StopDeployment calls`, {
    why: 'Someone or something stopped the deployment: the console, the CLI, another workflow (its `on-timeout: stop` or `stop-on-cancel`).',
    fix: 'Find who in CloudTrail (event StopDeployment); deploy again when that is settled.'
}, (e) => e.stoppedByAction
    ? undefined
    : {
        cause: 'The deployment was stopped from outside this step: the console, the CLI, or another workflow (its on-timeout: stop or stop-on-cancel).',
        fix: 'Find who in CloudTrail (event name StopDeployment); deploy again once that is settled.'
    });
const timeout = fixed('TIMEOUT', `${API}; user guide, blue/green "Ready" wait and the one-hour lifecycle event limit`, "A CodeDeploy time limit passed: for blue/green, the traffic was not rerouted before the Ready wait ended (CodeDeploy's message says so); otherwise a lifecycle event ran past CodeDeploy's limit.", "For a blue/green Ready wait: continue it in time (`on-ready: continue`, or a later run with `continue-deployment`), or lengthen the group's wait time. For a long event: check the agent and the hook's script.");
const revisionMissing = fixed('REVISION_MISSING', `${API}; user guide, "Working with application revisions"`, 'CodeDeploy could not find the revision in S3: the object (or the version the deployment names) was deleted, by a lifecycle rule or by hand.', 'Run the workflow again (it uploads the bundle again), and keep deployed revisions out of S3 lifecycle expiration rules.');
const invalidRevision = rule('INVALID_REVISION', `${API}; user guide, "Add an application specification file"`, {
    why: 'The revision is not a bundle CodeDeploy can use: no appspec.yml at its root, an appspec it cannot read, or a bundle type that does not match the file.',
    fix: "With `archive:`, check `bundle-type` and that appspec.yml is at the archive's root; bundles the action builds are checked before the upload."
}, (e) => ({
    cause: `The revision is not a bundle CodeDeploy can use: no appspec.yml at its root, an appspec it cannot read, or a bundle type that does not match the file${e.bundle?.origin === 'built' ? " (the action built and checked this bundle: compare its appspec check above with CodeDeploy's message)" : ''}.`,
    fix: e.bundle?.origin === 'archive'
        ? 'Check bundle-type against the archive and that appspec.yml is at its root.'
        : "Read CodeDeploy's message above for the part it refused."
}));
const agentIssue = rule('AGENT_ISSUE', `${API}; user guide, "Troubleshoot instance issues"`, {
    why: 'CodeDeploy found a problem with the agent on the instances (not installed, not running, not reachable).',
    fix: 'Check the agent on an instance: `sudo systemctl status codedeploy-agent` and its log.'
}, () => ({
    cause: 'CodeDeploy found a problem with the CodeDeploy agent on the instances.',
    fix: 'Check the agent on an instance: `sudo systemctl status codedeploy-agent`, `/var/log/aws/codedeploy-agent/codedeploy-agent.log`, and its outbound HTTPS to CodeDeploy and S3.'
}));
// The code only says a hook failed: the advice is the first instance failure's, or none.
const hookFailure = rule('HOOK_EXECUTION_FAILURE', API, {
    why: 'A lifecycle hook failed on the instances: the advice is that of the first instance failure, when a rule above knows it.',
    fix: "The first instance failure's fix."
}, (e) => e.firstCause?.advice, 'HOOK_EXECUTION_FAILURE and advice for the first instance failure');
/** Every EC2/on-premises code of the API's ErrorCode, in its order. */
const deployment_rules_DEPLOYMENT_RULES = [
    agentIssue,
    alarmActive,
    fixed('APPLICATION_MISSING', API, 'The application was deleted while the deployment ran (or its name is wrong).', 'Check the application in CodeDeploy (`aws deploy get-application`) and deploy again.'),
    fixed('AUTOSCALING_VALIDATION_ERROR', `${API}; user guide, "Integrating CodeDeploy with Amazon EC2 Auto Scaling"`, "CodeDeploy found the Auto Scaling group's configuration invalid for the deployment (its lifecycle hook, launch template or capacity).", "Read CodeDeploy's message above; check the Auto Scaling group's CodeDeploy lifecycle hook and launch template."),
    fixed('AUTO_SCALING_CONFIGURATION', `${API}; user guide, "Integrating CodeDeploy with Amazon EC2 Auto Scaling"`, "The Auto Scaling group could not be used or copied: it was deleted, it could not launch instances (capacity, launch template, subnets), or its settings do not fit CodeDeploy's.", "Read CodeDeploy's message above; check the group's launch template, subnets and capacity (`aws autoscaling describe-scaling-activities`)."),
    fixed('AUTO_SCALING_IAM_ROLE_PERMISSIONS', `${API}; user guide, "Step 2: Create a service role for CodeDeploy"`, 'The service role lacks permissions on Auto Scaling.', SERVICE_ROLE_FIX),
    fixed('CODEDEPLOY_RESOURCE_CANNOT_BE_FOUND', API, 'A CodeDeploy resource the deployment needs (application, group, configuration) was not found.', "Check the application, deployment group and deployment configuration names in CodeDeploy's message."),
    fixed('DEPLOYMENT_GROUP_MISSING', API, 'The deployment group was deleted while the deployment ran.', 'Check the group in CodeDeploy (`aws deploy get-deployment-group`) and deploy again.'),
    fixed('ELASTIC_LOAD_BALANCING_INVALID', `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`, "The group's load balancer information is invalid: a target group or Classic Load Balancer that no longer exists, or one in another VPC.", "Check the target groups the deployment group names (`aws elbv2 describe-target-groups --names …`) and fix the group's load balancer settings."),
    fixed('ELB_INVALID_INSTANCE', `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`, "An instance could not be registered with the group's load balancer (another VPC, an Availability Zone the load balancer does not serve, or a stopped instance).", "Check that the instances are in the target group's VPC and in Availability Zones the load balancer serves."),
    healthConstraints,
    healthConstraintsInvalid,
    hookFailure,
    iamRoleMissing,
    iamRolePermissions,
    fixed('INTERNAL_ERROR', API, 'CodeDeploy failed internally.', 'Deploy again; if it repeats, contact AWS Support with the deployment id.'),
    invalidRevision,
    manualStop,
    fixed('MISSING_BLUE_GREEN_DEPLOYMENT_CONFIGURATION', `${API}; user guide, "Create a deployment group for a blue/green deployment"`, 'The group is blue/green but has no blue/green configuration (how to provision the replacement instances, when to reroute, what to do with the originals).', "Complete the group's blue/green settings in the console or with `aws deploy update-deployment-group --blue-green-deployment-configuration …`."),
    fixed('MISSING_ELB_INFORMATION', `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`, 'The group uses traffic control (or blue/green) but names no load balancer or target group.', "Add the target group to the deployment group's load balancer settings, or turn traffic control off."),
    fixed('MISSING_GITHUB_TOKEN', API, 'A GitHub revision needs a GitHub connection; this action deploys from S3 and never sends one.', 'Check that the deployment was created by this action with an S3 revision.'),
    fixed('NO_EC2_SUBSCRIPTION', API, 'The AWS account is not subscribed to Amazon EC2.', 'Finish the account set-up for EC2 (or use an account that has it).'),
    noInstances,
    fixed('OVER_MAX_INSTANCES', `${API}; user guide, "CodeDeploy quotas"`, 'The deployment targets more instances than the CodeDeploy quota for one deployment allows.', 'Split the fleet into several deployment groups (the action deploys to each in turn), or ask for a higher quota in Service Quotas.'),
    fixed('RESOURCE_LIMIT_EXCEEDED', `${API}; user guide, "CodeDeploy quotas"`, 'A CodeDeploy quota was reached (for instance concurrent deployments in the account).', "Read CodeDeploy's message above for the quota; wait for other deployments to end or ask for a higher quota in Service Quotas."),
    revisionMissing,
    fixed('THROTTLED', `${API}; user guide, "CodeDeploy quotas"`, 'AWS throttled calls CodeDeploy (or the agents) made for this deployment.', 'Deploy again; spread deployments of many groups over time, or ask for higher API rate quotas.'),
    timeout
];
function adviseDeployment(e) {
    for (const r of deployment_rules_DEPLOYMENT_RULES) {
        const a = r.advise(e);
        if (a)
            return a;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/advice/instance-rules.ts
// The catalogue's rules for one failed instance: its lifecycle event, error code, script, message
// and log tail (what the agent reported through CodeDeploy), read with the group's facts.
// Each rule matches the agent's own words (quoted from agent 1.8.1 beside it) and gives advice
// only when they are there: no advice is better than a wrong guess.

const AGENT = 'codedeploy-agent 1.8.1';
/** The hooks that run the last successful revision's appspec and scripts, not this one's. */
const PREVIOUS_REVISION_EVENTS = ['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic'];
/**
 * A failure in the last successful revision's script that ignore-application-stop-failures gets
 * past: what the previous-revision rule explains, and when that revision is worth reading.
 */
function ranPreviousRevision(f, group) {
    return (PREVIOUS_REVISION_EVENTS.includes(f.lifecycleEvent) &&
        !(0,agent_checks/* isAgentNotReceived */.Kq)(f.message) &&
        !group.inputs.ignoreApplicationStopFailures);
}
const HOOK_SOURCE = `${AGENT} lib/instance_agent/plugins/codedeploy/hook_executor.rb`;
function advice(rule, cause, fix) {
    return { rule, cause, fix };
}
/** "scripts/start.sh" from the agent's "Script at specified location: scripts/start.sh …", else the event's script. */
function scriptOf(f) {
    return f.script || /specified location: (\S+)/.exec(f.message)?.[1] || 'the script';
}
/** The `runas` user the agent names ("… run as user deploy failed with exit code 1"). */
function runasOf(f) {
    return / run as user (\S+) failed/.exec(f.message)?.[1];
}
function exitCodeOf(f) {
    const m = /failed with exit code (\d+)/.exec(f.message);
    return m ? Number(m[1]) : undefined;
}
const silentAgent = {
    id: 'agent-not-received',
    needs: "CodeDeploy's AGENT_NOT_RECEIVED message on an event",
    source: 'AWS docs, "Troubleshoot Amazon EC2 Auto Scaling issues" (the one-hour timeout for the agent); aws/aws-codedeploy-agent issue #307',
    doc: {
        see: '`ApplicationStop failed on instance (i-…): UnknownError: CodeDeploy agent was not able to receive the lifecycle event. …` (after an hour; with `agent-silence-timeout` the action warns after 5 minutes)',
        why: 'No CodeDeploy agent picked up the event: it is not installed, not running, or cannot reach CodeDeploy (a new instance whose install at boot failed, a private subnet without a NAT gateway).',
        fix: 'The checks in order: `sudo systemctl status codedeploy-agent`; `/var/log/aws/codedeploy-agent/codedeploy-agent.log`; on a new instance `/var/log/cloud-init-output.log`; outbound HTTPS to CodeDeploy and S3; the instance profile. `on-agent-silence: fail` stops such a deployment instead of waiting an hour.'
    },
    advise({ failure: f, group }) {
        if (!(0,agent_checks/* isAgentNotReceived */.Kq)(f.message))
            return undefined;
        return advice(this.id, `No CodeDeploy agent picked up ${f.lifecycleEvent || 'the lifecycle event'} on this instance within CodeDeploy's hour.`, (0,agent_checks/* agentChecksText */.U$)(group.region, f.label === 'Green'));
    }
};
const FILE_EXISTS = /a specified file already exists at this location: (.+?)\.?$/;
const fileExists = {
    id: 'file-exists',
    needs: 'Install failed with the agent\'s "file already exists" message, naming the path',
    source: `${AGENT} lib/instance_agent/plugins/codedeploy/installer.rb (DISALLOW; the cleanup file of the group's previous deployment is removed first); AWS docs, CreateDeployment fileExistsBehavior`,
    doc: {
        see: '`Install failed on instance (i-…): UnknownError: The deployment failed because a specified file already exists at this location: /opt/app/application.jar`',
        why: "With `file-exists-behavior` DISALLOW (CodeDeploy's default), a destination file was not installed by this group's previous deployment (the agent removes those first): it came from another application or group, a hook, a manual copy, or a failed first deployment.",
        fix: 'Set `file-exists-behavior: OVERWRITE` (or `RETAIN` to keep the copy on the instance), or remove the file in a BeforeInstall script.'
    },
    advise({ failure: f, group }) {
        if (f.lifecycleEvent !== 'Install')
            return undefined;
        const path = FILE_EXISTS.exec(f.message.trim())?.[1];
        if (!path)
            return undefined;
        const setting = group.inputs.fileExistsBehavior
            ? `file-exists-behavior is ${group.inputs.fileExistsBehavior}`
            : "file-exists-behavior is CodeDeploy's default, DISALLOW";
        return advice(this.id, `${path} was already on the instance, and ${setting}. The agent first removes the files this group's previous deployment installed, so this one came from elsewhere: another application or deployment group, a hook script, a manual copy, or a first deployment that failed half-way.`, `Set file-exists-behavior: OVERWRITE (or RETAIN to keep the instance's copy), or remove ${path} in a BeforeInstall script.`);
    }
};
const outputsLeftOpen = {
    id: 'outputs-left-open',
    needs: 'the agent\'s "failed to close STDOUT" / "failed to close STDERR" message',
    source: `${HOOK_SOURCE} (OUTPUTS_LEFT_OPEN_CODE: the hook's stdout and stderr are read until the script's timeout)`,
    doc: {
        see: '`ApplicationStart failed on instance (i-…): UnknownError in scripts/start.sh: Script at specified location: scripts/start.sh failed to close STDOUT`',
        why: "The script returned, but a process it started in the background still holds the hook's output: `cmd &` without redirection, `nohup cmd &` (nohup redirects only a terminal), or `cd dir && cmd > /dev/null 2>&1 &` (the `&` sends the whole list to a subshell that keeps the output). The agent waits for it until the timeout.",
        fix: "Redirect the background command's output: `cmd > /dev/null 2>&1 < /dev/null &`, or `cd dir && { cmd > /dev/null 2>&1 < /dev/null & }`; or run the service under systemd. The action warns about such lines before the upload."
    },
    advise({ failure: f, group }) {
        const stream = /failed to close (STDOUT|STDERR)/.exec(f.message)?.[1];
        if (!stream)
            return undefined;
        const lines = (group.bundle?.notes ?? [])
            .filter((n) => n.kind === 'background-output' && n.location === f.script && n.line)
            .map((n) => n.line);
        const warned = lines.length
            ? ` The action warned about ${f.script} line ${lines.join(', ')} before the upload.`
            : '';
        return advice(this.id, `${scriptOf(f)} returned, but a process it started in the background still held the hook's ${stream}, so the agent waited for it until the script's timeout. Typical lines: \`cmd &\` or \`nohup cmd &\` without a redirection (nohup only redirects a terminal), or \`cd dir && cmd > /dev/null 2>&1 &\`, where the \`&\` sends the whole list to a subshell that keeps the output.${warned}`, `Redirect the background command's output and input: \`cmd > /dev/null 2>&1 < /dev/null &\` (in a list: \`cd dir && { cmd > /dev/null 2>&1 < /dev/null & }\`), or run the service under systemd.`);
    }
};
/** Lines a long-running service prints once it is up: the hook waited on a service, not a step. */
const SERVICE_STARTED = /Started \S+ in [\d.]+ seconds|Tomcat started on port|Netty started on port|Serving HTTP on|Listening on (port )?\d|listening on (port )?\d|Server started|Running on http/;
const timedOutOnService = {
    id: 'timed-out-on-a-service',
    needs: "ScriptTimedOut, and either the log tail shows a service that started, or the bundle's script has a background job whose output is not redirected",
    source: `${HOOK_SOURCE} (ScriptTimedOut after the script's timeout; the process group gets TERM)`,
    doc: {
        see: "`ApplicationStart failed on instance (i-…): ScriptTimedOut in scripts/start.sh: Script at specified location: scripts/start.sh failed to complete in 60 seconds`, with the service's start-up lines in the log tail",
        why: 'The hook started the service in the foreground (or in the background with its output still attached), so the script never returned within its `timeout`.',
        fix: 'Start the service in the background with its output redirected: `nohup cmd > /var/log/app.log 2>&1 < /dev/null &`, or through systemd; raise `timeout` in appspec.yml only if the step is just slow.'
    },
    advise({ failure: f, group }) {
        if (f.errorCode !== 'ScriptTimedOut')
            return undefined;
        const script = scriptOf(f);
        const note = group.bundle?.notes.find((n) => n.kind === 'background-output' && n.location === f.script);
        const started = SERVICE_STARTED.exec(f.logTail)?.[0];
        if (!note && !started)
            return undefined;
        const evidence = note
            ? `${script} line ${note.line ?? '?'} starts a job in the background whose output still goes to the hook`
            : `the log tail shows a service that started ("${started}")`;
        return advice(this.id, `${script} did not return within its timeout, and ${evidence}: the hook waited on a running service, not on a step that ends.`, `Start the service in the background with its output redirected: \`nohup cmd > /var/log/app.log 2>&1 < /dev/null &\`, or run it under systemd (\`systemctl restart my-app\`).`);
    }
};
/** "java" from "scripts/start.sh: line 3: java: command not found" (bash) or "…: 3: java: not found" (dash). */
function missingCommand(logTail) {
    return /(?:^|\n|: )([^\s:]+): (?:command )?not found/.exec(logTail)?.[1];
}
const commandNotFound = {
    id: 'exit-127',
    needs: 'ScriptFailed with exit code 127',
    source: `${HOOK_SOURCE} ("failed with exit code N"); POSIX shell: 127 is "command not found"`,
    doc: {
        see: '`ScriptFailed in scripts/start.sh: Script at specified location: scripts/start.sh failed with exit code 127`, log tail `java: command not found`',
        why: 'A command the script runs is not on the PATH the agent gives hooks: hooks run without a login shell, so what `~/.bashrc`, `/etc/profile.d`, sdkman or nvm add in an SSH session is not there (nor for the `runas` user).',
        fix: 'Call the command by its full path (`command -v java` in an SSH session shows it), or set PATH at the top of the script; install it in an earlier hook if it is missing.'
    },
    advise({ failure: f }) {
        if (exitCodeOf(f) !== 127)
            return undefined;
        const cmd = missingCommand(f.logTail);
        const what = cmd ? `\`${cmd}\`` : 'a command it runs';
        return advice(this.id, `${scriptOf(f)} exited with 127: ${what} was not found. Hooks run without a login shell, so the PATH is the agent's${runasOf(f) ? ` (also for runas user ${runasOf(f)})` : ''}, not the one an SSH session builds from ~/.bashrc, /etc/profile.d, sdkman or nvm.`, `Call ${cmd ? `${cmd} by its full path (\`command -v ${cmd}\` in an SSH session shows it)` : 'the command by its full path'}, or set PATH at the top of the script; if it is not installed, install it in an earlier hook.`);
    }
};
const notExecutable = {
    id: 'exit-126',
    needs: 'ScriptFailed with exit code 126',
    source: `${HOOK_SOURCE}; POSIX shell: 126 is "found but not executable"`,
    doc: {
        see: '`ScriptFailed … failed with exit code 126`, log tail `Permission denied`',
        why: 'A command the script runs was found but could not be executed: no execute bit, a `noexec` mount (often /tmp), or an interpreter line naming something that is not executable.',
        fix: 'Commit the execute bit (`git update-index --chmod=+x file`) or call the file through its interpreter (`bash file.sh`); keep programs off `noexec` mounts.'
    },
    advise({ failure: f }) {
        if (exitCodeOf(f) !== 126)
            return undefined;
        const file = /([^\s:]+): Permission denied/.exec(f.logTail)?.[1];
        return advice(this.id, `${scriptOf(f)} exited with 126: ${file ? `${file}` : 'a command it runs'} was found but could not be executed (no execute bit, a noexec mount such as /tmp, or an interpreter line naming something that is not executable).`, `Commit the execute bit (\`git update-index --chmod=+x <file>\`) or call it through its interpreter (\`bash <file>\`); keep programs off noexec mounts (\`findmnt -o TARGET,OPTIONS\` shows them).`);
    }
};
const crlf = {
    id: 'crlf',
    needs: 'a carriage return in the log tail ("bad interpreter", "$\'\\r\': command not found"), or an ENOENT from the agent for a script the action found with CRLF line endings',
    source: `${HOOK_SOURCE} (popen3: the kernel looks for an interpreter named "bash\\r")`,
    doc: {
        see: '`… failed with error Errno::ENOENT with message No such file or directory …`, or `/bin/bash^M: bad interpreter` in the log tail (the action also warns before the upload)',
        why: 'The script has Windows (CRLF) line endings: the interpreter line names `bash\\r`, and every command ends with a carriage return.',
        fix: 'Add `*.sh text eol=lf` to `.gitattributes` and check the files out again, or convert them with `dos2unix`.'
    },
    advise({ failure: f, group }) {
        const inLog = /\r: bad interpreter|\^M: bad interpreter|\$'\\r': command not found/.test(f.logTail);
        const noted = group.bundle?.notes.some((n) => n.kind === 'crlf' && n.location === f.script);
        const enoent = /Errno::ENOENT/.test(f.message);
        if (!inLog && !(noted && (enoent || exitCodeOf(f) !== undefined)))
            return undefined;
        return advice(this.id, `${scriptOf(f)} has Windows (CRLF) line endings: its interpreter line names a program ending in a carriage return, which does not exist.`, 'Add `*.sh text eol=lf` to .gitattributes and check the files out again (or convert them with dos2unix), then deploy again.');
    }
};
const sudoTty = {
    id: 'sudo-needs-a-terminal',
    needs: 'sudo\'s "a terminal is required" / "no tty present" / "a password is required" in the log tail',
    source: 'sudo(8) messages; hooks run without a terminal (hook_executor.rb closes stdin)',
    doc: {
        see: 'log tail `sudo: a terminal is required to read the password` or `sudo: no tty present and no askpass program specified`',
        why: 'The script calls sudo as a user that needs a password, and a hook has no terminal to type it.',
        fix: 'Hooks run as root unless `runas` says otherwise: drop sudo. For a `runas` user, allow the exact commands with NOPASSWD in `/etc/sudoers.d/`.'
    },
    advise({ failure: f }) {
        if (!/sudo: (a terminal is required|no tty present|a password is required|sorry, you must have a tty)/.test(f.logTail))
            return undefined;
        const user = runasOf(f);
        return advice(this.id, `${scriptOf(f)} calls sudo${user ? ` as runas user ${user}` : ''}, which asks for a password; a hook has no terminal to type it.`, user
            ? `Allow ${user} the exact commands with NOPASSWD in /etc/sudoers.d/, or run this hook as root (hooks run as root without runas).`
            : 'Hooks run as root unless runas says otherwise: drop sudo from the script.');
    }
};
const runasDenied = {
    id: 'runas-permission-denied',
    needs: 'ScriptFailed "run as user U" and "Permission denied" in the log tail',
    source: `${HOOK_SOURCE} (runas: \`su U -c script\`)`,
    doc: {
        see: '`… run as user deploy failed with exit code 1`, log tail `…: Permission denied`',
        why: 'The hook runs as its `runas` user, who may not read or write a path the script uses (files the agent installed belong to root unless `permissions` says otherwise).',
        fix: "Give the user the files in the appspec's `permissions` section (`owner`, `group`), or have the script write where that user may."
    },
    advise({ failure: f }) {
        const user = runasOf(f);
        const path = /([^\s:]+): Permission denied/.exec(f.logTail)?.[1];
        if (!user || !path)
            return undefined;
        return advice(this.id, `${scriptOf(f)} runs as ${user} (runas), who may not use ${path}: files the agent installs belong to root unless the appspec's permissions section says otherwise.`, `Give ${user} the files it needs in the appspec's permissions section (owner: ${user}), or have the script write where ${user} may; or run the hook as root (no runas).`);
    }
};
const downloadDenied = {
    id: 'download-access-denied',
    needs: 'DownloadBundle failed with S3\'s "Access Denied"',
    source: `${AGENT} lib/instance_agent/plugins/codedeploy/command_executor.rb (download_from_s3 with the instance's credentials); AWS docs, "Create an IAM instance profile for your Amazon EC2 instances"`,
    doc: {
        see: '`DownloadBundle failed on instance (i-…): UnknownError: Access Denied` (or `User: arn:aws:sts::…:assumed-role/<instance role>/i-… is not authorized to perform: s3:GetObject on resource: …`)',
        why: "The instance downloads the revision with its own instance profile, not the workflow's role, and that profile may not read the object (or decrypt it, with `sse: aws:kms`; or the bucket is another account's).",
        fix: "Allow the instance profile `s3:GetObject` and `s3:GetObjectVersion` on the bundle's key; with `sse: aws:kms`, `kms:Decrypt` on the key; for a bucket in another account, a bucket policy for the instance role."
    },
    advise({ failure: f, group }) {
        if (f.lifecycleEvent !== 'DownloadBundle')
            return undefined;
        // S3's words: "Access Denied", or to a principal of the bucket's own account "User: … is not
        // authorized to perform: s3:GetObject on resource: …".
        if (!/Access ?Denied|403 Forbidden|not authorized to perform: s3:GetObject/i.test(f.message))
            return undefined;
        const kms = group.inputs.sse === 'aws:kms';
        const where = group.inputs.revision ?? 'the bundle';
        return advice(this.id, `The instance downloads ${where} with its own instance profile, not the workflow's role, and S3 refused it${kms ? ' (the object is encrypted with aws:kms, so the profile also needs the key)' : ''}.`, `Allow the instance profile s3:GetObject and s3:GetObjectVersion on ${where}${kms ? `, and kms:Decrypt on ${group.inputs.sseKmsKeyId ?? "the bucket's KMS key"}` : ''}; if the bucket belongs to another account, its bucket policy must also allow the instance role.`);
    }
};
const etagChanged = {
    id: 'etag-changed',
    needs: 'DownloadBundle failed with the agent\'s "Expected deployment artifact bundle etag" message',
    source: `${AGENT} lib/instance_agent/plugins/codedeploy/command_executor.rb (the downloaded object's ETag must equal the revision's)`,
    doc: {
        see: '`DownloadBundle failed on instance (i-…): UnknownError: Expected deployment artifact bundle etag … but was actually …`',
        why: 'The S3 object was overwritten after the upload (a `key` without `{bundle_hash}` or `{run_number}`, on an unversioned bucket): the deployment is pinned to the ETag the action uploaded.',
        fix: 'Keep `{bundle_hash}` in `key` (the default has it) and enable versioning on the bucket.'
    },
    advise({ failure: f }) {
        if (!/Expected deployment artifact bundle etag/.test(f.message))
            return undefined;
        return advice(this.id, 'The S3 object changed after the upload (another run wrote the same key): the deployment is pinned to the ETag this run uploaded.', 'Keep {bundle_hash} in the key input (the default has it) so runs never share a key, and enable versioning on the bucket.');
    }
};
const badArchive = {
    id: 'archive-unreadable',
    needs: 'DownloadBundle failed with the agent\'s "Error extracting … archive", "disk is (or was) full" or a Zip error',
    source: `${AGENT} lib/instance_agent/platform/linux_util.rb (tar/unzip exit status), command_executor.rb unpack_bundle`,
    doc: {
        see: '`DownloadBundle failed on instance (i-…): UnknownError: Error extracting tar archive: 2` (or `The disk is (or was) full during extraction.`)',
        why: 'The agent could not unpack the revision: the disk is full (old revisions pile up under /opt/codedeploy-agent/deployment-root), or the archive is not of the bundle type the deployment names.',
        fix: "Check `df -h /opt/codedeploy-agent` and lower `:max_revisions:` in the agent's config; with `archive:`, make `bundle-type` match the file."
    },
    advise({ failure: f, group }) {
        if (!/Error extracting (tar|zip) archive|disk is \(or was\) full|Zip::Error|end of central directory/.test(f.message))
            return undefined;
        const full = /full/.test(f.message);
        const built = group.bundle?.origin === 'built';
        return advice(this.id, full
            ? 'The instance ran out of disk space while unpacking the revision.'
            : `The agent could not unpack the revision: ${built ? 'the action built and checked this archive, so the likelier cause is the instance (a full disk)' : 'the disk is full, or the archive is not of the bundle type the deployment names'}.`, `Free space on the instance (\`df -h /opt/codedeploy-agent\`; old revisions pile up under /opt/codedeploy-agent/deployment-root: lower :max_revisions: in /etc/codedeploy-agent/conf/codedeployagent.yml)${built ? '' : '; with archive:, make bundle-type match the file'}.`);
    }
};
const scriptMissing = {
    id: 'script-missing',
    needs: 'ScriptMissing with the agent\'s "Script does not exist at specified location" message',
    source: `${HOOK_SOURCE} (SCRIPT_MISSING_CODE)`,
    doc: {
        see: '`ScriptMissing in scripts/stop.sh: Script does not exist at specified location: /opt/codedeploy-agent/deployment-root/…/deployment-archive/scripts/stop.sh`',
        why: "The appspec names a script the revision does not have (locations are relative to the bundle's root, and case matters). The action checks this before the upload for bundles it builds, so it comes from an `archive:` or, for ApplicationStop, from the previous revision.",
        fix: "Fix the hook's `location` or add the file; with `archive:`, check the archive's layout."
    },
    advise({ failure: f, group }) {
        if (f.errorCode !== 'ScriptMissing')
            return undefined;
        return advice(this.id, `The revision has no file at ${scriptOf(f)} (hook locations are relative to the bundle's root, and case matters)${group.bundle?.origin === 'archive' ? ': the action could not check the pre-built archive' : ''}.`, `Fix the hook's location in appspec.yml or add ${scriptOf(f)} to the bundle.`);
    }
};
const scriptNotExecutable = {
    id: 'script-not-executable',
    needs: 'ScriptNotExecutable',
    source: `${HOOK_SOURCE} (SCRIPT_EXECUTABILITY_CODE: the agent's own chmod +x failed)`,
    doc: {
        see: '`ScriptNotExecutable in scripts/start.sh: Unable to set script at specified location: scripts/start.sh as executable`',
        why: 'The script is not executable and the agent could not make it so (a read-only or unusual file system under the deployment root).',
        fix: 'Ship the script with its execute bit (the action sets it on bundles it builds; with `archive:`, `chmod +x` before archiving), and check the file system of /opt/codedeploy-agent.'
    },
    advise({ failure: f }) {
        if (f.errorCode !== 'ScriptNotExecutable')
            return undefined;
        return advice(this.id, `${scriptOf(f)} was not executable and the agent could not make it so.`, 'Ship the script with its execute bit (the action sets it on bundles it builds; with archive:, chmod +x before archiving) and check that /opt/codedeploy-agent is on a writable file system.');
    }
};
/** Rules about what a script did, which the previous-revision rule wraps for the stop hooks. */
const SCRIPT_RULES = [
    outputsLeftOpen,
    timedOutOnService,
    crlf,
    commandNotFound,
    notExecutable,
    sudoTty,
    runasDenied,
    scriptMissing,
    scriptNotExecutable
];
const previousRevision = {
    id: 'previous-revision-hook',
    needs: 'a failed ApplicationStop, BeforeBlockTraffic or AfterBlockTraffic (not a silent agent); names the last successful deployment and revision when GetDeploymentGroup and GetDeployment answered',
    source: "AWS docs, \"AppSpec 'hooks' section\" (these hooks run the last successful revision's scripts); agent 1.8.1 hook_executor.rb (last_successful_deployment_dir)",
    doc: {
        see: '`ApplicationStop failed on instance (i-…): ScriptFailed in scripts/stop.sh: …`, in every deployment since one revision shipped a broken stop script',
        why: "ApplicationStop, BeforeBlockTraffic and AfterBlockTraffic run the scripts of the last revision that deployed successfully on the instance, not this commit's: fixing the script in the new commit only helps after one deployment gets past it.",
        fix: 'Deploy once with `ignore-application-stop-failures: true`, with the fixed script in the commit; later deployments then run the fixed one.'
    },
    advise(c) {
        const { failure: f, group } = c;
        if (!ranPreviousRevision(f, group))
            return undefined;
        const inner = SCRIPT_RULES.map((r) => r.advise(c)).find(Boolean);
        const last = group.lastSuccess;
        const which = last
            ? `the revision of deployment ${last.deploymentId}, the group's last success${last.revision ? ` (${last.revision})` : ''}`
            : 'the last revision that deployed successfully on the instance';
        return advice(this.id, `${inner ? `${inner.cause} ` : ''}${f.lifecycleEvent} runs the scripts of ${which}, not this commit's: a fix in this commit takes effect only after one deployment gets past this hook.`, `Deploy once with ignore-application-stop-failures: true, with ${scriptOf(f)} fixed in this commit${inner ? ` (${inner.fix.replace(/\.$/, '')})` : ''}; later deployments then run the fixed script.`);
    }
};
/** In order: the first rule that matches gives the advice. */
const instance_rules_INSTANCE_RULES = [
    silentAgent,
    previousRevision,
    fileExists,
    downloadDenied,
    etagChanged,
    badArchive,
    ...SCRIPT_RULES
];
function adviseInstance(c) {
    for (const rule of instance_rules_INSTANCE_RULES) {
        const a = rule.advise(c);
        if (a)
            return a;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/advice/catalogue.ts
// The advice catalogue: every rule, for instance failures and for deployment errors, and the
// README's troubleshooting table generated from them (a test keeps the README equal to it).




const cell = (text) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
function rows(rules) {
    return rules.map((r) => `| ${cell(r.doc.see)} | ${cell(r.doc.why)} | ${cell(r.doc.fix)} |`);
}
/** The troubleshooting table: instance failures first (what users meet most), then deployment codes. */
function troubleshootingTable() {
    return [
        '| What you see | Why | Fix |',
        '|---|---|---|',
        ...rows(INSTANCE_RULES),
        ...rows(DEPLOYMENT_RULES)
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/deploy/run/advise.ts




/** Codes whose advice reads the deployment group (tags, Auto Scaling groups, alarms, service role). */
const NEEDS_GROUP = new Set([
    'NO_INSTANCES',
    'IAM_ROLE_MISSING',
    'IAM_ROLE_PERMISSIONS',
    'ALARM_ACTIVE'
]);
const NEEDS_CONFIG = new Set(['HEALTH_CONSTRAINTS', 'HEALTH_CONSTRAINTS_INVALID']);
function s3Uri(bucket, key, version) {
    if (!bucket || !key)
        return undefined;
    return `s3://${bucket}/${key}${version ? `?versionId=${version}` : ''}`;
}
function tagText(t) {
    return t.Value ? `${t.Key ?? ''}=${t.Value}` : (t.Key ?? '');
}
function describe(dg) {
    const ec2 = [...(dg.ec2TagFilters ?? []), ...(dg.ec2TagSet?.ec2TagSetList ?? []).flat()].map(tagText);
    const onPrem = [
        ...(dg.onPremisesInstanceTagFilters ?? []),
        ...(dg.onPremisesTagSet?.onPremisesTagSetList ?? []).flat()
    ].map(tagText);
    const alarms = dg.alarmConfiguration?.enabled
        ? (dg.alarmConfiguration.alarms ?? []).map((a) => a.name ?? '').filter(Boolean)
        : [];
    return {
        ec2Tags: ec2.filter(Boolean),
        onPremisesTags: onPrem.filter(Boolean),
        autoScalingGroups: (dg.autoScalingGroups ?? []).map((g) => g.name ?? '').filter(Boolean),
        alarms,
        ...(dg.serviceRoleArn ? { serviceRoleArn: dg.serviceRoleArn } : {}),
        blueGreen: dg.deploymentStyle?.deploymentType === 'BLUE_GREEN'
    };
}
async function lastSuccessOf(run, dg, ownId) {
    const id = dg?.lastSuccessfulDeployment?.deploymentId;
    if (!id || id === ownId)
        return undefined;
    const info = await (0,reads/* tryReadDeployment */.Ld)(run.ctx, id);
    const s3 = info?.revision?.s3Location;
    const revision = s3Uri(s3?.bucket, s3?.key, s3?.version);
    return { deploymentId: id, ...(revision ? { revision } : {}) };
}
/** Reads what the rules for these failures need, and nothing else. Every read is best effort. */
async function readEvidence(run, r, info) {
    const { settings } = run;
    const code = info?.errorInformation?.code ?? '';
    const revision = run.revision
        ? s3Uri(run.revision.bucket, run.revision.key, run.revision.version)
        : s3Uri(info?.revision?.s3Location?.bucket, info?.revision?.s3Location?.key);
    const group = {
        region: run.region,
        application: settings.application,
        group: r.group,
        inputs: {
            ...(settings.fileExistsBehavior ? { fileExistsBehavior: settings.fileExistsBehavior } : {}),
            ignoreApplicationStopFailures: settings.ignoreApplicationStopFailures,
            ...(settings.sse ? { sse: settings.sse } : {}),
            ...(settings.sseKmsKeyId ? { sseKmsKeyId: settings.sseKmsKeyId } : {}),
            ...(revision ? { revision } : {})
        },
        ...(run.bundle ? { bundle: run.bundle } : {})
    };
    const previousRevision = r.failedInstances.some((f) => ranPreviousRevision(f, group));
    const dg = previousRevision || NEEDS_GROUP.has(code)
        ? await (0,reads/* readDeploymentGroup */.fL)(run.ctx, settings.application, r.group)
        : undefined;
    const lastSuccess = previousRevision ? await lastSuccessOf(run, dg, r.id) : undefined;
    if (lastSuccess)
        group.lastSuccess = lastSuccess;
    const configName = info?.deploymentConfigName ?? dg?.deploymentConfigName;
    const ci = NEEDS_CONFIG.has(code) && configName
        ? await (0,reads/* readDeploymentConfig */.yO)(run.ctx, configName)
        : undefined;
    const mh = ci?.minimumHealthyHosts;
    return {
        group,
        ...(dg ? { description: describe(dg) } : {}),
        ...(mh?.type && configName && mh.value !== undefined
            ? { config: { name: configName, type: mh.type, value: mh.value } }
            : {})
    };
}
/** Sets each failed instance's advice (left absent where no rule knows one). */
function adviseInstances(failed, group) {
    for (const f of failed) {
        const a = adviseInstance({ failure: f, group });
        if (a)
            f.advice = a;
    }
}
/** The instances the health arithmetic counts: the replacement ones in a blue/green deployment. */
function counted(r) {
    const green = r.instances.filter((i) => i.label === 'Green');
    const set = green.length ? green : r.instances;
    const ids = new Set(set.map((i) => i.instanceId));
    return {
        total: set.length,
        failed: r.failedInstances.filter((f) => ids.has(f.instanceId)).length,
        succeeded: set.filter((i) => i.status === 'Succeeded' || i.status === 'Ready').length
    };
}
/** The deployment's advice: its error code's rule, else the first cause's advice. */
function adviseDeploymentOf(r, info, ev, stoppedByAction) {
    const ei = info?.errorInformation;
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    const firstAdvice = first?.advice;
    const byCode = ei?.code
        ? adviseDeployment({
            ...ev.group,
            deploymentId: r.id,
            status: r.status,
            errorCode: ei.code,
            errorMessage: ei.message ?? '',
            stoppedByAction,
            ...(ev.config ? { config: ev.config } : {}),
            ...(ev.description ? { description: ev.description } : {}),
            instances: counted(r),
            ...(first
                ? {
                    firstCause: {
                        text: (0,diagnose/* firstCauseText */.Bv)(first),
                        ...(firstAdvice ? { advice: firstAdvice } : {})
                    }
                }
                : {})
        })
        : undefined;
    return byCode ?? firstAdvice;
}

// EXTERNAL MODULE: ./src/deploy/codedeploy/deployment-targets.ts
var deployment_targets = __webpack_require__(672);
// EXTERNAL MODULE: ./src/deploy/codedeploy/stop.ts
var stop = __webpack_require__(7584);
;// CONCATENATED MODULE: ./src/deploy/run/stop-and-confirm.ts






/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
const STOP_CONFIRM_MS = 60_000;
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
const CANCEL_CONFIRM_MS = 4000;
/** StopDeployment, then a short wait for CodeDeploy to say Stopped (the signal may be aborted: not used here). */
async function stopAndConfirm(run, r, info, confirmMs) {
    const { ctx, region } = run;
    const { signal: _cancelled, ...uncancelled } = ctx;
    const autoRollbackEnabled = (0,stop/* rollbackOnStop */.U)(run.settings.autoRollback, info?.autoRollbackConfiguration);
    const outcome = await (0,stop.stopDeployment)({ ...uncancelled, deploymentId: r.id, autoRollbackEnabled });
    const w = await (0,wait/* waitForDeployment */.Kw)({
        ...uncancelled,
        deploymentId: r.id,
        deadline: ctx.now() + confirmMs,
        trackInstances: false
    });
    applyInfo(r, w.info);
    if (w.kind === 'terminal' && confirmMs >= STOP_CONFIRM_MS && !r.rollbackId) {
        r.rollbackId = await findRollbackId({ ...uncancelled, deploymentId: r.id, info: w.info });
    }
    if (r.rollbackId) {
        r.rollbackUrl = deploymentConsoleUrl(region, r.rollbackId);
        ctx.log.info(`CodeDeploy started rollback deployment ${r.rollbackId}. ${r.rollbackUrl}`);
    }
    if (outcome === 'stopping' && w.kind !== 'terminal') {
        ctx.log.info(`CodeDeploy is still stopping deployment ${r.id} (status ${r.status}); it will end shortly. ${r.url}`);
    }
    if (confirmMs >= STOP_CONFIRM_MS) {
        try {
            r.instances = await (0,deployment_targets/* fetchInstances */.t8)(r.id, { ...uncancelled, attempts: 2 });
        }
        catch {
            // The summary keeps the instances last seen.
        }
    }
    return w.info ?? info;
}

;// CONCATENATED MODULE: ./src/deploy/run/outcomes.ts











/** " in 3m 12s" when CodeDeploy gave both times, else ''. */
function tookText(r) {
    if (!r.startedAt || !r.endedAt)
        return '';
    return ` in ${(0,duration/* formatDuration */.a)(r.endedAt.getTime() - r.startedAt.getTime())}`;
}
/** " CodeDeploy started rollback d-X." when a stop started one, else ''. */
function rollbackStartedText(r) {
    return r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : '';
}
/** The blue/green way out of a wait-timeout that only the termination wait exceeds. */
function trafficRerouteHint(run, pt, words) {
    return pt.plan.blueGreen && run.settings.waitUntil === 'succeeded' ? words : '';
}
function notCreated(run, r, created) {
    r.outcome = created.kind;
    const behind = created.activeDeploymentId
        ? ` behind deployment ${created.activeDeploymentId}`
        : '';
    r.error =
        created.kind === 'timed-out'
            ? new errors/* ActionError */.lZ(`Nothing was deployed to '${r.group}': it was still queued${behind} when wait-timeout (${(0,duration/* minutesText */.B)(run.settings.waitTimeoutMinutes)}) ran out.`, 'Raise wait-timeout, or stop the other deployment.')
            : new errors/* ActionError */.lZ(`The workflow was cancelled while queued${behind}; nothing was deployed to '${r.group}'.`);
}
async function succeeded(run, r) {
    const { log } = run.ctx;
    r.outcome = 'succeeded';
    log.info(`Deployment ${r.id} to '${r.group}' succeeded${tookText(r)}.`);
    // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
    // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    await advise(run, r, undefined, false);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    if (first)
        log.warning(`Deployment ${r.id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${(0,diagnose/* firstCauseText */.Bv)(first)}.${fixOf(first)} They are listed in failed-instances; console: ${r.url}`);
}
/**
 * The fix for a failed deployment: the catalogue's advice (its error code's rule, else its first
 * cause's), the agent checks when no agent picked up the event, else the log above.
 */
function failedFix(run, r, first) {
    if (first && (0,agent_checks/* isAgentNotReceived */.Kq)(first.message)) {
        const justLaunched = r.failedInstances
            .filter((f) => (0,agent_checks/* isAgentNotReceived */.Kq)(f.message))
            .every((f) => labelOf(r, f.instanceId) === 'Green');
        return `Fix: ${(0,agent_checks/* agentChecksText */.U$)(run.region, justLaunched)} Console: ${r.url}`;
    }
    if (r.advice)
        return `Fix: ${r.advice.fix} Console: ${r.url}`;
    return `The failing instances and their script output are above; console: ${r.url}`;
}
/** Why, after CodeDeploy's words: the silent agents, the rule's cause for the error code. */
function failedWhy(r, first) {
    const silent = r.failedInstances.filter((f) => (0,agent_checks/* isAgentNotReceived */.Kq)(f.message)).length;
    const agents = first && (0,agent_checks/* isAgentNotReceived */.Kq)(first.message)
        ? ` No CodeDeploy agent picked up the lifecycle event on ${silent === 1 ? 'that instance' : `${silent} instances`}.`
        : '';
    const byCode = r.advice && r.advice.rule === r.errorInformation?.code ? ` ${r.advice.cause}` : '';
    return `${byCode}${agents}`;
}
/** Each failed instance's advice, read from the catalogue with what CodeDeploy says of the group. */
async function advise(run, r, info, stoppedByAction) {
    if (!r.failedInstances.length && !info?.errorInformation?.code)
        return;
    const ev = await readEvidence(run, r, info);
    adviseInstances(r.failedInstances, ev.group);
    const a = adviseDeploymentOf(r, info, ev, stoppedByAction);
    if (a)
        r.advice = a;
}
async function failed(run, r, info, deadline, pt) {
    r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    if (pt.traffic)
        r.failedInstances = await pt.traffic.explain(r.failedInstances);
    await advise(run, r, info, false);
    (0,diagnose/* reportFailure */.xV)(run.ctx.log, r.id, info, r.failedInstances, r.url, r.advice);
    const rollback = await followRollback(run, r, info, deadline);
    const replacementFleet = await applyFailedReplacementFleet(run, r, info, pt);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    const why = first
        ? ` ${(0,plural/* plural */.L)(r.failedInstances.length, 'instance')} failed, first cause: ${(0,diagnose/* firstCauseText */.Bv)(first)}.`
        : '';
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' ${endedText(r.status)}${errorText(info)}.${why}${failedWhy(r, first)}${rollback}${replacementFleet}`, failedFix(run, r, first));
}
async function timedOut(run, r, w, pt) {
    const { settings } = run;
    const minutes = (0,duration/* minutesText */.B)(settings.waitTimeoutMinutes);
    r.outcome = 'timed-out';
    if (settings.onTimeout === 'stop') {
        run.ctx.log.info(`Deployment ${r.id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`);
        const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS);
        const after = await afterStop(run, r, stopped, pt);
        r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${rollbackStartedText(r)}${after}`, `Raise wait-timeout if the deployment needs longer${trafficRerouteHint(run, pt, ', or set wait-until: traffic-rerouted')}; console: ${r.url}`);
    }
    else {
        const where = await sayWhereTrafficIs(run, r, pt);
        r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).${where}`, `Follow it in the console (${r.url}); raise wait-timeout${trafficRerouteHint(run, pt, ', set wait-until: traffic-rerouted')}, or set on-timeout: stop to stop it instead.`);
    }
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    await advise(run, r, w.info, settings.onTimeout === 'stop');
}
async function cancelled(run, r, w, pt) {
    const { log } = run.ctx;
    r.outcome = 'cancelled';
    let after = '';
    let became = 'it was left running';
    if (run.settings.stopOnCancel) {
        log.info(`The workflow was cancelled: stopping deployment ${r.id}.`);
        const stopped = await stopAndConfirm(run, r, w.info, CANCEL_CONFIRM_MS);
        // The runner kills the step seconds after the cancel: one quick look, the replacement fleet in the post step.
        after = await afterStop(run, r, stopped, pt, false);
        became = `it was stopped (status ${r.status})`;
    }
    else {
        log.info(`The workflow was cancelled; deployment ${r.id} keeps running (stop-on-cancel: false). ${r.url}`);
    }
    r.error = new errors/* ActionError */.lZ(`The workflow was cancelled while deployment ${r.id} to '${r.group}' was running; ${became}.${after}`, `Console: ${r.url}`);
}
/** on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback. */
async function haltedOnSilence(run, r, w, watch, pt) {
    const silent = watch.silentNow();
    run.ctx.log.info(`Stopping deployment ${r.id}: the CodeDeploy agent on ${(0,plural/* plural */.L)(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`);
    const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS);
    r.outcome = 'stopped';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    await advise(run, r, w.info, true);
    const after = await afterStop(run, r, stopped, pt);
    const justLaunched = silent.every((s) => s.label === 'Green');
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${(0,duration/* minutesText */.B)(run.settings.agentSilenceTimeoutMinutes)}) on ${silentList(silent)}.${rollbackStartedText(r)}${after}`, `${(0,agent_checks/* agentChecksText */.U$)(run.region, justLaunched)} Console: ${r.url}`);
}
/** " Fix: …" for the first cause, when the catalogue knows one. */
function fixOf(first) {
    return first.advice ? ` Fix: ${first.advice.fix}` : '';
}
function labelOf(r, instanceId) {
    return r.instances.find((i) => i.instanceId === instanceId)?.label;
}

;// CONCATENATED MODULE: ./src/deploy/run/follow.ts









/**
 * What the deployment will do (learnt from the first GetDeployment answer, the waiter's own, so
 * that its deadline and retries hold), the warnings that follow from it, then the wait and its
 * conclusion. `first`: an answer already in hand (continue-deployment).
 */
async function follow(run, r, deadline, state, first) {
    const { ctx, settings, region } = run;
    const id = r.id;
    let learnt;
    const learn = async (info) => {
        if (!learnt)
            learnt = await planFrom(run, r, info, state);
    };
    if (first)
        await learn(first);
    const silence = settings.agentSilenceTimeoutMinutes > 0
        ? new SilenceReporter({ log: ctx.log, now: ctx.now, settings, region, deploymentId: id })
        : undefined;
    const progress = {};
    for (;;) {
        const w = await (0,wait/* waitForDeployment */.Kw)({
            ...ctx,
            deploymentId: id,
            deadline,
            progress,
            onInfo: learn,
            onInstances: async (instances) => {
                await learnt?.traffic?.look(instances);
                return silence ? silence.look(instances) : 'continue';
            },
            until: (info) => {
                if (settings.waitUntil === 'traffic-rerouted' &&
                    !state.terminating &&
                    (0,deploy_plan/* trafficRerouted */._C)(info))
                    return 'rerouted';
                if (info.status === 'Ready' && !state.readyDone)
                    return 'ready';
                return undefined;
            }
        });
        applyInfo(r, w.info);
        r.instances = w.instances ?? r.instances;
        if (silence?.watch.everSilent().length)
            r.silentAgents = silence.watch.everSilent();
        // CodeDeploy never answered: nothing is known of the style.
        const known = learnt ?? { plan: (0,deploy_plan/* planOf */.XC)(w.info ?? {}), traffic: undefined };
        switch (w.kind) {
            case 'reached':
                if (w.reached === 'rerouted')
                    return rerouted(run, r, known.plan);
                state.readyDone = true;
                if ((await atReady(run, r, known.plan)) === 'finished')
                    return;
                continue;
            case 'halted':
                return haltedOnSilence(run, r, w, silence.watch, known);
            case 'terminal':
                return r.status === 'Succeeded'
                    ? succeeded(run, r)
                    : failed(run, r, w.info, deadline, known);
            case 'timed-out':
                return timedOut(run, r, w, known);
            case 'cancelled':
                return cancelled(run, r, w, known);
        }
    }
}
/** The plan line and the termination-wait warning, once; the traffic watch for load-balanced groups. */
async function planFrom(run, r, info, state) {
    const { ctx, settings } = run;
    const plan = (0,deploy_plan/* planOf */.XC)(info);
    if (plan.blueGreen || plan.trafficControl) {
        r.plan = (0,deploy_plan/* planLine */.od)(plan, await sourceGroups(run, info, plan));
        ctx.log.info(`Deployment ${r.id}: ${r.plan}`);
    }
    const waitWarning = settings.waitUntil === 'succeeded' && !state.terminating
        ? (0,deploy_plan/* terminationWaitWarning */._M)(plan, settings.waitTimeoutMinutes)
        : undefined;
    if (waitWarning)
        ctx.log.warning(waitWarning, { title: 'wait-timeout shorter than the termination wait' });
    const traffic = plan.trafficControl && ctx.traffic
        ? new TrafficWatch(r.id, new target_groups/* TargetGroups */.OG(ctx, plan.targetGroups), ctx.log, ctx.now)
        : undefined;
    return { plan, traffic };
}
/** The plan line's read of the group's Auto Scaling groups may take this long at most. */
const SOURCE_GROUPS_MS = 10_000;
/** The deployment group's Auto Scaling groups, to name the one copied (best effort: the plan line only). */
async function sourceGroups(run, info, plan) {
    if (!plan.copiesAutoScalingGroup)
        return [];
    try {
        // Brief: the wait's deadline must hold even if CodeDeploy stops answering.
        return await (0,reads/* autoScalingGroupsOf */._$)(run.ctx, info, AbortSignal.timeout(SOURCE_GROUPS_MS));
    }
    catch (err) {
        run.ctx.log.debug(`GetDeploymentGroup failed; the plan line names no Auto Scaling group: ${String(err)}`);
        return [];
    }
}

;// CONCATENATED MODULE: ./src/deploy/run/group-run.ts








async function deployGroup(run, r) {
    const { ctx, settings, region } = run;
    const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000;
    if (!run.revision)
        throw new Error('deployGroup needs a revision');
    const created = await createDeployment({
        ...ctx,
        settings,
        group: r.group,
        revision: run.revision,
        deadline,
        region,
        ...(run.beforeCreate ? { beforeCreate: () => run.beforeCreate(r.group) } : {})
    });
    if (created.kind === 'skipped') {
        r.outcome = 'skipped';
        r.skipNotice = created.notice;
        ctx.log.notice(created.notice);
        return;
    }
    if (created.kind !== 'created')
        return notCreated(run, r, created);
    const id = created.deploymentId;
    r.id = id;
    r.url = deploymentConsoleUrl(region, id);
    r.status = 'Created';
    run.onCreated?.(r.group, id);
    ctx.log.info(`Created deployment ${id} for group '${r.group}': ${r.url}`);
    if (!settings.wait) {
        r.outcome = 'created';
        return;
    }
    await follow(run, r, deadline, { readyDone: false });
}
/**
 * continue-deployment: the deployment another run created (in Ready, or in its termination wait)
 * goes on; then it is followed like one this run created.
 */
async function continueGroup(run, r, target) {
    const { ctx, settings, region } = run;
    const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000;
    const id = target.deploymentId;
    const info = await (0,reads/* readDeployment */.iJ)(ctx, id);
    if (info.applicationName !== settings.application || info.deploymentGroupName !== r.group)
        throw new errors/* ActionError */.lZ(`Deployment ${id} belongs to application '${info.applicationName ?? '?'}', group '${info.deploymentGroupName ?? '?'}', not to '${settings.application}', '${r.group}'.`, 'Set application and deployment-group to those of the deployment to continue (a safeguard against continuing the wrong one).');
    r.id = id;
    r.url = deploymentConsoleUrl(region, id);
    applyInfo(r, info);
    const waitType = target.termination ? 'TERMINATION_WAIT' : 'READY_WAIT';
    await sendContinueDeployment(ctx, id, waitType);
    run.onCreated?.(r.group, id);
    ctx.log.info(target.termination
        ? `Ended the termination wait of deployment ${id} (continue-termination): CodeDeploy terminates the original instances now. ${r.url}`
        : `Continued deployment ${id}: CodeDeploy reroutes the traffic to the replacement instances now. ${r.url}`);
    if (!settings.wait) {
        r.outcome = 'created';
        return;
    }
    // Ending the termination wait means waiting for the end, whatever wait-until says.
    await follow(run, r, deadline, { readyDone: true, terminating: target.termination }, info);
}

;// CONCATENATED MODULE: ./src/deploy/run-deployments.ts



/** Outcomes after which the next group is deployed (a Ready left for approval is a gate: it stops the chain). */
const GOES_ON = new Set(['succeeded', 'created', 'rerouted']);
async function deployToGroups(opts) {
    const { settings, revision, continueTarget, region, onCreated, bundle, beforeCreate, ...ctx } = opts;
    const run = {
        ctx,
        settings,
        region,
        ...(revision ? { revision } : {}),
        ...(bundle ? { bundle } : {}),
        ...(onCreated ? { onCreated } : {}),
        ...(beforeCreate ? { beforeCreate } : {})
    };
    const groups = settings.deploymentGroups.map(emptyResult);
    for (const r of groups) {
        try {
            if (continueTarget)
                await continueGroup(run, r, continueTarget);
            else
                await deployGroup(run, r);
        }
        catch (err) {
            if (!(err instanceof errors/* ActionError */.lZ))
                throw err;
            r.outcome = 'failed';
            r.error = err;
        }
        if (!GOES_ON.has(r.outcome))
            break;
    }
    // The chain stops at one group; the groups after it are named once, with why.
    const notAttempted = groups
        .filter((g) => g.outcome === 'not-attempted')
        .map((g) => `'${g.group}'`);
    const stopper = groups.find((g) => !GOES_ON.has(g.outcome) && g.outcome !== 'not-attempted');
    const why = stopper && whyStopped(stopper);
    if (why && notAttempted.length)
        ctx.log.info(`Not deploying to ${notAttempted.join(', ')}: ${why}`);
    const firstBad = groups.find((g) => g.error);
    return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) };
}
/** Why the groups after `g` are not deployed; undefined when nothing stopped the chain there. */
function whyStopped(g) {
    if (g.outcome === 'skipped')
        return `the run stops where a newer commit is deployed ('${g.group}').`;
    if (g.outcome === 'ready')
        return `deployment ${g.id} to '${g.group}' waits in Ready for its traffic switch (on-ready: finish).`;
    if (g.error)
        return `the deployment to '${g.group}' did not succeed.`;
    return undefined;
}


/***/ })

};
