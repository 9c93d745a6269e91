export const id = 548;
export const ids = [548,67];
export const modules = {

/***/ 8098:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   Dz: () => (/* binding */ toAwsCallError),
/* harmony export */   E2: () => (/* binding */ isThrottling),
/* harmony export */   Pp: () => (/* binding */ describeAwsError),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   w7: () => (/* binding */ isAccessDenied),
/* harmony export */   zf: () => (/* binding */ isAbortError)
/* harmony export */ });
/* unused harmony exports THROTTLING_CODES, networkCode, redactSecrets */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
// Turns any SDK or network error into an AwsCallError that names the call and the user's next
// step. Shared by the S3 and CodeDeploy edges; service-specific advice comes in through hints.

// Connection-level failures: the request may not have reached AWS, or its answer was lost.
const CONNECTION_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EPIPE',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'NetworkingError'
]);
// TLS failures: also "could not reach", but trying again will not help.
const TLS_CODES = new Set([
    'EPROTO',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'CERT_HAS_EXPIRED',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN'
]);
const CREDENTIAL_CODES = new Set([
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'InvalidSignatureException',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidToken',
    'MissingAuthenticationToken',
    'MissingAuthenticationTokenException',
    'AuthFailure'
]);
const EXPIRED_CODES = new Set([
    'ExpiredToken',
    'ExpiredTokenException',
    'TokenRefreshRequired',
    'RequestExpired'
]);
/** Every name AWS services give throttling; CodeDeploy's waiter shares it. */
const THROTTLING_CODES = new Set([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'BandwidthLimitExceeded',
    'ProvisionedThroughputExceededException'
]);
const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden']);
const SERVER_CODES = new Set([
    'InternalError',
    'InternalFailure',
    'InternalServerError',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'ServiceFailure'
]);
// What a bodiless response (HEAD) or an unparsed one is called, by HTTP status.
const STATUS_NAMES = {
    301: 'PermanentRedirect',
    307: 'TemporaryRedirect',
    400: 'BadRequest',
    403: 'Forbidden',
    404: 'NotFound',
    500: 'InternalError',
    503: 'ServiceUnavailable'
};
/** What the user is shown as the error's code and message, cleaned of SDK placeholders and secrets. */
function describeAwsError(err) {
    const parts = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err);
    const netCode = networkCode(err);
    let code = netCode ?? parts.code;
    if (['Unknown', 'UnknownError', 'Error', '403', '404', '400', '301'].includes(code) &&
        parts.status) {
        code = STATUS_NAMES[parts.status] ?? `HTTP${parts.status}`;
    }
    // The SDK says "UnknownError" when the response had no body to read a message from.
    const message = parts.message === 'UnknownError' || parts.message === code ? '' : parts.message;
    return { code, message: tidy(redactSecrets(message)), status: parts.status };
}
/** The Node network error code (ECONNREFUSED, ...) or timeout behind an SDK error, if that is what it is. */
function networkCode(err) {
    if (!err || typeof err !== 'object')
        return undefined;
    const e = err;
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || TLS_CODES.has(e.code)))
        return e.code;
    if (e.name === 'TimeoutError' && !e.$metadata?.httpStatusCode)
        return 'TimeoutError';
    return undefined;
}
// The one classification every retry uses, S3 and CodeDeploy alike.
function errorCode(err) {
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err).code;
}
function isThrottling(err) {
    const { code, message, status } = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err);
    return THROTTLING_CODES.has(code) || status === 429 || /rate exceeded/i.test(message);
}
/** Worth trying again: throttling, a 5xx, or the connection failing (not a TLS problem). */
function isTransient(err) {
    if (isThrottling(err))
        return true;
    const { code, message, status } = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err);
    if (status !== undefined && status >= 500)
        return true;
    const sysCode = err?.code;
    if (typeof sysCode === 'string' && CONNECTION_CODES.has(sysCode))
        return true;
    if (CONNECTION_CODES.has(code))
        return true;
    if (err?.$retryable)
        return true;
    return status === undefined && /socket hang up|ECONNRESET|ETIMEDOUT/.test(message);
}
function isAccessDenied(err) {
    const { code, status } = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err);
    return ACCESS_DENIED_CODES.has(code) || code === 'UnauthorizedOperation' || status === 403;
}
/** An abort the caller asked for (signal), as the SDK reports it. */
function isAbortError(err) {
    return !!err && typeof err === 'object' && err.name === 'AbortError';
}
/**
 * Maps any error thrown by an AWS call to an AwsCallError naming `call` (e.g. 'S3 HeadObject',
 * 'CodeDeploy CreateDeployment') and what to check. An AwsCallError passes through unchanged.
 */
