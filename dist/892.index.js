export const id = 892;
export const ids = [892];
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
/* harmony import */ var _network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9878);
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
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    ..._network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TLS_TRUST_CODES */ .CH
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
    const proxied = proxyAnswer(err);
    if (proxied)
        return { code: 'ProxyAuthenticationRequired', message: tidy(proxied.message), status: 407 };
    const parts = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorParts */ .OT)(err);
    const netCode = networkCode(err);
    let code = netCode ?? ((0,_network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isProxyError */ .dr)(err) ? err.code : parts.code);
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
    // The way to AWS failed (a proxy, a certificate): the fix is on the runner, whatever the call.
    const viaProxy = proxyAnswer(err)?.advice ?? ((0,_network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isProxyError */ .dr)(err) ? err.advice : undefined);
    if (viaProxy)
        return viaProxy;
    const where = endpointOf(err) ?? hints.endpoint ?? 'the AWS endpoint';
    const tls = (0,_network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .tlsAdvice */ .SD)(code, where);
    if (tls)
        return tls;
    const specific = hints.byCode?.[code];
    if (specific)
        return specific;
    if (networkCode(err)) {
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
/** What a proxy's own 407 to an http:// request stood for (route-agent.ts marks it). */
function proxyAnswer(err) {
    const headers = err?.$response
        ?.headers;
    const mark = headers?.[_network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .PROXY_ANSWER_HEADER */ .OT];
    if (!mark)
        return undefined;
    try {
        return JSON.parse(mark);
    }
    catch {
        return undefined;
    }
}
function endpointOf(err) {
    const tagged = (0,_network_network_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .taggedEndpoint */ .uC)(err);
    if (tagged)
        return tagged;
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
/* harmony export */   X8: () => (/* binding */ fewAttempts),
/* harmony export */   ZG: () => (/* binding */ callWithRetry),
/* harmony export */   jo: () => (/* binding */ backoffMs),
/* harmony export */   kv: () => (/* binding */ awsPolicy),
/* harmony export */   oK: () => (/* binding */ callServiceWithRetry)
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
/**
 * Retry options for a few quick attempts, without the run's cancel signal: the blue/green reads
 * and clean-up also run after a cancel (where the traffic is) and in the post step.
 */
function fewAttempts(ctx, attempts) {
    return {
        log: ctx.log,
        sleep: ctx.sleep,
        attempts,
        ...(ctx.random ? { random: ctx.random } : {})
    };
}
/** One call with retries (throttling and transient errors, with backoff); any error is mapped by `explain`. */
async function withRetries(call, fn, opts, explain) {
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
        throw explain(err);
    }
}
/** One CodeDeploy call with retries; any error becomes an AwsCallError naming `call`, with `check` as the advice. */
function callWithRetry(call, fn, opts, check) {
    return withRetries(call, fn, opts, (err) => (0,_codedeploy_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .codeDeployCallError */ .v)(call, err, check?.(err)));
}
/**
 * A call to a service other than CodeDeploy (Auto Scaling, ELBv2): retried like callWithRetry,
 * and explained through that service's IAM action and hints.
 */
function callServiceWithRetry(call, fn, opts, hints) {
    return withRetries(call, fn, opts, (err) => (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toAwsCallError */ .Dz)(call, err, hints));
}


/***/ }),

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


/***/ }),

