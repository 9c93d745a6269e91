export const id = 892;
export const ids = [892];
export const modules = {

/***/ 672:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U6: () => (/* binding */ listTargetIds),
/* harmony export */   dA: () => (/* binding */ getInstances),
/* harmony export */   eX: () => (/* binding */ TARGETS_PER_BATCH),
/* harmony export */   t8: () => (/* binding */ fetchInstances)
/* harmony export */ });
/* unused harmony export toInstanceView */
/* harmony import */ var _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7507);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8098);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2495);




/** CodeDeploy's limit for BatchGetDeploymentTargets. */
const TARGETS_PER_BATCH = 25;
const TARGETS_CHECK = 'Per-instance details need the IAM actions codedeploy:ListDeploymentTargets and codedeploy:BatchGetDeploymentTargets.';
/** All target ids of a deployment; empty while CodeDeploy has not started it (DeploymentNotStartedException). */
async function listTargetIds(deploymentId, c) {
    const ids = [];
    let nextToken;
    do {
        try {
            const page = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .callWithRetry */ .ZG)('ListDeploymentTargets', () => c.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_3__.ListDeploymentTargetsCommand({ deploymentId, nextToken }), {
                abortSignal: c.signal
            }), c, (err) => ((0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAccessDenied */ .w7)(err) ? TARGETS_CHECK : undefined));
            ids.push(...(page.targetIds ?? []));
            nextToken = page.nextToken || undefined;
        }
        catch (err) {
            if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ && err.code === 'DeploymentNotStartedException')
                return [];
            throw err;
        }
    } while (nextToken);
    return ids;
}
function toInstanceView(target) {
    const t = target.instanceTarget;
    if (!t?.targetId)
        return undefined;
    const events = (t.lifecycleEvents ?? []).map((e) => ({
        name: e.lifecycleEventName ?? 'Unknown',
        status: e.status ?? 'Unknown',
        startedAt: e.startTime,
        endedAt: e.endTime,
        errorCode: e.diagnostics?.errorCode,
        script: e.diagnostics?.scriptName,
        message: e.diagnostics?.message,
        logTail: e.diagnostics?.logTail
    }));
    return {
        instanceId: t.targetId,
        status: t.status ?? 'Unknown',
        events,
        ...(t.lastUpdatedAt ? { lastUpdatedAt: t.lastUpdatedAt } : {}),
        ...(t.instanceLabel ? { label: t.instanceLabel } : {})
    };
}
/** The instances with these ids, in the order given. */
async function getInstances(deploymentId, targetIds, c) {
    const views = [];
    for (let i = 0; i < targetIds.length; i += TARGETS_PER_BATCH) {
        const batch = targetIds.slice(i, i + TARGETS_PER_BATCH);
        const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .callWithRetry */ .ZG)('BatchGetDeploymentTargets', () => c.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_3__.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: batch }), {
            abortSignal: c.signal
        }), c, (err) => ((0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAccessDenied */ .w7)(err) ? TARGETS_CHECK : undefined));
        for (const t of out.deploymentTargets ?? []) {
            const view = toInstanceView(t);
            if (view)
                views.push(view);
        }
    }
    const order = new Map(targetIds.map((id, idx) => [id, idx]));
    return views.sort((a, b) => (order.get(a.instanceId) ?? 0) - (order.get(b.instanceId) ?? 0));
}
/** Every instance of a deployment with its lifecycle events. */
async function fetchInstances(deploymentId, c) {
    return getInstances(deploymentId, await listTargetIds(deploymentId, c), c);
}


/***/ }),

/***/ 375:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ld: () => (/* binding */ tryReadDeployment),
/* harmony export */   _$: () => (/* binding */ autoScalingGroupsOf),
/* harmony export */   fL: () => (/* binding */ readDeploymentGroup),
/* harmony export */   iJ: () => (/* binding */ readDeployment),
/* harmony export */   yO: () => (/* binding */ readDeploymentConfig)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7507);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2495);
// The one-shot reads of CodeDeploy: a deployment (GetDeployment) and its group's Auto Scaling
// groups (GetDeploymentGroup), each retried on transient errors.


/** GetDeployment once (retried on transient errors). */
async function readDeployment(ctx, deploymentId) {
    const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callWithRetry */ .ZG)('GetDeployment', () => ctx.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__.GetDeploymentCommand({ deploymentId })), (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(ctx, 4), () => `Check that deployment ${deploymentId} exists in this region, and that the role may call codedeploy:GetDeployment.`);
    return out.deploymentInfo ?? {};
}
/**
 * The deployment group's Auto Scaling groups now: the one a blue/green deployment copies, and
 * after a success the copy. `signal` bounds a best-effort read.
 */