function toAwsCallError(call, err, hints = {}) {
    if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ)
        return err;
    const { code, message, status } = describeAwsError(err);
    return new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ(call, code, message, adviceFor(err, code, status, hints), err);
}
function adviceFor(err, code, status, hints) {
    const specific = hints.byCode?.[code];
    if (specific)
        return specific;
    if (networkCode(err)) {
        const where = endpointOf(err) ?? hints.endpoint ?? 'the AWS endpoint';
        return code === 'TimeoutError' || code === 'ETIMEDOUT'
            ? `${where} did not answer in time: check the runner's network and the region; re-run if AWS was slow.`
            : `Could not reach ${where}: check the runner's network, the region, and AWS_ENDPOINT_URL* if set.`;
    }
    if (code === 'CredentialsProviderError' ||
        /could not load credentials/i.test((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err).message)) {
        return 'No AWS credentials were found: add aws-actions/configure-aws-credentials (OIDC role or access keys) before this step.';
    }
    if (EXPIRED_CODES.has(code)) {
        return 'The session credentials expired: raise role-duration-seconds in aws-actions/configure-aws-credentials, or re-run the job.';
    }
    if (CREDENTIAL_CODES.has(code)) {
        return 'AWS rejected the credentials: check the keys or role given to aws-actions/configure-aws-credentials in this job.';
    }
    if (THROTTLING_CODES.has(code)) {
        return 'AWS kept throttling after several retries: re-run later, or run fewer jobs against this account at once.';
    }
    if (ACCESS_DENIED_CODES.has(code) || status === 403) {
        const actions = hints.iamActions?.length
            ? hints.iamActions.join(', ')
            : 'the permission this call needs';
        const on = hints.resource ? ` on ${hints.resource}` : '';
        return `The credentials are not allowed to do this: grant ${actions}${on} to the role or user this job runs as.`;
    }
    if (code.startsWith('KMS.') || /kms/i.test(code)) {
        return 'The KMS key could not be used: check that it exists in this region, is enabled, and that its key policy allows this role.';
    }
    if (SERVER_CODES.has(code) || (status !== undefined && status >= 500)) {
        return 'AWS returned a server error even after retries: re-run the job; if it persists, check the AWS Health Dashboard.';
    }
    return hints.fallback ?? 'Check the inputs this call was made with.';
}
function endpointOf(err) {
    const e = err;
    if (typeof e.address === 'string')
        return typeof e.port === 'number' ? `${e.address}:${e.port}` : e.address;
    if (typeof e.hostname === 'string')
        return e.hostname;
    return undefined;
}
// Access key ids, and long mixed-case base64 runs (secret keys, session tokens, signatures).
// Hex digests are single-case, so sha256 values and ETags are left readable.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const LONG_TOKEN = /[A-Za-z0-9/+=]{40,}/g;
// A SigV4 signature (echoed as `Signature=…` or `SignatureProvided: …`) is 64 hex digits, like
// a sha256 digest, which stays: only hex right after a word starting with "signature" goes.
const SIGNATURE = /(signature\w*\W{0,3})[0-9a-f]{64}\b/gi;
/** Removes anything that looks like a credential from text AWS (or a fake of it) sent back. */
function redactSecrets(text) {
    return text
        .replace(ACCESS_KEY_ID, '***')
        .replace(SIGNATURE, '$1***')
        .replace(LONG_TOKEN, (run) => (/[a-z]/.test(run) && /[A-Z]/.test(run) ? '***' : run));
}
function tidy(text) {
    const oneLine = text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
    return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}


/***/ }),

