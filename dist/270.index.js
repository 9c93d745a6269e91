export const id = 270;
export const ids = [270];
export const modules = {

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

/***/ 1270:
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
        const info = await (0,reads/* readDeployment */.i)(ctx, deploymentId).catch(() => undefined);
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
            includeOnlyStatuses: [...wait/* ACTIVE_STATUSES */.az]
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
    for (;;) {
        if (o.signal?.aborted)
            return { kind: 'cancelled', activeDeploymentId: lastActive };
        const found = await findActiveDeployment(o);
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
// EXTERNAL MODULE: ./src/deploy/silent-agent/watch.ts
var silent_agent_watch = __webpack_require__(5226);
;// CONCATENATED MODULE: ./src/deploy/silent-agent/reporter.ts
// What the user hears about silent agents while a deployment runs: at each instance refresh, one
// warning, then a line per newly silent instance; with on-agent-silence: fail, 'halt'.



class SilenceReporter {
    o;
    watch;
    warned = false;
    constructor(o) {
        this.o = o;
        this.watch = new silent_agent_watch/* AgentWatch */.FO(o.settings.agentSilenceTimeoutMinutes * 60_000);
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
            log.warning((0,silent_agent_watch/* silenceWarning */.If)(silent, settings.agentSilenceTimeoutMinutes, region), {
                title: `CodeDeploy agent not responding on ${(0,plural/* plural */.L)(silent.length, 'instance')}`
            });
            log.info(`Still waiting for deployment ${id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`);
        }
        else {
            log.info(`${id}: the agent is silent on more instances now: ${(0,silent_agent_watch/* silentList */.iI)(newlySilent)}.`);
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









/** "BeforeInstall ScriptFailed in scripts/x.sh": the first cause, for a one-line message. */
function firstCauseText(c) {
    const inScript = c.script ? ` in ${c.script}` : '';
    return `${c.lifecycleEvent} ${c.errorCode}${inScript}`;
}
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
function succeeded(run, r) {
    const { log } = run.ctx;
    r.outcome = 'succeeded';
    log.info(`Deployment ${r.id} to '${r.group}' succeeded${tookText(r)}.`);
    // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
    // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    if (first)
        log.warning(`Deployment ${r.id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${firstCauseText(first)}. They are listed in failed-instances; console: ${r.url}`);
}
/** The fix for a failed deployment: the agent checks when no agent picked up its event, else the log above. */
function failedFix(run, r, first) {
    if (!first || !(0,silent_agent_watch/* isAgentNotReceived */.Kq)(first.message))
        return `The failing instances and their script output are above; console: ${r.url}`;
    const agentFailed = r.failedInstances.filter((f) => (0,silent_agent_watch/* isAgentNotReceived */.Kq)(f.message));
    const where = agentFailed.length === 1 ? 'that instance' : `${agentFailed.length} instances`;
    const justLaunched = agentFailed.every((f) => labelOf(r, f.instanceId) === 'Green');
    return `No CodeDeploy agent picked up the lifecycle event on ${where}. ${(0,silent_agent_watch/* agentChecksText */.U$)(run.region, justLaunched)} Console: ${r.url}`;
}
async function failed(run, r, info, deadline, pt) {
    r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    if (pt.traffic)
        r.failedInstances = await pt.traffic.explain(r.failedInstances);
    (0,diagnose/* reportFailure */.xV)(run.ctx.log, r.id, info, r.failedInstances, r.url, run.region);
    const rollback = await followRollback(run, r, info, deadline);
    const replacementFleet = await applyFailedReplacementFleet(run, r, info, pt);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    const why = first
        ? ` ${(0,plural/* plural */.L)(r.failedInstances.length, 'instance')} failed, first cause: ${firstCauseText(first)}.`
        : '';
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' ${endedText(r.status)}${errorText(info)}.${why}${rollback}${replacementFleet}`, failedFix(run, r, first));
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
    const after = await afterStop(run, r, stopped, pt);
    const justLaunched = silent.every((s) => s.label === 'Green');
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${(0,duration/* minutesText */.B)(run.settings.agentSilenceTimeoutMinutes)}) on ${(0,silent_agent_watch/* silentList */.iI)(silent)}.${rollbackStartedText(r)}${after}`, `${(0,silent_agent_watch/* agentChecksText */.U$)(run.region, justLaunched)} Console: ${r.url}`);
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
        return await (0,reads/* autoScalingGroupsOf */._)(run.ctx, info, AbortSignal.timeout(SOURCE_GROUPS_MS));
    }
    catch (err) {
        run.ctx.log.debug(`GetDeploymentGroup failed; the plan line names no Auto Scaling group: ${String(err)}`);
        return [];
    }
}

;// CONCATENATED MODULE: ./src/deploy/run/group-run.ts
// The run of one deployment group, as a script: create the deployment (or continue one another
// run created), then follow it to a conclusion (follow.ts, outcomes.ts). The result it fills in is
// passed beside the run.








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
        region
    });
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
    const info = await (0,reads/* readDeployment */.i)(ctx, id);
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
// The deploy phase: each deployment group in order (run/group-run.ts), stopping at the first that
// does not succeed.



/** Outcomes after which the next group is deployed (a Ready left for approval is a gate: it stops the chain). */
const GOES_ON = new Set(['succeeded', 'created', 'rerouted']);
async function deployToGroups(opts) {
    const { settings, revision, continueTarget, region, onCreated, ...ctx } = opts;
    const run = {
        ctx,
        settings,
        region,
        ...(revision ? { revision } : {}),
        ...(onCreated ? { onCreated } : {})
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
    const ready = groups.find((g) => g.outcome === 'ready');
    const waiting = groups.filter((g) => g.outcome === 'not-attempted').map((g) => `'${g.group}'`);
    if (ready && waiting.length)
        ctx.log.info(`Not deploying to ${waiting.join(', ')}: deployment ${ready.id} to '${ready.group}' waits in Ready for its traffic switch (on-ready: finish).`);
    const firstBad = groups.find((g) => g.error);
    const notAttempted = groups
        .filter((g) => g.outcome === 'not-attempted')
        .map((g) => `'${g.group}'`);
    if (firstBad && notAttempted.length) {
        ctx.log.info(`Not deploying to ${notAttempted.join(', ')}: the deployment to '${firstBad.group}' did not succeed.`);
    }
    return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) };
}


/***/ })

};