async function autoScalingGroupsOf(ctx, info, signal) {
    const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callWithRetry */ .ZG)('GetDeploymentGroup', () => ctx.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__.GetDeploymentGroupCommand({
        applicationName: info.applicationName,
        deploymentGroupName: info.deploymentGroupName
    }), signal ? { abortSignal: signal } : {}), (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(ctx, 3), () => 'Grant codedeploy:GetDeploymentGroup on the deployment group.');
    return (out.deploymentGroupInfo?.autoScalingGroups ?? []).map((g) => g.name ?? '').filter(Boolean);
}
/**
 * One read for a failure's advice: retried a little, and on failure a line saying what could not
 * be read (the advice then says less), never an error.
 */
async function bestEffort(ctx, call, what, send, check) {
    try {
        return await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callWithRetry */ .ZG)(call, send, (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(ctx, 3), () => check);
    }
    catch (err) {
        ctx.log.info(`Could not read ${what}: ${String(err)}`);
        return undefined;
    }
}
/** GetDeploymentGroup, best effort. */
async function readDeploymentGroup(ctx, applicationName, deploymentGroupName) {
    const out = await bestEffort(ctx, 'GetDeploymentGroup', `deployment group '${deploymentGroupName}'`, () => ctx.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__.GetDeploymentGroupCommand({ applicationName, deploymentGroupName })), 'Grant codedeploy:GetDeploymentGroup on the deployment group.');
    return out?.deploymentGroupInfo;
}
/** GetDeploymentConfig, best effort: the configuration's minimum healthy hosts. */
async function readDeploymentConfig(ctx, deploymentConfigName) {
    const out = await bestEffort(ctx, 'GetDeploymentConfig', `deployment configuration '${deploymentConfigName}'`, () => ctx.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__.GetDeploymentConfigCommand({ deploymentConfigName })), 'Grant codedeploy:GetDeploymentConfig on the deployment configuration.');
    return out?.deploymentConfigInfo;
}
/** GetDeployment, best effort (for a deployment other than the one followed). */
async function tryReadDeployment(ctx, deploymentId) {
    const out = await bestEffort(ctx, 'GetDeployment', `deployment ${deploymentId}`, () => ctx.codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_1__.GetDeploymentCommand({ deploymentId })), 'Grant codedeploy:GetDeployment on the deployment group.');
    return out?.deploymentInfo;
}


/***/ }),

/***/ 3701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CM: () => (/* binding */ TERMINAL_STATUSES),
/* harmony export */   Kw: () => (/* binding */ waitForDeployment),
/* harmony export */   dd: () => (/* binding */ CALL_GRACE_MS),
/* harmony export */   pP: () => (/* binding */ pollDelayMs)
/* harmony export */ });
/* unused harmony exports MAX_CONSECUTIVE_ERRORS, targetsRefreshMs */
/* harmony import */ var _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7507);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8098);
/* harmony import */ var _aws_codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5431);
/* harmony import */ var _progress_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5899);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2495);
/* harmony import */ var _deployment_targets_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(672);







const TERMINAL_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
/** Give up after this many failed GetDeployment calls in a row (throttling, 5xx, network). */
const MAX_CONSECUTIVE_ERRORS = 10;
/**
 * How long a GetDeployment call (the SDK's retries included) may run past the deadline. Without
 * this bound a CodeDeploy that stops answering keeps the step in one call for the SDK's attempts
 * times its socket timeout, minutes past wait-timeout.
 */
const CALL_GRACE_MS = 10_000;
/**
 * Time between GetDeployment calls: 1 s at first (short deployments end quickly), then 2 s, then 3 s.
 * Median lag after the terminal state stays around 1-1.5 s, at no more than one call a second.
 */