/***/ 5431:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ codeDeployCallError)
/* harmony export */ });
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8098);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1922);
// How CodeDeploy API errors are explained (what the user should check); aws-errors.ts classifies them.


/** What to check, for errors any CodeDeploy call can meet. */
function genericCheck(call, err) {
    const { code, status } = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsErrorParts */ .OT)(err);
    if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAccessDenied */ .w7)(err))
        return `The credentials are not allowed to call it: grant the IAM action codedeploy:${call} to the role or user this workflow runs as.`;
    if (code === 'UnrecognizedClientException' ||
        code === 'InvalidSignatureException' ||
        code === 'ExpiredTokenException')
        return 'The AWS credentials are invalid or expired: check how the workflow configures them (aws-actions/configure-aws-credentials).';
    if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isThrottling */ .E2)(err))
        return 'CodeDeploy kept throttling the requests: try again later, or run fewer deployments at once.';
    if (status !== undefined && status >= 500)
        return 'CodeDeploy had an internal error: try again; if it persists check the AWS Health Dashboard.';
    if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg)(err))
        return 'The CodeDeploy endpoint could not be reached: check the region and the network (or AWS_ENDPOINT_URL_CODEDEPLOY).';
    return 'Check the region, the credentials and the inputs.';
}
/** Wraps any error of a CodeDeploy call into an AwsCallError naming the call, with `check` (unless transient) or a generic next step. */
function codeDeployCallError(call, err, check) {
    // Redacted and cleaned: AWS messages may echo request data.
    const { code, message } = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)(err);
    const useGeneric = !check || (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg)(err);
    return new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AwsCallError */ .iQ(call, code, message, useGeneric ? genericCheck(call, err) : check, err);
}


/***/ }),

/***/ 2495:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   ZG: () => (/* binding */ callWithRetry),
/* harmony export */   jo: () => (/* binding */ backoffMs),
/* harmony export */   kv: () => (/* binding */ awsPolicy)
/* harmony export */ });
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8098);
/* harmony import */ var _codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5431);


/** Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" so parallel runs spread out. */
function backoffMs(attempt, throttled, random = Math.random) {
    const base = throttled ? 2000 : 1000;
    const cap = throttled ? 30_000 : 10_000;
    const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/** Calls `fn` until it succeeds, throws an error not worth retrying, or the attempts run out; throws the last error as it came. */
async function retry(fn, policy) {
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (err) {
            if (attempt >= policy.attempts || policy.signal?.aborted || !policy.retryable(err))
                throw err;
            const delay = policy.delayMs(attempt, err);
            policy.onRetry?.(err, attempt, delay);
            await policy.sleep(delay, policy.signal);
            if (policy.signal?.aborted)
                throw err;
        }
    }
}
/** The policy for AWS API calls: transient errors, jittered exponential backoff, longer when throttled. */
function awsPolicy(opts) {
    return {
        attempts: opts.attempts,
        retryable: _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg,
        delayMs: (attempt, err) => backoffMs(attempt, (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isThrottling */ .E2)(err), opts.random),
        sleep: opts.sleep,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {})
    };
}
/** One CodeDeploy call with retries; any error becomes an AwsCallError naming `call`, with `check` as the advice. */
async function callWithRetry(call, fn, opts, check) {
    try {
        return await retry(fn, awsPolicy({
            attempts: opts.attempts ?? 6,
            sleep: opts.sleep,
            ...(opts.signal ? { signal: opts.signal } : {}),
            ...(opts.random ? { random: opts.random } : {}),
            onRetry: (err, _attempt, delay) => opts.log.debug(`${call}: ${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isThrottling */ .E2)(err) ? 'throttled' : 'transient error'}, retrying in ${delay} ms`)
        }));
    }
    catch (err) {
        throw (0,_codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .codeDeployCallError */ .v)(call, err, check?.(err));
    }
}


/***/ }),

/***/ 2548:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployToGroups: () => (/* binding */ deployToGroups)
});

