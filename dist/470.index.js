export const id = 470;
export const ids = [470];
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
            const octokit = getOctokit(o.token, { baseUrl: o.apiUrl });
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
/** What failed and what to check; never the token. */
function describeGithubError(err, repository) {
    const e = err;
    const said = (e.message ?? String(err)).split('\n')[0];
    // Octokit reports a request that got no answer (a timeout, a refused connection) as status 500
    // without a response, the fetch error as its cause: that 500 is not GitHub's.
    const status = e.response !== undefined || e.cause === undefined ? e.status : undefined;
    if ([e.name, e.cause?.name].some((n) => n === 'TimeoutError' || n === 'AbortError'))
        return `GitHub did not answer within ${GITHUB_TIMEOUT_MS / 1000} s`;
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
;// CONCATENATED MODULE: ./src/revisions/deployed.ts
// What a deployment group last ran, and which commit: GetDeploymentGroup's last attempted and
// last successful deployments, GetDeployment's revision, and that S3 object's metadata
// (HeadObject). Every read is best effort: what cannot be read is said, and never blocks a deploy.





/** A few quick attempts on throttling and transient errors. */
function send(ctx, fn) {
    const o = (0,retry/* fewAttempts */.X8)(ctx, 3);
    return (0,retry/* retry */.L5)(fn, (0,retry/* awsPolicy */.kv)({
        attempts: 3,
        sleep: o.sleep,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(o.random ? { random: o.random } : {})
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
        return commit && /^[0-9a-f]{40}$/.test(commit)
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
        const etag = head.ETag?.replace(/"/g, '');
        if (!s3.version && s3.eTag && etag && etag !== s3.eTag.replace(/"/g, ''))
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
    async beforeUpload(log) {
        const facts = {
            ours: this.ours,
            serverUrl: this.settings.run.serverUrl,
            groups: []
        };
        if (!this.enabled) {
            log.info('GITHUB_SHA is not a full commit id: the order of commits is not checked, and the object records no commit.');
            return facts;
        }
        for (const group of this.settings.deploymentGroups) {
            const g = await this.check(group, log, true);
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
    async gate(group, log) {
        return this.check(group, log, false);
    }
    async check(group, log, withChanges) {
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
            this.say(g, log, before);
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
        this.say(g, log, before);
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
    say(g, log, before) {
        if (before &&
            before.last?.deploymentId === g.last?.deploymentId &&
            before.unreadable === g.unreadable)
            return;
        const v = g.verdict;
        if (v.kind === 'deploy' && v.say)
            log[v.say.level](v.say.text);
    }
}

;// CONCATENATED MODULE: ./src/stages/revisions.ts




function orderCheck(aws, settings, deps) {
    const history = historyChain([
        gitHistory(gitIn(settings.workspace, deps.env)),
        githubHistory({
            token: settings.githubToken,
            repository: settings.run.repository,
            apiUrl: settings.run.apiUrl
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