function pollDelayMs(elapsedMs) {
    if (elapsedMs < 10_000)
        return 1000;
    if (elapsedMs < 5 * 60_000)
        return 2000;
    return 3000;
}
/** Time between instance refreshes: each costs a list call and one call per 25 instances, so many instances refresh less often. */
function targetsRefreshMs(instanceCount) {
    const batches = Math.max(1, Math.ceil(instanceCount / _deployment_targets_js__WEBPACK_IMPORTED_MODULE_5__/* .TARGETS_PER_BATCH */ .eX));
    return Math.max(5000, batches * 1500);
}
function toOverview(info) {
    const o = info.deploymentOverview;
    if (!o)
        return undefined;
    return {
        Pending: o.Pending ?? 0,
        InProgress: o.InProgress ?? 0,
        Succeeded: o.Succeeded ?? 0,
        Failed: o.Failed ?? 0,
        Skipped: o.Skipped ?? 0,
        Ready: o.Ready ?? 0
    };
}
function overviewTotal(o) {
    return o ? o.Pending + o.InProgress + o.Succeeded + o.Failed + o.Skipped + o.Ready : 0;
}
/** Polls GetDeployment until Succeeded, Failed or Stopped, the deadline, or the signal. Throws AwsCallError when CodeDeploy cannot be asked. */
async function waitForDeployment(opts) {
    const { deploymentId, codedeploy, log, sleep, now, deadline, signal } = opts;
    const started = now();
    const progress = opts.progress ?? {};
    let info;
    let failures = 0;
    let trackInstances = opts.trackInstances ?? true;
    let targetIds = [];
    let instances;
    let nextTargetsRefresh = 0;
    async function refreshInstances(overview, final) {
        // While running, one attempt per call: a failed refresh is simply tried again at the next one.
        // At the end the diagnosis depends on it, so the calls are retried.
        const targetsClient = { codedeploy, log, sleep, signal, attempts: final ? 6 : 1 };
        try {
            if (targetIds.length === 0 || targetIds.length < overviewTotal(overview)) {
                targetIds = await (0,_deployment_targets_js__WEBPACK_IMPORTED_MODULE_5__/* .listTargetIds */ .U6)(deploymentId, targetsClient);
            }
            if (targetIds.length)
                instances = await (0,_deployment_targets_js__WEBPACK_IMPORTED_MODULE_5__/* .getInstances */ .dA)(deploymentId, targetIds, targetsClient);
        }
        catch (err) {
            if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ && (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAccessDenied */ .w7)(err.cause)) {
                log.warning(`Not showing per-instance progress (nor watching for silent agents): ${err.describe()}`);
                trackInstances = false;
            }
            else if (final) {
                log.warning(`Could not read the instances' final state: ${err instanceof Error ? err.message : String(err)}`);
            }
            else {
                log.debug(`Instance progress skipped this time: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
        nextTargetsRefresh = now() + targetsRefreshMs(targetIds.length);
    }
    for (;;) {
        if (signal?.aborted)
            return { kind: 'cancelled', info, instances };
        const pastDeadline = now() >= deadline;
        let delay;
        const overdue = new AbortController();
        const timer = setTimeout(() => overdue.abort(), Math.max(0, deadline - now()) + CALL_GRACE_MS);
        timer.unref();
        try {
            const out = await codedeploy.send(new _aws_sdk_client_codedeploy__WEBPACK_IMPORTED_MODULE_6__.GetDeploymentCommand({ deploymentId }), {
                abortSignal: signal ? AbortSignal.any([signal, overdue.signal]) : overdue.signal
            });
            failures = 0;
            info = out.deploymentInfo ?? {};
            await opts.onInfo?.(info);
            const status = info.status ?? 'Unknown';
            const overview = toOverview(info);
            const terminal = TERMINAL_STATUSES.has(status);
            if (trackInstances &&
                (terminal || (status === 'InProgress' && now() >= nextTargetsRefresh))) {
                await refreshInstances(overview, terminal);
            }
            const snapshot = { status, overview, instances };
            for (const line of (0,_progress_js__WEBPACK_IMPORTED_MODULE_3__/* .describeChanges */ .DT)(deploymentId, progress.printed, snapshot))
                log.info(line);
            const refreshed = instances !== progress.printed?.instances;
            progress.printed = snapshot;
            // Also shown the final instances (an agent that answered just before the end is reported).
            const verdict = refreshed && instances ? await opts.onInstances?.(instances) : undefined;
            if (terminal)
                return { kind: 'terminal', info, instances };
            if (verdict === 'halt')
                return { kind: 'halted', info, instances: instances };
            const reached = opts.until?.(info);
            if (reached)
                return { kind: 'reached', reached, info, instances };
            delay = pollDelayMs(now() - started);
        }
        catch (err) {
            if (signal?.aborted)
                return { kind: 'cancelled', info, instances };
            if (overdue.signal.aborted) {
                log.warning(`CodeDeploy did not answer GetDeployment for ${deploymentId} within ${CALL_GRACE_MS / 1000} s after wait-timeout; giving up waiting.`);
                return { kind: 'timed-out', info, instances };
            }
            failures++;
            if (!(0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(err))
                throw (0,_aws_codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .codeDeployCallError */ .v)('GetDeployment', err, (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAccessDenied */ .w7)(err)
                    ? undefined
                    : `Check that deployment ${deploymentId} exists in this region.`);
            if (failures >= MAX_CONSECUTIVE_ERRORS) {
                const e = (0,_aws_codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .codeDeployCallError */ .v)('GetDeployment', err);
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ('GetDeployment', e.code, `${failures} calls in a row failed, the last with: ${err.message ?? ''}`, `Deployment ${deploymentId} may still be running: follow it in the console. ${e.fix ?? ''}`.trim(), err);
            }
            delay = (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .backoffMs */ .jo)(failures, (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isThrottling */ .E2)(err), opts.random);
            log.debug(`GetDeployment failed (${failures} in a row), retrying in ${delay} ms: ${err.message ?? ''}`);
        }
        finally {
            clearTimeout(timer);
        }
        if (pastDeadline)
            return { kind: 'timed-out', info, instances };
        // The last call is made at the deadline, so a deployment finishing just before it is not reported as timed out.
        await sleep(Math.max(0, Math.min(delay, deadline - now())), signal);
    }
}


/***/ }),

/***/ 5448:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JM: () => (/* binding */ replacementGroupName),
/* harmony export */   XC: () => (/* binding */ planOf),
/* harmony export */   _3: () => (/* binding */ terminationText),
/* harmony export */   _C: () => (/* binding */ trafficRerouted),
/* harmony export */   _M: () => (/* binding */ terminationWaitWarning),
/* harmony export */   od: () => (/* binding */ planLine)
/* harmony export */ });
/* unused harmony export DEFAULT_TERMINATION_WAIT_MINUTES */
/* harmony import */ var _common_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5541);

/** CodeDeploy's default termination wait when the group names none. */
const DEFAULT_TERMINATION_WAIT_MINUTES = 60;
function planOf(info) {
    const style = info.deploymentStyle;
    const bg = info.blueGreenDeploymentConfiguration;
    const targetGroups = [
        ...(info.loadBalancerInfo?.targetGroupInfoList ?? []),
        ...(info.loadBalancerInfo?.elbInfoList ?? [])
    ]
        .map((t) => t.name ?? '')
        .filter(Boolean);
    const blueGreen = style?.deploymentType === 'BLUE_GREEN';
    const terminate = bg?.terminateBlueInstancesOnDeploymentSuccess;
    return {
        blueGreen,
        trafficControl: style?.deploymentOption === 'WITH_TRAFFIC_CONTROL' || targetGroups.length > 0,
        targetGroups,
        copiesAutoScalingGroup: blueGreen && bg?.greenFleetProvisioningOption?.action === 'COPY_AUTO_SCALING_GROUP',
        manualReroute: bg?.deploymentReadyOption?.actionOnTimeout === 'STOP_DEPLOYMENT',
        readyWaitMinutes: bg?.deploymentReadyOption?.waitTimeInMinutes ?? 0,
        originalInstances: terminate?.action === 'KEEP_ALIVE' ? 'keep' : 'terminate',
        terminationWaitMinutes: terminate?.terminationWaitTimeInMinutes ?? DEFAULT_TERMINATION_WAIT_MINUTES
    };
}
function listText(names) {
    return names.map((n) => `'${n}'`).join(', ');
}
/**
 * One line: what this deployment will do. `sourceGroups` are the deployment group's Auto Scaling
 * groups when known (GetDeployment does not name the one copied).
 */
function planLine(plan, sourceGroups = []) {
    const lb = plan.targetGroups.length ? ` behind target group ${listText(plan.targetGroups)}` : '';
    if (!plan.blueGreen)
        return plan.trafficControl
            ? `in place with traffic control${lb}: each instance is deregistered (BlockTraffic) before its install and registered again (AllowTraffic) once it passes the health checks.`
            : 'in place: the revision is installed on the existing instances.';
    return `blue/green${lb}: ${replacementText(plan, sourceGroups)}, ${rerouteText(plan)}, ${originalsText(plan)}.`;
}
/** Where the replacement instances come from. */
function replacementText(plan, sourceGroups) {
    if (!plan.copiesAutoScalingGroup)
        return 'installs on the replacement instances already running';
    const copied = sourceGroups.length ? listText(sourceGroups) : 'of the deployment group';
    return `copies Auto Scaling group ${copied} as the replacement fleet`;
}
/** When the traffic moves to the replacement instances. */
function rerouteText(plan) {
    if (plan.manualReroute)
        return `waits in Ready for a ContinueDeployment (stopped after ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(plan.readyWaitMinutes)}), then reroutes`;
    if (plan.readyWaitMinutes > 0)
        return `reroutes ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(plan.readyWaitMinutes)} after the install`;
    return 'reroutes after the install';
}
/** What becomes of the original instances after the reroute. */
function originalsText(plan) {
    if (plan.originalInstances === 'keep')
        return 'keeps the original instances running, out of the load balancer';
    if (plan.terminationWaitMinutes > 0)
        return `terminates the original instances ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(plan.terminationWaitMinutes)} later`;
    return 'terminates the original instances right after';
}
/**
 * With wait-until: succeeded, a blue/green deployment stays InProgress through its termination
 * wait: a wait-timeout shorter than that wait alone times out a deployment that went well.
 */
function terminationWaitWarning(plan, waitTimeoutMinutes) {
    if (!plan.blueGreen || plan.originalInstances !== 'terminate')
        return undefined;
    if (plan.terminationWaitMinutes <= waitTimeoutMinutes)
        return undefined;
    return `The deployment group terminates the original instances ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(plan.terminationWaitMinutes)} after the reroute, and CodeDeploy reports the deployment InProgress until then: longer than wait-timeout (${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(waitTimeoutMinutes)}), so this step will time out on a deployment that went well. Set wait-until: traffic-rerouted to end the step once the traffic has moved, or raise wait-timeout above ${plan.terminationWaitMinutes}.`;
}
/** The traffic is on the replacement instances and they passed their health checks. */
function trafficRerouted(info) {
    return (info.deploymentStyle?.deploymentType === 'BLUE_GREEN' &&
        info.status === 'InProgress' &&
        info.instanceTerminationWaitTimeStarted === true);
}
/** The Auto Scaling group CodeDeploy creates for a blue/green deployment's replacement fleet. */
function replacementGroupName(deploymentGroup, deploymentId) {
    return `CodeDeploy_${deploymentGroup}_${deploymentId}`;
}
/** When the original instances will be terminated, seen from `now` when the termination wait has just started. */
function terminationText(plan, now) {
    if (plan.originalInstances === 'keep')
        return 'The original instances keep running.';
    const at = new Date(now + plan.terminationWaitMinutes * 60_000);
    return `CodeDeploy terminates the original instances after its termination wait of ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .minutesText */ .B)(plan.terminationWaitMinutes)}, at about ${at.toISOString().replace(/\.\d+Z$/, 'Z')}; end the wait sooner with continue-deployment and continue-termination: true.`;
}


/***/ }),

/***/ 2776:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  D: () => (/* binding */ leavesReplacementFleet),
  A: () => (/* binding */ settleReplacementFleet)
});

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/plural.ts
var plural = __webpack_require__(9627);
// EXTERNAL MODULE: ./src/deploy/plan.ts
var plan = __webpack_require__(5448);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-auto-scaling/dist-cjs/index.js
var dist_cjs = __webpack_require__(8932);
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/deploy/codedeploy/reads.ts
var reads = __webpack_require__(375);
// EXTERNAL MODULE: ./src/deploy/traffic/target-groups.ts
var target_groups = __webpack_require__(4541);
;// CONCATENATED MODULE: ./src/deploy/replacement-fleet/deletion.ts
// The replacement fleet a failed or stopped blue/green deployment leaves running: CodeDeploy
// copies the group's Auto Scaling group as CodeDeploy_<group>_<deployment id> and does not delete
// it when the deployment fails. Find it, prove it was made for this deployment and serves no
// traffic, then keep it (a warning with the command) or delete it (ForceDelete).







/** Clock skew allowed between CodeDeploy's createTime and Auto Scaling's CreatedTime. */
const CLOCK_SKEW_MS = 5 * 60_000;
async function describeGroup(ctx, name) {
    const autoScaling = await ctx.traffic.autoScaling();
    const out = await (0,retry/* callServiceWithRetry */.oK)('Auto Scaling DescribeAutoScalingGroups', () => autoScaling.send(new dist_cjs.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })), (0,retry/* fewAttempts */.X8)(ctx, 3), { iamActions: ['autoscaling:DescribeAutoScalingGroups'] });
    return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
}
/**
 * Whether the deployment's copied Auto Scaling group exists, and whether it may be deleted: its
 * name is this deployment's, it was created after the deployment, it holds only this deployment's
 * replacement (Green) instances, it is attached to no target group, the deployment group does not
 * use it, and none of its instances is registered in the deployment's target groups.
 */
async function inspectCopiedGroup(ctx, info, instances, targetGroups) {
    const name = (0,plan/* replacementGroupName */.JM)(info.deploymentGroupName ?? '', info.deploymentId ?? '');
    const group = await describeGroup(ctx, name);
    if (!group || group.Status === 'Delete in progress')
        return { kind: 'none', name };
    const copy = {
        name,
        instanceIds: (group.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean)
    };
    const inUse = (reason) => ({ kind: 'in-use', copy, reason });
    const created = info.createTime?.getTime();
    if (created !== undefined &&
        group.CreatedTime &&
        group.CreatedTime.getTime() < created - CLOCK_SKEW_MS)
        return inUse(`it was created at ${group.CreatedTime.toISOString()}, before deployment ${info.deploymentId} (${info.createTime?.toISOString()}), so this deployment did not create it`);
    const green = new Set(instances.filter((i) => i.label === 'Green').map((i) => i.instanceId));
    const foreign = instances.length ? copy.instanceIds.filter((id) => !green.has(id)) : [];
    if (foreign.length)
        return inUse(`it holds instances that are not this deployment's replacement instances (${(0,plural/* firstAndMore */.f)(foreign, 3)})`);
    const attached = [...(group.TargetGroupARNs ?? []), ...(group.LoadBalancerNames ?? [])];
    if (attached.length)
        return inUse(`it is attached to ${(0,plural/* plural */.L)(attached.length, 'load balancer target')}: ${attached[0]}`);
    if ((await (0,reads/* autoScalingGroupsOf */._$)(ctx, info)).includes(name))
        return inUse(`deployment group '${info.deploymentGroupName}' uses it as its Auto Scaling group now`);
    if (copy.instanceIds.length && targetGroups.names.length) {
        const registered = (await targetGroups.health(copy.instanceIds)).filter((h) => (0,target_groups/* isRegistered */.zN)(h.state));
        const first = registered.find((h) => h.state !== 'draining') ?? registered[0];
        if (first)
            return {
                ...inUse(`its instance ${first.instanceId} is registered in target group '${first.targetGroup}' (${first.state}), so it may serve traffic`),
                ...(registered.every((h) => h.state === 'draining') ? { draining: true } : {})
            };
    }
    return { kind: 'deletable', copy };
}
/** The command a user runs to delete the group by hand. */
function deleteCommand(name, region) {
    return `aws autoscaling delete-auto-scaling-group --auto-scaling-group-name ${name} --force-delete${region ? ` --region ${region}` : ''}`;
}
/** DeleteAutoScalingGroup with ForceDelete: the group and its instances are terminated. */
async function deleteCopiedGroup(ctx, name) {
    const autoScaling = await ctx.traffic.autoScaling();
    try {
        await (0,retry/* callServiceWithRetry */.oK)('Auto Scaling DeleteAutoScalingGroup', () => autoScaling.send(new dist_cjs.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })), (0,retry/* fewAttempts */.X8)(ctx, 3), {
            iamActions: ['autoscaling:DeleteAutoScalingGroup'],
            resource: `autoScalingGroupName/${name}`,
            byCode: {
                ResourceInUseFault: `Auto Scaling says the group is in use: delete it by hand once its activities end.`,
                ScalingActivityInProgressFault: `A scaling activity is running: delete it by hand once it ends.`
            }
        });
        return 'deleted';
    }
    catch (err) {
        // Gone in between (someone else deleted it): nothing left to do.
        if (/not found/i.test(String(err.message)) && (0,aws_errors/* errorCode */.CA)(err) === 'ValidationError')
            return 'gone';
        throw err;
    }
}