// UNUSED EXPORTS: CANCEL_CONFIRM_MS, STOP_CONFIRM_MS

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/duration.ts
var duration = __webpack_require__(5541);
// EXTERNAL MODULE: ./src/common/plural.ts
var plural = __webpack_require__(9627);
// EXTERNAL MODULE: ./src/deploy/agent-silence.ts
var agent_silence = __webpack_require__(1368);
;// CONCATENATED MODULE: ./src/deploy/console-url.ts
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
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/codedeploy-errors.ts
var codedeploy_errors = __webpack_require__(5431);
// EXTERNAL MODULE: ./src/deploy/request.ts
var request = __webpack_require__(4046);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/deploy/progress.ts
var progress = __webpack_require__(524);
;// CONCATENATED MODULE: ./src/deploy/targets.ts




/** CodeDeploy's limit for BatchGetDeploymentTargets. */
const TARGETS_PER_BATCH = 25;
const TARGETS_CHECK = 'Per-instance details need the IAM actions codedeploy:ListDeploymentTargets and codedeploy:BatchGetDeploymentTargets.';
/** All target ids of a deployment; empty while CodeDeploy has not started it (DeploymentNotStartedException). */
async function listTargetIds(deploymentId, c) {
    const ids = [];
    let nextToken;
    do {
        try {
            const page = await (0,retry/* callWithRetry */.ZG)('ListDeploymentTargets', () => c.codedeploy.send(new dist_cjs.ListDeploymentTargetsCommand({ deploymentId, nextToken }), {
                abortSignal: c.signal
            }), c, (err) => ((0,aws_errors/* isAccessDenied */.w7)(err) ? TARGETS_CHECK : undefined));
            ids.push(...(page.targetIds ?? []));
            nextToken = page.nextToken || undefined;
        }
        catch (err) {
            if (err instanceof errors/* AwsCallError */.iQ && err.code === 'DeploymentNotStartedException')
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
        const out = await (0,retry/* callWithRetry */.ZG)('BatchGetDeploymentTargets', () => c.codedeploy.send(new dist_cjs.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: batch }), {
            abortSignal: c.signal
        }), c, (err) => ((0,aws_errors/* isAccessDenied */.w7)(err) ? TARGETS_CHECK : undefined));
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

;// CONCATENATED MODULE: ./src/deploy/wait.ts







const TERMINAL_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
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
/** Time between instance refreshes: each costs a list call and one call per 25 instances, so big fleets refresh less often. */
function targetsRefreshMs(instanceCount) {
    const batches = Math.max(1, Math.ceil(instanceCount / TARGETS_PER_BATCH));
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
    let printed;
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
                targetIds = await listTargetIds(deploymentId, targetsClient);
            }
            if (targetIds.length)
                instances = await getInstances(deploymentId, targetIds, targetsClient);
        }
        catch (err) {
            if (err instanceof errors/* AwsCallError */.iQ && (0,aws_errors/* isAccessDenied */.w7)(err.cause)) {
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
            const out = await codedeploy.send(new dist_cjs.GetDeploymentCommand({ deploymentId }), {
                abortSignal: signal ? AbortSignal.any([signal, overdue.signal]) : overdue.signal
            });
            failures = 0;
            info = out.deploymentInfo ?? {};
            const status = info.status ?? 'Unknown';
            const overview = toOverview(info);
            const terminal = TERMINAL_STATUSES.has(status);
            if (trackInstances &&
                (terminal || (status === 'InProgress' && now() >= nextTargetsRefresh))) {
                await refreshInstances(overview, terminal);
            }
            const snapshot = { status, overview, instances };
            for (const line of (0,progress/* describeChanges */.DT)(deploymentId, printed, snapshot))
                log.info(line);
            const refreshed = instances !== printed?.instances;
            printed = snapshot;
            // Also shown the final instances (an agent that answered just before the end is reported).
            const verdict = refreshed && instances ? opts.onInstances?.(instances) : undefined;
            if (terminal)
                return { kind: 'terminal', info, instances };
            if (verdict === 'halt')
                return { kind: 'halted', info, instances: instances };
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
            if (!(0,aws_errors/* isTransient */.dg)(err))
                throw (0,codedeploy_errors/* codeDeployCallError */.v)('GetDeployment', err, (0,aws_errors/* isAccessDenied */.w7)(err)
                    ? undefined
                    : `Check that deployment ${deploymentId} exists in this region.`);
            if (failures >= MAX_CONSECUTIVE_ERRORS) {
                const e = (0,codedeploy_errors/* codeDeployCallError */.v)('GetDeployment', err);
                throw new errors/* AwsCallError */.iQ('GetDeployment', e.code, `${failures} calls in a row failed, the last with: ${err.message ?? ''}`, `Deployment ${deploymentId} may still be running: follow it in the console. ${e.fix ?? ''}`.trim(), err);
            }
            delay = (0,retry/* backoffMs */.jo)(failures, (0,aws_errors/* isThrottling */.E2)(err), opts.random);
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

;// CONCATENATED MODULE: ./src/deploy/create.ts








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
    const shown = names.slice(0, NAMES_SHOWN).map((n) => `'${n}'`);
    return names.length > NAMES_SHOWN
        ? `${shown.join(', ')} and ${names.length - NAMES_SHOWN} more`
        : shown.join(', ');
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
    const overdue = AbortSignal.timeout(Math.max(0, o.deadline - o.now()) + CALL_GRACE_MS);
    return o.signal ? AbortSignal.any([o.signal, overdue]) : overdue;
}
/** The group's active deployment per ListDeployments; undefined when none, or when we may not list. */
async function findActiveDeployment(o) {
    try {
        const out = await o.codedeploy.send(new dist_cjs.ListDeploymentsCommand({
            applicationName: o.settings.application,
            deploymentGroupName: o.group,
            includeOnlyStatuses: [...ACTIVE_STATUSES]
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
                o.log.info(`CreateDeployment ${(0,aws_errors/* isThrottling */.E2)(err) ? 'was throttled' : `failed (${(0,aws_errors/* errorCode */.CA)(err)})`}; trying again in ${Math.ceil(delay / 1000)} s.`);
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
            await o.sleep(pollDelayMs(Number.MAX_SAFE_INTEGER), o.signal);
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
        const r = await waitForDeployment({
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

// EXTERNAL MODULE: ./src/deploy/diagnose.ts
var diagnose = __webpack_require__(7083);
;// CONCATENATED MODULE: ./src/deploy/rollback.ts


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
    const why = info.rollbackInfo?.rollbackMessage;
    log.info(`Auto-rollback is enabled, but CodeDeploy started no rollback${why ? `: ${why}` : ' (there may be no earlier successful revision to return to)'}.`);
    return undefined;
}

// EXTERNAL MODULE: ./src/deploy/stop.ts
var stop = __webpack_require__(9448);
;// CONCATENATED MODULE: ./src/deploy/group-run.ts











/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
const STOP_CONFIRM_MS = 60_000;
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
const CANCEL_CONFIRM_MS = 4000;
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
async function deployGroup(run, r) {
    const { ctx, settings, region } = run;
    const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000;
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
    const silence = settings.agentSilenceTimeoutMinutes > 0 ? new SilenceReporter(run, id) : undefined;
    const w = await waitForDeployment({
        ...ctx,
        deploymentId: id,
        deadline,
        ...(silence ? { onInstances: (instances) => silence.look(instances) } : {})
    });
    applyInfo(r, w.info);
    r.instances = w.instances ?? [];
    if (silence?.watch.everSilent().length)
        r.silentAgents = silence.watch.everSilent();
    switch (w.kind) {
        case 'halted':
            return haltedOnSilence(run, r, w, silence.watch);
        case 'terminal':
            return r.status === 'Succeeded' ? succeeded(run, r) : failed(run, r, w.info, deadline);
        case 'timed-out':
            return timedOut(run, r, w);
        case 'cancelled':
            return cancelled(run, r, w);
    }
}
function notCreated(run, r, created) {
    r.outcome = created.kind;
    const behind = created.activeDeploymentId
        ? ` behind deployment ${created.activeDeploymentId}`
        : '';
    r.error =
        created.kind === 'timed-out'
            ? new errors/* ActionError */.lZ(`Nothing was deployed to '${r.group}': it was still queued${behind} when wait-timeout (${(0,agent_silence/* minutesText */.BI)(run.settings.waitTimeoutMinutes)}) ran out.`, 'Raise wait-timeout, or stop the other deployment.')
            : new errors/* ActionError */.lZ(`The workflow was cancelled while queued${behind}; nothing was deployed to '${r.group}'.`);
}
function succeeded(run, r) {
    const { log } = run.ctx;
    r.outcome = 'succeeded';
    log.info(`Deployment ${r.id} to '${r.group}' succeeded${r.startedAt && r.endedAt ? ` in ${(0,duration/* formatDuration */.a)(r.endedAt.getTime() - r.startedAt.getTime())}` : ''}.`);
    // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
    // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    if (first)
        log.warning(`Deployment ${r.id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}. They are listed in failed-instances; console: ${r.url}`);
}
async function failed(run, r, info, deadline) {
    const { region } = run;
    r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    (0,diagnose/* reportFailure */.xV)(run.ctx.log, r.id, info, r.failedInstances, r.url, region);
    const rollback = await followRollback(run, r, info, deadline);
    const first = (0,diagnose/* distinctCauses */.x6)(r.failedInstances)[0];
    const why = first
        ? ` ${(0,plural/* plural */.L)(r.failedInstances.length, 'instance')} failed, first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}.`
        : '';
    const agentFailed = r.failedInstances.filter((f) => (0,agent_silence/* isAgentNotReceived */.Kq)(f.message));
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' ${r.status === 'Stopped' ? 'was stopped' : 'failed'}${errorText(info)}.${why}${rollback}`, first && (0,agent_silence/* isAgentNotReceived */.Kq)(first.message)
        ? `No CodeDeploy agent picked up the lifecycle event on ${agentFailed.length === 1 ? 'that instance' : `${agentFailed.length} instances`}. ${(0,agent_silence/* agentChecksText */.U$)(region, agentFailed.every((f) => labelOf(r, f.instanceId) === 'Green'))} Console: ${r.url}`
        : `The failing instances and their script output are above; console: ${r.url}`);
}
async function timedOut(run, r, w) {
    const { settings } = run;
    const minutes = (0,agent_silence/* minutesText */.BI)(settings.waitTimeoutMinutes);
    r.outcome = 'timed-out';
    if (settings.onTimeout === 'stop') {
        run.ctx.log.info(`Deployment ${r.id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`);
        await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS);
        r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`, `Raise wait-timeout if the deployment needs longer; console: ${r.url}`);
    }
    else {
        r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).`, `Follow it in the console (${r.url}); raise wait-timeout, or set on-timeout: stop to stop it instead.`);
    }
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
}
async function cancelled(run, r, w) {
    const { log } = run.ctx;
    r.outcome = 'cancelled';
    if (run.settings.stopOnCancel) {
        log.info(`The workflow was cancelled: stopping deployment ${r.id}.`);
        await stopAndConfirm(run, r, w.info, CANCEL_CONFIRM_MS);
    }
    else {
        log.info(`The workflow was cancelled; deployment ${r.id} keeps running (stop-on-cancel: false). ${r.url}`);
    }
    r.error = new errors/* ActionError */.lZ(`The workflow was cancelled while deployment ${r.id} to '${r.group}' was running; ${run.settings.stopOnCancel ? `it was stopped (status ${r.status})` : 'it was left running'}.`, `Console: ${r.url}`);
}
/** on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback. */
async function haltedOnSilence(run, r, w, watch) {
    const silent = watch.silentNow();
    run.ctx.log.info(`Stopping deployment ${r.id}: the CodeDeploy agent on ${(0,plural/* plural */.L)(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`);
    await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS);
    r.outcome = 'stopped';
    r.failedInstances = (0,diagnose/* failedInstancesOf */.$x)(r.instances);
    r.error = new errors/* ActionError */.lZ(`Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${(0,agent_silence/* minutesText */.BI)(run.settings.agentSilenceTimeoutMinutes)}) on ${(0,agent_silence/* silentList */.iI)(silent)}.${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`, `${(0,agent_silence/* agentChecksText */.U$)(run.region, silent.every((s) => s.label === 'Green'))} Console: ${r.url}`);
}
/** Watches for silent agents at each instance refresh: one warning, then a line per newly silent instance; 'halt' with on-agent-silence: fail. */
class SilenceReporter {
    run;
    id;
    watch;
    warned = false;
    constructor(run, id) {
        this.run = run;
        this.id = id;
        this.watch = new agent_silence/* AgentWatch */.FO(run.settings.agentSilenceTimeoutMinutes * 60_000);
    }
    look(instances) {
        const { log, now } = this.run.ctx;
        const { settings, region } = this.run;
        const { newlySilent, answered } = this.watch.observe(instances, now());
        for (const s of answered)
            log.info(`${this.id} ${s.instanceId}: the CodeDeploy agent picked up ${s.event} after ${(0,duration/* formatDuration */.a)(now() - s.since)}.`);
        if (newlySilent.length === 0)
            return 'continue';
        if (settings.onAgentSilence === 'fail')
            return 'halt';
        if (!this.warned) {
            this.warned = true;
            const silent = this.watch.silentNow();
            log.warning((0,agent_silence/* silenceWarning */.If)(silent, settings.agentSilenceTimeoutMinutes, region), {
                title: `CodeDeploy agent not responding on ${(0,plural/* plural */.L)(silent.length, 'instance')}`
            });
            log.info(`Still waiting for deployment ${this.id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`);
        }
        else {
            log.info(`${this.id}: the agent is silent on more instances now: ${(0,agent_silence/* silentList */.iI)(newlySilent)}.`);
        }
        return 'continue';
    }
}
/** StopDeployment, then a short wait for CodeDeploy to say Stopped (the signal may be aborted: not used here). */
async function stopAndConfirm(run, r, info, confirmMs) {
    const { ctx, region } = run;
    const { signal: _cancelled, ...uncancelled } = ctx;
    const autoRollbackEnabled = (0,stop/* rollbackOnStop */.U)(run.settings.autoRollback, info?.autoRollbackConfiguration);
    const outcome = await (0,stop.stopDeployment)({ ...uncancelled, deploymentId: r.id, autoRollbackEnabled });
    const w = await waitForDeployment({
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
            r.instances = await fetchInstances(r.id, { ...uncancelled, attempts: 2 });
        }
        catch {
            // The summary keeps the instances last seen.
        }
    }
}
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
    const w = await waitForDeployment({
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
    return ` The rollback ${rollbackId} also ${r.rollbackStatus === 'Stopped' ? 'was stopped' : 'failed'}.`;
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
function labelOf(r, instanceId) {
    return r.instances.find((i) => i.instanceId === instanceId)?.label;
}
function errorText(info) {
    const ei = info?.errorInformation;
    const text = [ei?.code, ei?.message?.replace(/\.+$/, '')].filter(Boolean).join(': ');
    return text ? `: ${text}` : '';
}

;// CONCATENATED MODULE: ./src/deploy/run-deployments.ts
// The deploy phase: each deployment group in order (group-run.ts), stopping at the first that
// does not succeed.



async function deployToGroups(opts) {
    const { settings, revision, region, onCreated, ...ctx } = opts;
    const run = { ctx, settings, region, revision, ...(onCreated ? { onCreated } : {}) };
    const groups = settings.deploymentGroups.map(emptyResult);
    for (const r of groups) {
        try {
            await deployGroup(run, r);
        }
        catch (err) {
            if (!(err instanceof errors/* ActionError */.lZ))
                throw err;
            r.outcome = 'failed';
            r.error = err;
        }
        if (r.outcome !== 'succeeded' && r.outcome !== 'created')
            break;
    }
    const firstBad = groups.find((g) => g.error);
    const notAttempted = groups
        .filter((g) => g.outcome === 'not-attempted')
        .map((g) => `'${g.group}'`);
    if (firstBad && notAttempted.length) {
        ctx.log.info(`Not deploying to ${notAttempted.join(', ')}: the deployment to '${firstBad.group}' did not succeed.`);
    }
    return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) };
}


/***/ }),

/***/ 9448:
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


/***/ })

};
