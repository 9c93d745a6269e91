export const id = 21;
export const ids = [21];
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
