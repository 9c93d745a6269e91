export const id = 584;
export const ids = [584];
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