;// CONCATENATED MODULE: ./src/deploy/replacement-fleet/policy.ts




/** Whether the policy applies: a blue/green copy that ended without success. */
function leavesReplacementFleet(info) {
    return ((0,plan/* planOf */.XC)(info).copiesAutoScalingGroup && (info.status === 'Failed' || info.status === 'Stopped'));
}
/** Checked again every few seconds while its only link to the load balancer is a deregistration still draining. */
const DRAIN_POLL_MS = 5000;
/** Beyond the target groups' deregistration delay, how long a drain may take to show as done. */
const DRAIN_MARGIN_MS = 30_000;
/**
 * The verdict, once no replacement instance is still draining: after a failure CodeDeploy
 * deregisters them, and ELBv2 keeps a target `draining` for up to the deregistration delay.
 * Bounded by that delay (the longest of the target groups) plus a margin.
 */
async function inspectAfterDraining(o) {
    const { ctx } = o;
    let verdict = await inspectCopiedGroup(ctx, o.info, o.instances, o.targetGroups);
    if (verdict.kind !== 'in-use' || !verdict.draining)
        return verdict;
    let delayMs = 0;
    for (const g of await o.targetGroups.list())
        delayMs = Math.max(delayMs, (await o.targetGroups.deregistrationDelaySeconds(g)) * 1000);
    const until = ctx.now() + delayMs + DRAIN_MARGIN_MS;
    ctx.log.info(`The replacement instances are still being deregistered from the load balancer (draining, up to ${delayMs / 1000} s); checking again before touching ${verdict.copy.name}.`);
    while (verdict.kind === 'in-use' && verdict.draining && ctx.now() < until) {
        await ctx.sleep(DRAIN_POLL_MS);
        verdict = await inspectCopiedGroup(ctx, o.info, o.instances, o.targetGroups);
    }
    return verdict;
}
/** Applies the policy; returns what became of the copy (undefined: there was none). Never throws. */
async function settleReplacementFleet(o) {
    const { ctx, info, region } = o;
    const { log } = ctx;
    if (!leavesReplacementFleet(info) || !ctx.traffic)
        return undefined;
    const id = info.deploymentId ?? '';
    try {
        const verdict = await inspectAfterDraining(o);
        if (verdict.kind === 'none') {
            log.info(`Deployment ${id} left no replacement Auto Scaling group (${verdict.name} does not exist).`);
            return undefined;
        }
        const { copy } = verdict;
        const size = (0,plural/* plural */.L)(copy.instanceIds.length, 'instance');
        if (verdict.kind === 'in-use') {
            const note = `Replacement Auto Scaling group ${copy.name} (${size}) was not deleted: ${verdict.reason}.`;
            log.warning(`${note} Check it in the EC2 console; once it serves no traffic, delete it with: ${deleteCommand(copy.name, region)}`, { title: 'Replacement fleet left running' });
            return { name: copy.name, instances: copy.instanceIds.length, deleted: false, note };
        }
        if (o.policy === 'keep') {
            const note = `Deployment ${id} ${info.status?.toLowerCase()} and left its replacement Auto Scaling group ${copy.name} running (${size}); the traffic stays on the original instances.`;
            log.warning(`${note} It costs money until deleted: ${deleteCommand(copy.name, region)} (or set failed-replacement-fleet: delete).`, { title: 'Replacement fleet left running' });
            return { name: copy.name, instances: copy.instanceIds.length, deleted: false, note };
        }
        const outcome = await deleteCopiedGroup(ctx, copy.name);
        const note = outcome === 'deleted'
            ? `Deleted the replacement Auto Scaling group ${copy.name} and its ${size} (failed-replacement-fleet: delete); the traffic stays on the original instances.`
            : `The replacement Auto Scaling group ${copy.name} was already gone.`;
        log.info(note);
        return {
            name: copy.name,
            instances: copy.instanceIds.length,
            deleted: outcome === 'deleted',
            note
        };
    }
    catch (err) {
        const why = err instanceof errors/* AwsCallError */.iQ ? err.describe() : String(err);
        const name = (0,plan/* replacementGroupName */.JM)(info.deploymentGroupName ?? '', id);
        const note = `Could not ${o.policy === 'delete' ? 'delete' : 'check'} the replacement Auto Scaling group ${name}: ${why}`;
        log.warning(`${note} Check for it in the EC2 console; delete it with: ${deleteCommand(name, region)}`, {
            title: 'Replacement fleet not cleaned up'
        });
        return { name, instances: 0, deleted: false, note };
    }
}