/***/ 9878:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $M: () => (/* binding */ proxyUnreachable),
/* harmony export */   CH: () => (/* binding */ TLS_TRUST_CODES),
/* harmony export */   Ms: () => (/* binding */ tagEndpoint),
/* harmony export */   OT: () => (/* binding */ PROXY_ANSWER_HEADER),
/* harmony export */   SD: () => (/* binding */ tlsAdvice),
/* harmony export */   dr: () => (/* binding */ isProxyError),
/* harmony export */   rZ: () => (/* binding */ proxyRefused),
/* harmony export */   uC: () => (/* binding */ taggedEndpoint)
/* harmony export */ });
/* unused harmony export ProxyError */
/** Header route-agent.ts adds to a proxy's own 407 answer to an http:// request: the error it stands for. */
const PROXY_ANSWER_HEADER = 'x-codedeploy-action-proxy-answer';
/** A proxy could not be reached, or answered its CONNECT with something other than 200. */
class ProxyError extends Error {
    /** The Node error code when the proxy could not be reached (ECONNREFUSED, ...); else ProxyAuthenticationRequired or ProxyRefused. */
    code;
    /** The user's next step. */
    advice;
    /** host:port the request was for. */
    endpoint;
    constructor(message, code, advice, endpoint, cause) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = 'ProxyError';
        this.code = code;
        this.advice = advice;
        this.endpoint = endpoint;
    }
}
function isProxyError(err) {
    return err instanceof ProxyError || err?.name === 'ProxyError';
}
/** The proxy could not be reached: refused, unknown host, timed out. */
function proxyUnreachable(proxy, endpoint, cause) {
    const e = cause;
    const code = typeof e?.code === 'string' ? e.code : 'ProxyUnreachable';
    const said = typeof e?.message === 'string' ? e.message : String(cause);
    return new ProxyError(`Could not connect to the proxy ${proxy.shown} (${proxy.variable}) on the way to ${endpoint}: ${said}.`, code, `Check that the proxy is running and that ${proxy.variable} names its host and port; if ${hostPart(endpoint)} is reachable without it, add it to NO_PROXY.`, endpoint, cause);
}
/** The proxy answered the CONNECT (or, for http://, the request) with `status`. */
function proxyRefused(proxy, endpoint, status, statusText = '') {
    const answer = `${status}${statusText ? ` ${statusText}` : ''}`;
    if (status === 407) {
        const hasCredentials = !!(proxy.url.username || proxy.url.password);
        return new ProxyError(`The proxy ${proxy.shown} (${proxy.variable}) asked for credentials on the way to ${endpoint} (${answer}).`, 'ProxyAuthenticationRequired', hasCredentials
            ? `It refused the user name and password in ${proxy.variable}: check them (percent-encode @ : / and % in them).`
            : `Put them in ${proxy.variable}: http://user:password@host:port (percent-encode @ : / and % in them), from a secret.`, endpoint);
    }
    return new ProxyError(`The proxy ${proxy.shown} (${proxy.variable}) refused to connect to ${endpoint} (${answer}).`, 'ProxyRefused', `Ask its administrators to allow ${endpoint} (many proxies allow CONNECT to port 443 only), or add ${hostPart(endpoint)} to NO_PROXY if the runner can reach it directly.`, endpoint);
}
// Certificates signed by a CA the runner does not know (a TLS-inspecting proxy, a private endpoint).
const TLS_TRUST_CODES = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_UNTRUSTED'
]);
/** Advice for a certificate problem at `endpoint`, or undefined when `code` is not one. */
function tlsAdvice(code, endpoint) {
    if (TLS_TRUST_CODES.has(code)) {
        return (`The certificate of ${endpoint} is not signed by a CA this runner trusts (${code}): a TLS-inspecting proxy or a private endpoint signs with its own CA. ` +
            `Set AWS_CA_BUNDLE to that CA's PEM file (or NODE_EXTRA_CA_CERTS in the job's env).`);
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return `The certificate of ${endpoint} is for other host names (${code}): check AWS_ENDPOINT_URL* and the region, or the proxy's TLS inspection.`;
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
        return `The certificate of ${endpoint} is not valid now (${code}): check the runner's clock, or the proxy's or endpoint's certificate.`;
    }
    return undefined;
}
/** Marks a socket's errors with the host:port it was for, which TLS errors do not say. */
function tagEndpoint(err, endpoint) {
    if (err && typeof err === 'object' && !('endpoint' in err)) {
        Object.assign(err, { endpoint });
    }
}
/** host:port an error was tagged with (tagEndpoint, ProxyError). */
function taggedEndpoint(err) {
    const e = err;
    return typeof e?.endpoint === 'string' ? e.endpoint : undefined;
}
function hostPart(endpoint) {
    return endpoint.replace(/:\d+$/, '');
}


/***/ })

};
