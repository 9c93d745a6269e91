export const id = 366;
export const ids = [366];
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

/***/ 5366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ir: () => (/* binding */ stripQuotes),
  uploadBundle: () => (/* binding */ uploadBundle)
});

// UNUSED EXPORTS: DEFAULT_QUEUE_SIZE, MIN_PART_SIZE, choosePartSize, contentTypeFor

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/log.ts
var common_log = __webpack_require__(1095);
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/common/duration.ts
var duration = __webpack_require__(5541);
;// CONCATENATED MODULE: ./src/aws/upload-progress.ts
// Upload progress as log lines: one every few seconds at most, so a long upload shows it is
// moving without flooding the log. The clock is a parameter, so tests need not wait.
const PROGRESS_INTERVAL_MS = 5_000;
const MIB = 1024 * 1024;
function formatMiB(bytes) {
    return `${(bytes / MIB).toFixed(1)} MiB`;
}
function formatRate(bytes, ms) {
    return ms > 0 ? `${((bytes / MIB) * (1000 / ms)).toFixed(1)} MiB/s` : '-';
}
class UploadProgress {
    total;
    log;
    now;
    intervalMs;
    started;
    lastLine;
    constructor(total, log, now, intervalMs = PROGRESS_INTERVAL_MS) {
        this.total = total;
        this.log = log;
        this.now = now;
        this.intervalMs = intervalMs;
        this.started = now();
        this.lastLine = this.started;
    }
    /** Called with the bytes uploaded so far; prints a line if the last one is old enough. */
    update(loaded) {
        const t = this.now();
        if (loaded >= this.total || t - this.lastLine < this.intervalMs)
            return;
        this.lastLine = t;
        const percent = Math.floor((loaded / this.total) * 100);
        this.log.info(`Uploading: ${percent}% (${formatMiB(loaded)} of ${formatMiB(this.total)}) at ${formatRate(loaded, t - this.started)}`);
    }
    /** Milliseconds since the upload started. */
    elapsed() {
        return this.now() - this.started;
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/aws/file-part.ts

const CHUNK = 64 * 1024;
/** Buffers per part: the request holds at most this many chunks not yet flushed. */
const SLOTS = 4;
class FilePart extends external_node_stream_.Readable {
    file;
    start;
    length;
    shortRead;
    offset = 0;
    constructor(file, start, length, 
    /** The error when the file ends before the part does (it changed since it was hashed). */
    shortRead) {
        super({ highWaterMark: CHUNK });
        this.file = file;
        this.start = start;
        this.length = length;
        this.shortRead = shortRead;
    }
    _read() {
        const want = Math.min(CHUNK, this.length - this.offset);
        if (want <= 0) {
            this.push(null);
            return;
        }
        this.file.read(Buffer.allocUnsafe(want), 0, want, this.start + this.offset).then(({ bytesRead, buffer }) => {
            if (bytesRead === 0)
                return this.destroy(this.shortRead());
            this.offset += bytesRead;
            this.push(buffer.subarray(0, bytesRead));
        }, (err) => this.destroy(err));
    }
    pipe(destination) {
        void this.pump(destination);
        return destination;
    }
    async pump(dest) {
        const size = Math.max(1, Math.min(CHUNK, this.length));
        const free = Array.from({ length: SLOTS }, () => Buffer.allocUnsafe(size));
        let wake;
        let failed = false;
        const release = (slot) => (err) => {
            if (err)
                failed = true;
            free.push(slot);
            wake?.();
        };
        try {
            for (let at = 0; at < this.length;) {
                while (free.length === 0 && !failed && !dest.destroyed)
                    await new Promise((resolve) => (wake = resolve));
                wake = undefined;
                // The request failed or was aborted: the SDK reports that; nothing more to send.
                if (failed || dest.destroyed)
                    return;
                const slot = free.pop();
                const want = Math.min(slot.length, this.length - at);
                const { bytesRead } = await this.file.read(slot, 0, want, this.start + at);
                if (bytesRead === 0)
                    throw this.shortRead();
                at += bytesRead;
                dest.write(slot.subarray(0, bytesRead), release(slot));
            }
            dest.end();
        }
        catch (err) {
            dest.destroy(err);
        }
        finally {
            this.destroy();
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/s3-upload.ts
// Puts the bundle in S3: reuses an identical object when one is there, otherwise streams the file
// up in parts with bounded memory, and never leaves a half-finished multipart upload behind.










const s3_upload_MIB = 1024 * 1024;
const MAX_PARTS = 10_000;
/**
 * Ten parts in flight, as `aws s3 cp` keeps (its max_concurrent_requests): far from the bucket,
 * each connection carries about a TCP window per round trip, so the number of connections sets
 * the speed (bench/REPORT.md, upload@RTT). Parts are streamed from the bundle file through a
 * few reused buffers (file-part.ts), so memory does not grow with them.
 */
const MIN_PART_SIZE = 8 * s3_upload_MIB;
const DEFAULT_QUEUE_SIZE = 10;
/** What the checksum pass reads at a time. */
const PART_READ_AHEAD = 256 * 1024;
/** The part size for a file: at least MIN_PART_SIZE, grown in whole MiB so there are at most 10,000 parts. */
function choosePartSize(size, min = MIN_PART_SIZE) {
    return Math.max(min, Math.ceil(Math.ceil(size / MAX_PARTS) / s3_upload_MIB) * s3_upload_MIB);
}
function contentTypeFor(name) {
    if (/\.zip$/i.test(name))
        return 'application/zip';
    if (/\.(tgz|tar\.gz)$/i.test(name))
        return 'application/gzip';
    if (/\.tar$/i.test(name))
        return 'application/x-tar';
    return 'application/octet-stream';
}
function stripQuotes(etag) {
    return etag.replace(/"/g, '');
}
async function uploadBundle(opts) {
    const { bucket, key, log } = opts;
    const uri = `s3://${bucket}/${key}`;
    throwIfCancelled(opts.signal, uri, false);
    const sdk = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const where = await whereIs(opts.s3);
    const existing = await findExisting(sdk, opts, where);
    if (existing.kind === 'same') {
        log.info(`Reusing ${uri}: an object with the same sha256 and size is already there (ETag ${existing.etag}` +
            `${existing.versionId ? `, version ${existing.versionId}` : ''}); not uploading.`);
        return { etag: existing.etag, versionId: existing.versionId, uploaded: false };
    }
    if (existing.kind === 'different') {
        log.warning(`${uri} already exists with different content (sha256 ${existing.sha256 ?? 'not recorded'}, ` +
            `${existing.size ?? '?'} bytes) and is being overwritten. A deployment still running from the old object ` +
            'fails unless the bucket is versioned; keep {bundle_hash} in `key` so different content gets its own key.');
    }
    if (existing.kind === 'other-commit') {
        log.info(`${uri} already holds this bundle, built from ${existing.commit ? `commit ${existing.commit}` : 'no recorded commit'}; ` +
            `uploading it again so the object records commit ${opts.metadata?.['git-commit'] ?? ''}.`);
    }
    if (existing.kind === 'unknown') {
        log.debug(`HeadObject on ${uri} was refused (403), so whether it already exists is unknown; uploading anyway ` +
            '(with the default key, one key always holds one bundle). Grant s3:GetObject and s3:ListBucket to let re-runs reuse it.');
    }
    const sent = await transfer(sdk, opts, uri, where, existing.kind === 'unknown');
    return { ...(await completeResult(sdk, opts, uri, sent)), uploaded: true };
}
async function findExisting(sdk, opts, where) {
    let head;
    try {
        head = await opts.s3.send(new sdk.HeadObjectCommand({
            Bucket: opts.bucket,
            Key: opts.key,
            ExpectedBucketOwner: opts.expectedBucketOwner
        }), { abortSignal: opts.signal });
    }
    catch (err) {
        const { code, status } = (0,aws_errors/* describeAwsError */.Pp)(err);
        // S3 answers 404 both for a missing key and a missing bucket; the upload names which.
        if (status === 404 || code === 'NotFound' || code === 'NoSuchKey')
            return { kind: 'absent' };
        // Without s3:ListBucket, S3 says 403 for a missing key, so 403 cannot mean "present".
        // A 403 from a bucket of another account looks the same; the upload's error body says which.
        if (status === 403)
            return { kind: 'unknown' };
        if ((0,aws_errors/* isAbortError */.zf)(err) || opts.signal?.aborted)
            throwIfCancelled(opts.signal, `s3://${opts.bucket}/${opts.key}`, false);
        throw (0,aws_errors/* toAwsCallError */.Dz)('S3 HeadObject', err, s3Hints(opts, where, err, ['s3:GetObject', 's3:ListBucket']));
    }
    const sha256 = head.Metadata?.sha256;
    const commit = opts.metadata?.['git-commit'];
    const sameCommit = !commit || head.Metadata?.['git-commit'] === commit;
    if (sha256 === opts.sha256 && head.ContentLength === opts.size && head.ETag) {
        if (!sameCommit)
            return { kind: 'other-commit', commit: head.Metadata?.['git-commit'] ?? '' };
        return { kind: 'same', etag: stripQuotes(head.ETag), versionId: versionOf(head.VersionId) };
    }
    return { kind: 'different', sha256, size: head.ContentLength };
}
/**
 * Runs the multipart (or single PUT) upload; on any failure or cancel, aborts it before throwing.
 * Each part is read from the file into one of `queueSize` reused buffers and sent as a Buffer
 * body (a stream would be sent aws-chunked, which some S3-compatible servers refuse), so memory
 * stays at queueSize × partSize and no dropped part buffers wait for the garbage collector.
 */
async function transfer(sdk, opts, uri, where, headRefused) {
    const { s3, log } = opts;
    const partSize = opts.partSize ?? choosePartSize(opts.size);
    const queueSize = Math.max(1, opts.queueSize ?? DEFAULT_QUEUE_SIZE);
    const parts = Math.max(1, Math.ceil(opts.size / partSize));
    const progress = new UploadProgress(opts.size, log, opts.now ?? Date.now);
    log.info(`Uploading ${(0,external_node_path_.basename)(opts.filePath)} (${formatMiB(opts.size)}) to ${uri}` +
        (parts > 1 ? ` in ${parts} parts of ${formatMiB(partSize)}` : ''));
    // One controller for everything in flight: the first failed request or the caller's signal
    // cancels the other parts at once instead of letting the rest of the file go up.
    const stop = new AbortController();
    let failure;
    /** Sends one request; a failure is recorded (the first one wins) and stops the rest. */
    const step = async (call, request) => {
        if (stop.signal.aborted)
            throw cancelled();
        try {
            return await request();
        }
        catch (err) {
            if (!stop.signal.aborted) {
                failure = { call: `S3 ${call}`, err };
                stop.abort();
            }
            throw err;
        }
    };
    const onCancel = () => stop.abort();
    opts.signal?.addEventListener('abort', onCancel, { once: true });
    const target = {
        Bucket: opts.bucket,
        Key: opts.key,
        ExpectedBucketOwner: opts.expectedBucketOwner
    };
    const object = {
        ...target,
        ContentType: contentTypeFor(opts.filePath),
        Metadata: { ...opts.metadata, sha256: opts.sha256 },
        ServerSideEncryption: opts.sse,
        SSEKMSKeyId: opts.sse === 'aws:kms' ? opts.sseKmsKeyId : undefined
    };
    const cancellable = { abortSignal: stop.signal };
    let file;
    let uploadId;
    let completed = false;
    try {
        if (opts.signal?.aborted)
            onCancel();
        file = await (0,promises_.open)(opts.filePath, 'r');
        let out;
        if (parts === 1) {
            const body = await readPart(file, opts.filePath, 0, Buffer.allocUnsafe(opts.size));
            out = await step('PutObject', () => s3.send(new sdk.PutObjectCommand({ ...object, Body: body, ContentLength: opts.size }), cancellable));
        }
        else {
            // Create and Complete are short and change server state: they are let finish, so an
            // upload that was created is known and can be aborted, and a completed one is not lost.
            const created = await step('CreateMultipartUpload', () => s3.send(new sdk.CreateMultipartUploadCommand(object)));
            uploadId = created.UploadId;
            const id = uploadId;
            const etags = [];
            let next = 0;
            let loaded = 0;
            const attempts = await s3.config.maxAttempts();
            const worker = async (source) => {
                while (!stop.signal.aborted && next < parts) {
                    const index = next++;
                    const start = index * partSize;
                    const length = Math.min(partSize, opts.size - start);
                    // The checksum S3 verifies, computed first: sent as a header, the part's bytes can
                    // then stream from the file (a stream the SDK checksums itself goes aws-chunked,
                    // which some S3-compatible servers refuse). Reading twice costs page-cache reads only.
                    const checksum = await partCrc32(source, opts.filePath, start, length);
                    const sent = await step('UploadPart', () => 
                    // The SDK does not retry a streamed body (it cannot rewind it): each attempt here
                    // opens the part afresh, with the client's number of attempts.
                    (0,retry/* retry */.L5)(() => s3.send(new sdk.UploadPartCommand({
                        ...target,
                        UploadId: id,
                        PartNumber: index + 1,
                        Body: new FilePart(source, start, length, () => sizeChanged(opts.filePath)),
                        ContentLength: length,
                        ChecksumCRC32: checksum
                    }), cancellable), {
                        attempts,
                        retryable: (err) => (0,aws_errors/* isTransient */.dg)(err) && !(0,aws_errors/* isAbortError */.zf)(err),
                        delayMs: (attempt, err) => (0,retry/* backoffMs */.jo)(attempt, (0,aws_errors/* isThrottling */.E2)(err)),
                        sleep: opts.sleep ?? common_log/* realSleep */.u,
                        signal: stop.signal,
                        onRetry: (err, attempt, ms) => log.debug(`UploadPart ${index + 1} failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); attempt ${attempt + 1} of ${attempts} in ${ms} ms.`)
                    }));
                    etags[index] = sent.ETag;
                    loaded += length;
                    progress.update(loaded);
                }
            };
            const source = file;
            await Promise.all(Array.from({ length: Math.min(queueSize, parts) }, () => worker(source).catch((err) => {
                // A read error: recorded like a failed request, so the other parts stop too.
                if (!stop.signal.aborted) {
                    failure = { call: 'S3 Upload', err };
                    stop.abort();
                }
            })));
            if (stop.signal.aborted)
                throw failure?.err ?? cancelled();
            // A file that grew was read only up to its recorded size: not what was hashed.
            if ((await source.stat()).size !== opts.size)
                throw sizeChanged(opts.filePath);
            out = await step('CompleteMultipartUpload', () => s3.send(new sdk.CompleteMultipartUploadCommand({
                ...target,
                UploadId: id,
                MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }
            })));
            completed = true;
        }
        progress.update(opts.size);
        const ms = progress.elapsed();
        log.info(`Uploaded ${formatMiB(opts.size)} to ${uri} in ${(0,duration/* formatDuration */.a)(ms, { precise: true })} (${formatRate(opts.size, ms)})`);
        return {
            etag: out.ETag ? stripQuotes(out.ETag) : undefined,
            versionId: versionOf(out.VersionId)
        };
    }
    catch (err) {
        if (!stop.signal.aborted)
            stop.abort();
        if (uploadId && !completed)
            await abortMultipart(sdk, opts, uri, uploadId);
        if (opts.signal?.aborted)
            throwIfCancelled(opts.signal, uri, true);
        const cause = failure ?? { call: 'S3 Upload', err };
        throw uploadError(opts, where, cause.call, cause.err, headRefused);
    }
    finally {
        opts.signal?.removeEventListener('abort', onCancel);
        await file?.close();
    }
}
function cancelled() {
    return Object.assign(new Error('Upload aborted.'), { name: 'AbortError' });
}
/** Fills `into` from the file at `start`; the file ending early means it changed. */
async function readPart(file, path, start, into) {
    let at = 0;
    while (at < into.length) {
        const { bytesRead } = await file.read(into, at, into.length - at, start + at);
        if (bytesRead === 0)
            throw sizeChanged(path);
        at += bytesRead;
    }
    return into;
}
/** CRC-32 of a part, base64 as S3 wants it, read in PART_READ_AHEAD pieces (readPart: the file ending early means it changed). */
async function partCrc32(file, path, start, length) {
    const piece = Buffer.allocUnsafe(Math.min(PART_READ_AHEAD, length));
    let crc = 0;
    for (let at = 0; at < length; at += piece.length) {
        const chunk = piece.subarray(0, Math.min(piece.length, length - at));
        crc = (0,external_node_zlib_.crc32)(await readPart(file, path, start + at, chunk), crc);
    }
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc >>> 0);
    return out.toString('base64');
}
/** Reported as a read failure of the bundle (uploadError: an error with a path, no code). */
function sizeChanged(path) {
    return Object.assign(new Error(`${path} changed size during the upload`), { path });
}
/**
 * Tries this long in all (the SDK's own retries aside) to abort when S3 is unreachable or failing:
 * an upload that broke because S3 went away is usually aborted once it is back.
 */
const ABORT_RETRY_DELAYS_MS = [2000, 4000, 6000, 8000];
async function abortMultipart(sdk, opts, uri, uploadId) {
    try {
        await (0,retry/* retry */.L5)(() => opts.s3.send(new sdk.AbortMultipartUploadCommand({
            Bucket: opts.bucket,
            Key: opts.key,
            UploadId: uploadId,
            ExpectedBucketOwner: opts.expectedBucketOwner
        })), {
            attempts: ABORT_RETRY_DELAYS_MS.length + 1,
            retryable: aws_errors/* isTransient */.dg,
            delayMs: (attempt) => ABORT_RETRY_DELAYS_MS[attempt - 1] ?? 0,
            sleep: opts.sleep ?? common_log/* realSleep */.u,
            onRetry: (err) => opts.log.debug(`Aborting multipart upload ${uploadId} failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); trying again.`)
        });
        opts.log.debug(`Aborted multipart upload ${uploadId} of ${uri}; no parts remain.`);
    }
    catch (err) {
        const { code } = (0,aws_errors/* describeAwsError */.Pp)(err);
        if (code === 'NoSuchUpload')
            return;
        const why = (0,aws_errors/* isTransient */.dg)(err) ? '' : ' The role needs s3:AbortMultipartUpload.';
        opts.log.warning(`Could not abort multipart upload ${uploadId} of ${uri} (${code}): its parts stay in the bucket (not as an object) ` +
            `until an AbortIncompleteMultipartUpload lifecycle rule removes them.${why}`);
    }
}
function uploadError(opts, where, call, err, headRefused) {
    // File-system errors name the file; a socket's EPIPE or ECONNRESET (S3 going away mid-upload)
    // has a syscall too, but no path, and is reported as the S3 call that failed.
    const e = err;
    if (typeof e.path === 'string') {
        return new errors/* ActionError */.lZ(`Could not read the bundle ${opts.filePath} while uploading (${String(e.code ?? 'size changed')}).`, 'It was changed or removed during the upload; re-run the job.');
    }
    const actions = [
        's3:PutObject',
        ...(opts.sse === 'aws:kms' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : [])
    ];
    const mapped = (0,aws_errors/* toAwsCallError */.Dz)(call, err, s3Hints(opts, where, err, actions));
    if (headRefused && mapped.code !== 'NoSuchBucket') {
        return new errors/* ActionError */.lZ(mapped.message, `${mapped.fix} (HeadObject on the key was refused too: s3:GetObject / s3:ListBucket.)`);
    }
    return mapped;
}
function s3Hints(opts, { region, endpoint }, err, iamActions) {
    const bucketRegion = headerOf(err, 'x-amz-bucket-region');
    const wrongRegion = `Bucket '${opts.bucket}' is not in region ${region}${bucketRegion ? ` (it is in ${bucketRegion})` : ''}: set \`region\` ` +
        "to the bucket's region; CodeDeploy needs the bucket in the same region as the deployment group.";
    const byCode = {
        NoSuchBucket: `Bucket '${opts.bucket}' does not exist in region ${region}: check \`bucket\` and \`region\`.`,
        PermanentRedirect: wrongRegion,
        TemporaryRedirect: wrongRegion,
        AuthorizationHeaderMalformed: wrongRegion,
        IllegalLocationConstraintException: wrongRegion,
        NoSuchUpload: 'The multipart upload was removed while it ran (a lifecycle rule or another process): re-run the job.',
        InvalidEncryptionAlgorithmError: 'Check `sse`: it must be AES256 or aws:kms.',
        'KMS.NotFoundException': `The KMS key in \`sse-kms-key-id\` was not found in region ${region}: check the key id or alias and its region.`,
        'KMS.DisabledException': 'The KMS key in `sse-kms-key-id` is disabled: enable it or use another key.',
        'KMS.KMSInvalidStateException': 'The KMS key in `sse-kms-key-id` is pending deletion or not usable: use another key.'
    };
    if (opts.expectedBucketOwner) {
        const owner = `Access to bucket '${opts.bucket}' was denied: either it belongs to another account than ` +
            `${opts.expectedBucketOwner} (check \`expected-bucket-owner\`), or the role lacks ${iamActions.join(', ')} ` +
            `on arn:aws:s3:::${opts.bucket}/${opts.key}.`;
        byCode.AccessDenied = owner;
        byCode.Forbidden = owner;
    }
    return {
        iamActions,
        endpoint,
        resource: `arn:aws:s3:::${opts.bucket}/${opts.key}`,
        byCode,
        fallback: 'Check `bucket`, `key`, `sse` and `sse-kms-key-id`.'
    };
}
async function whereIs(s3) {
    const region = await s3.config.region().catch(() => 'the configured region');
    const custom = await s3.config.endpoint?.().catch(() => undefined);
    const endpoint = custom
        ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}`
        : `S3 in ${region}`;
    return { region, endpoint };
}
async function completeResult(sdk, opts, uri, sent) {
    let { etag, versionId } = sent;
    // Some S3-compatible servers leave VersionId (or even the ETag) out of CompleteMultipartUpload;
    // a HEAD on the key has both. On an unversioned bucket it simply has no version.
    if (!etag || !versionId) {
        try {
            const head = await opts.s3.send(new sdk.HeadObjectCommand({
                Bucket: opts.bucket,
                Key: opts.key,
                ExpectedBucketOwner: opts.expectedBucketOwner
            }), { abortSignal: opts.signal });
            const headEtag = head.ETag ? stripQuotes(head.ETag) : undefined;
            // Only trust the HEAD if it sees the object we wrote, not one written after it.
            if (!etag)
                etag = headEtag;
            if (!versionId && headEtag === etag && head.Metadata?.sha256 === opts.sha256)
                versionId = versionOf(head.VersionId);
        }
        catch (err) {
            opts.log.debug(`HeadObject after the upload failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); version id unknown.`);
        }
    }
    if (!etag) {
        throw new errors/* ActionError */.lZ(`S3 returned no ETag for ${uri}.`, 'CodeDeploy needs it to pin the revision: check that the endpoint is S3 or fully S3-compatible.');
    }
    return { etag, versionId };
}
function versionOf(id) {
    // 'null' is what S3 reports for objects written while versioning was off or suspended.
    return id && id !== 'null' ? id : undefined;
}
function headerOf(err, name) {
    const headers = err?.$response?.headers;
    return headers?.[name];
}
function throwIfCancelled(signal, uri, started) {
    if (!signal?.aborted)
        return;
    throw new errors/* ActionError */.lZ(`Upload to ${uri} was cancelled.`, started
        ? 'The multipart upload was aborted; no partial object was left in the bucket.'
        : 'Nothing was uploaded.');
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