/***/ }),

/***/ 4541:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   As: () => (/* binding */ healthCheckText),
/* harmony export */   OG: () => (/* binding */ TargetGroups),
/* harmony export */   zN: () => (/* binding */ isRegistered)
/* harmony export */ });
/* unused harmony export DEFAULT_DEREGISTRATION_DELAY_SECONDS */
/* harmony import */ var _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(586);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2495);
// What the load balancer says about a deployment's instances: the target groups' health check
// and deregistration settings, and each instance's health there (ELBv2 DescribeTargetGroups,
// DescribeTargetHealth, DescribeTargetGroupAttributes). Read-only; cached per deployment.


/** ELBv2's default when the attribute cannot be read. */
const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;
const hints = (action) => ({
    iamActions: [action],
    fallback: "Check that the deployment group's target groups exist in this region (EC2 console, Target Groups)."
});
function healthCheckText(h) {
    const where = h.protocol === 'TCP' ? `TCP port ${h.port}` : `${h.protocol} ${h.path} on port ${h.port}`;
    return `${where}, expecting ${h.matcher}, every ${h.intervalSeconds} s (timeout ${h.timeoutSeconds} s), unhealthy after ${h.unhealthyThreshold} failures, healthy after ${h.healthyThreshold} passes`;
}
function toView(t) {
    return {
        name: t.TargetGroupName ?? '',
        arn: t.TargetGroupArn ?? '',
        healthCheck: {
            protocol: t.HealthCheckProtocol ?? 'HTTP',
            port: t.HealthCheckPort === 'traffic-port' || !t.HealthCheckPort
                ? String(t.Port ?? '')
                : t.HealthCheckPort,
            path: t.HealthCheckPath ?? '/',
            intervalSeconds: t.HealthCheckIntervalSeconds ?? 30,
            timeoutSeconds: t.HealthCheckTimeoutSeconds ?? 5,
            healthyThreshold: t.HealthyThresholdCount ?? 5,
            unhealthyThreshold: t.UnhealthyThresholdCount ?? 2,
            matcher: t.Matcher?.HttpCode ?? t.Matcher?.GrpcCode ?? '200'
        }
    };
}
/** The deployment's target groups, read once; each call names what failed and what to grant. */
class TargetGroups {
    ctx;
    names;
    groups;
    delays = new Map();
    constructor(ctx, names) {
        this.ctx = ctx;
        this.names = names;
    }
    async list() {
        const traffic = this.ctx.traffic;
        if (!traffic || this.names.length === 0)
            return [];
        this.groups ??= (async () => {
            const elb = await traffic.elb();
            const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callServiceWithRetry */ .oK)('ELBv2 DescribeTargetGroups', () => elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__.DescribeTargetGroupsCommand({ Names: this.names })), (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(this.ctx, 3), hints('elasticloadbalancing:DescribeTargetGroups'));
            return (out.TargetGroups ?? []).map(toView);
        })();
        // A failed read is tried again next time.
        return this.groups.catch((err) => {
            this.groups = undefined;
            throw err;
        });
    }
    /** deregistration_delay.timeout_seconds: how long BlockTraffic waits for connections to drain. */
    async deregistrationDelaySeconds(group) {
        let delay = this.delays.get(group.arn);
        if (!delay) {
            delay = (async () => {
                const elb = await this.ctx.traffic.elb();
                const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callServiceWithRetry */ .oK)('ELBv2 DescribeTargetGroupAttributes', () => elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__.DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.arn })), (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(this.ctx, 3), hints('elasticloadbalancing:DescribeTargetGroupAttributes'));
                const v = out.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
                return v && /^\d+$/.test(v) ? Number(v) : DEFAULT_DEREGISTRATION_DELAY_SECONDS;
            })();
            this.delays.set(group.arn, delay);
        }
        return delay;
    }
    /**
     * The health of these instances in every target group (ELBv2 answers `unused` for one not
     * registered); all registered targets when `instanceIds` is empty.
     */
    async health(instanceIds = []) {
        const groups = await this.list();
        if (groups.length === 0)
            return [];
        const elb = await this.ctx.traffic.elb();
        const views = [];
        for (const g of groups) {
            const out = await (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .callServiceWithRetry */ .oK)('ELBv2 DescribeTargetHealth', () => elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__.DescribeTargetHealthCommand({
                TargetGroupArn: g.arn,
                ...(instanceIds.length ? { Targets: instanceIds.map((Id) => ({ Id })) } : {})
            })), (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .fewAttempts */ .X8)(this.ctx, 3), hints('elasticloadbalancing:DescribeTargetHealth'));
            for (const d of out.TargetHealthDescriptions ?? []) {
                if (!d.Target?.Id)
                    continue;
                views.push({
                    targetGroup: g.name,
                    instanceId: d.Target.Id,
                    state: d.TargetHealth?.State ?? 'unknown',
                    ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
                    ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {})
                });
            }
        }
        return views;
    }
}
/** States in which a target is registered at all (unused: not registered; unavailable: health checks off). */
function isRegistered(state) {
    return state !== 'unused' && state !== 'unavailable' && state !== 'unknown';
}


/***/ })

};
