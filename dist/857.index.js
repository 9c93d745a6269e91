export const id = 857;
export const ids = [857];
export const modules = {

/***/ 3238:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAwsClients: () => (/* binding */ createAwsClients)
});

// UNUSED EXPORTS: USER_AGENT, createTrafficClients, endpointFrom

// EXTERNAL MODULE: ./package.json
var package_0 = __webpack_require__(8330);
// EXTERNAL MODULE: ./src/settings/constants.ts
var constants = __webpack_require__(6804);
// EXTERNAL MODULE: ./src/settings/region.ts
var settings_region = __webpack_require__(5245);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./src/network/agent-fetch.ts
// A fetch for Octokit (GitHub's compare API) over node:http with the route agents, so the GitHub
// call takes the same proxy, no_proxy and CAs as the AWS calls. Node's own fetch cannot take an
// http.Agent, and undici (whose ProxyAgent @actions/github would use) is not bundled.


const MAX_REDIRECTS = 5;
/** fetch(url, init) for JSON APIs: method, headers, a string or bytes body, signal, redirects followed. */
function agentFetch(agents) {
    const go = async (input, init = {}, hops = 0) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = (init.method ?? 'GET').toUpperCase();
        const headers = {};
        new Headers(init.headers).forEach((value, name) => (headers[name] = value));
        const body = await bodyBytes(init.body);
        if (body)
            headers['content-length'] = String(body.length);
        const res = await send(url, method, headers, body, agents, init.signal ?? undefined);
        const location = res.headers.location;
        if ([301, 302, 303, 307, 308].includes(res.statusCode ?? 0) &&
            location &&
            init.redirect !== 'manual') {
            res.resume();
            if (hops >= MAX_REDIRECTS)
                throw new TypeError(`fetch failed: more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
            const next = new URL(location, url);
            // 303, and 301/302 after a POST, become a GET without a body (as fetch does).
            const keep = res.statusCode === 307 || res.statusCode === 308 || method === 'GET' || method === 'HEAD';
            // The token goes only where it was sent: never to another origin.
            const sameOrigin = next.origin === url.origin;
            const nextHeaders = new Headers(init.headers);
            if (!sameOrigin)
                nextHeaders.delete('authorization');
            return go(next, { ...init, headers: nextHeaders, ...(keep ? {} : { method: 'GET', body: undefined }) }, hops + 1);
        }
        const data = await readAll(res);
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
            responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const nullBody = status === 204 || status === 205 || status === 304 || method === 'HEAD';
        const response = new Response(nullBody ? null : new Uint8Array(data), {
            status,
            statusText: res.statusMessage ?? '',
            headers: responseHeaders
        });
        Object.defineProperty(response, 'url', { value: url.href });
        return response;
    };
    return go;
}
function send(url, method, headers, body, agents, signal) {
    return new Promise((resolve, reject) => {
        const secure = url.protocol === 'https:';
        if (!secure && url.protocol !== 'http:') {
            reject(new TypeError(`fetch failed: ${url.protocol} is not http(s)`));
            return;
        }
        const request = (secure ? external_node_https_.request : external_node_http_.request)(url, { method, headers, agent: secure ? agents.https : agents.http, signal }, resolve);
        // As fetch reports it: a TypeError whose cause is the network error.
        request.on('error', (err) => reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err })));
        request.end(body);
    });
}
async function bodyBytes(body) {
    if (body === undefined || body === null)
        return undefined;
    if (typeof body === 'string')
        return Buffer.from(body);
    if (body instanceof ArrayBuffer)
        return Buffer.from(body);
    if (ArrayBuffer.isView(body))
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return Buffer.from(await new Response(body).arrayBuffer());
}
function readAll(res) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/network/ca-bundle.ts
// AWS_CA_BUNDLE, read as the AWS CLI reads it: a PEM file of CA certificates. The JavaScript SDK
// ignores it, and Node reads NODE_EXTRA_CA_CERTS only when the process starts, so the action
// adds these CAs to what Node already trusts, for every connection it makes.




const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** The bundle AWS_CA_BUNDLE names, or undefined when it is unset; an unreadable or empty file is an error. */
function readCaBundle(env, read = (p) => (0,external_node_fs_.readFileSync)(p, 'utf8')) {
    const path = env.AWS_CA_BUNDLE?.trim();
    if (!path)
        return undefined;
    let text;
    try {
        text = read(path);
    }
    catch (err) {
        const why = err.code ?? err.message;
        throw new errors/* ActionError */.lZ(`AWS_CA_BUNDLE is '${path}', which cannot be read (${why}).`, 'Set it to the path of a PEM file of CA certificates on the runner (for instance written by an earlier step), or unset it.');
    }
    const certificates = text.match(PEM) ?? [];
    const bad = certificates.findIndex((pem) => !parses(pem));
    if (certificates.length === 0 || bad >= 0) {
        throw new errors/* ActionError */.lZ(certificates.length === 0
            ? `AWS_CA_BUNDLE is '${path}', which holds no PEM certificate (-----BEGIN CERTIFICATE-----).`
            : `AWS_CA_BUNDLE is '${path}', whose certificate number ${bad + 1} cannot be read.`, 'Give it the CA certificates in PEM form (openssl x509 -inform der -in ca.der -out ca.pem converts a DER file).');
    }
    return { path, certificates };
}
/** What Node trusts (its roots, NODE_EXTRA_CA_CERTS, the system store when enabled) plus the bundle. */
function trustedCas(bundle) {
    if (!bundle)
        return undefined;
    // tls.getCACertificates (Node 22.15+) includes NODE_EXTRA_CA_CERTS; rootCertificates does not.
    const base = typeof external_node_tls_.getCACertificates === 'function'
        ? external_node_tls_.getCACertificates('default')
        : [...external_node_tls_.rootCertificates];
    return [...base, ...bundle.certificates];
}
function parses(pem) {
    try {
        new external_node_crypto_.X509Certificate(pem);
        return true;
    }
    catch {
        return false;
    }
}

// EXTERNAL MODULE: ./src/network/proxy-env.ts
var proxy_env = __webpack_require__(2996);
// EXTERNAL MODULE: ./node_modules/https-proxy-agent/dist/index.js + 1 modules
var dist = __webpack_require__(1566);
// EXTERNAL MODULE: ./node_modules/http-proxy-agent/dist/index.js
var http_proxy_agent_dist = __webpack_require__(8947);
// EXTERNAL MODULE: ./src/network/network-errors.ts
var network_errors = __webpack_require__(9878);
;// CONCATENATED MODULE: ./src/network/route-agent.ts
// The http.Agent every AWS client and the GitHub call use: per request it goes direct or through
// the proxy the environment names (proxy-env.ts), and trusts AWS_CA_BUNDLE's CAs besides Node's.
// The tunnels are https-proxy-agent (CONNECT, for https://) and http-proxy-agent (absolute URLs,
// for http://, as curl and the AWS CLI send them); this file only chooses between them and turns
// their failures into errors that name the proxy.






const endpointOf = (opts, secure) => `${opts.host ?? 'localhost'}:${opts.port || (secure ? 443 : 80)}`;
/** Direct https: Node's agent, with the bundle's CAs, and TLS errors that say which endpoint. */
class DirectHttpsAgent extends external_node_https_.Agent {
    createConnection(options, callback) {
        const socket = super.createConnection(options, callback);
        socket.once('error', (err) => (0,network_errors/* tagEndpoint */.Ms)(err, endpointOf(options, true)));
        return socket;
    }
}
/** CONNECT through `proxy`: a refusal (407, 403, 502...) is an error naming the proxy, not a response. */
class ConnectTunnel extends dist/* HttpsProxyAgent */.b {
    route;
    tlsOptions;
    constructor(route, tlsOptions) {
        super(route.url.href, tlsOptions);
        this.route = route;
        this.tlsOptions = tlsOptions;
    }
    async connect(req, opts) {
        const endpoint = endpointOf(opts, opts.secureEndpoint);
        let answer;
        const onAnswer = (a) => {
            answer = a;
        };
        req.once('proxyConnect', onAnswer);
        let socket;
        try {
            // HttpsProxyAgent keeps its own options out of the endpoint's TLS: the CAs go in here.
            const ca = this.tlsOptions.ca;
            socket = (await super.connect(req, (ca ? { ...opts, ca } : opts)));
        }
        catch (err) {
            throw (0,network_errors/* proxyUnreachable */.$M)(this.route, endpoint, err);
        }
        finally {
            req.off('proxyConnect', onAnswer);
        }
        if (answer && answer.statusCode !== 200) {
            socket.destroy();
            throw (0,network_errors/* proxyRefused */.rZ)(this.route, endpoint, answer.statusCode, answer.statusText);
        }
        socket.once('error', (err) => (0,network_errors/* tagEndpoint */.Ms)(err, endpoint));
        return socket;
    }
}
/** Absolute-URL forwarding through `proxy`; its 407 carries the error that names it. */
class ForwardProxy extends http_proxy_agent_dist/* HttpProxyAgent */.s {
    route;
    constructor(route, opts) {
        super(route.url.href, opts);
        this.route = route;
    }
    addRequest(req, opts) {
        const endpoint = endpointOf(opts, false);
        req.prependOnceListener('response', (res) => {
            if (res.statusCode !== 407)
                return;
            const err = (0,network_errors/* proxyRefused */.rZ)(this.route, endpoint, 407, res.statusMessage);
            res.headers[network_errors/* PROXY_ANSWER_HEADER */.OT] = JSON.stringify({
                message: err.message,
                advice: err.advice
            });
        });
        super.addRequest(req, opts);
    }
    async connect(req, opts) {
        try {
            return (await super.connect(req, opts));
        }
        catch (err) {
            throw (0,network_errors/* proxyUnreachable */.$M)(this.route, endpointOf(opts, false), err);
        }
    }
}
/**
 * Chooses, per request, the direct agent or the tunnel to the proxy for its URL, and hands the
 * request to it as Node would have (addRequest is called while the request is built, before its
 * head is written). One instance per protocol: Node checks that an agent's protocol matches.
 */
class RouteAgent extends external_node_http_.Agent {
    secure;
    opts;
    direct;
    tunnels = new Map();
    common;
    constructor(secure, opts) {
        super({ keepAlive: true, maxSockets: opts.maxSockets ?? 50 });
        this.secure = secure;
        this.opts = opts;
        // keepAlive and 50 sockets per host: what the SDK's default agents do. The CAs also verify
        // an https:// proxy itself.
        this.common = {
            keepAlive: true,
            maxSockets: opts.maxSockets ?? 50,
            ...(opts.ca ? { ca: opts.ca } : {})
        };
        Object.assign(this, { protocol: secure ? 'https:' : 'http:', defaultPort: secure ? 443 : 80 });
        this.direct = secure ? new DirectHttpsAgent(this.common) : new external_node_http_.Agent(this.common);
    }
    /** The agent a request to host:port takes. */
    route(host, port) {
        const scheme = this.secure ? 'https' : 'http';
        const url = new URL(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`);
        const proxy = (0,proxy_env/* proxyFor */.iJ)(url, this.opts.proxies);
        if (!proxy)
            return this.direct;
        let tunnel = this.tunnels.get(proxy.url.href);
        if (!tunnel) {
            tunnel = this.secure
                ? new ConnectTunnel(proxy, this.common)
                : new ForwardProxy(proxy, this.common);
            this.tunnels.set(proxy.url.href, tunnel);
        }
        return tunnel;
    }
    // Not in @types/node, but Node's public agent hook (ClientRequest calls it).
    addRequest(req, options) {
        const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
        const port = Number(options.port) || (this.secure ? 443 : 80);
        this.route(host, port).addRequest(req, options);
    }
    destroy() {
        this.direct.destroy();
        for (const t of this.tunnels.values())
            t.destroy();
        super.destroy();
    }
}

;// CONCATENATED MODULE: ./src/network/network.ts
// How the action reaches AWS and GitHub from this runner: the proxy variables and AWS_CA_BUNDLE,
// read and checked once (before any call), and the agents and fetch every client is given.




/** Reads the environment; a malformed proxy variable or an unreadable AWS_CA_BUNDLE throws an ActionError. */
function networkFrom(env, readFile) {
    const proxies = (0,proxy_env/* readProxyEnv */.sK)(env);
    const caBundle = readCaBundle(env, readFile);
    const ca = trustedCas(caBundle);
    const httpAgent = new RouteAgent(false, { proxies, ca });
    const httpsAgent = new RouteAgent(true, { proxies, ca });
    return {
        proxies,
        ...(caBundle ? { caBundle } : {}),
        httpAgent,
        httpsAgent,
        fetch: agentFetch({ http: httpAgent, https: httpsAgent }),
        describe: () => describeNetwork(proxies, caBundle),
        destroy: () => {
            httpAgent.destroy();
            httpsAgent.destroy();
        }
    };
}
function describeNetwork(proxies, caBundle) {
    const parts = [];
    if (proxies.https)
        parts.push(`https:// through ${proxies.https.shown} (${proxies.https.variable})`);
    if (proxies.http)
        parts.push(`http:// through ${proxies.http.shown} (${proxies.http.variable})`);
    if (parts.length && proxies.noProxyVariable)
        parts.push(`except what ${proxies.noProxyVariable} names and loopback`);
    if (caBundle)
        parts.push(`trusting the ${caBundle.certificates.length} CA certificate${caBundle.certificates.length === 1 ? '' : 's'} of AWS_CA_BUNDLE (${caBundle.path}) besides Node's`);
    return parts.length ? `Network: ${parts.join('; ')}.` : undefined;
}

;// CONCATENATED MODULE: ./src/aws/clients.ts
// Builds the S3 and CodeDeploy clients. The SDK is imported only here, on demand, so the
// action's first log line and a dry run never pay for loading it.





const USER_AGENT = ['codedeploy-s3-deploy-action', package_0/* version */.rE];
// Idle-socket limits catch a server that stops answering (S3 answers a part within seconds of
// receiving it). A part may take minutes on a slow link while bytes flow, so S3 gets no total-time
// limit. Worst case on a dead S3: 30 s × 4 attempts. CodeDeploy calls are small and quick.
const S3_HTTP = { connectionTimeout: 10_000, socketTimeout: 30_000 };
const CODEDEPLOY_HTTP = {
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
    requestTimeout: 60_000,
    throwOnRequestTimeout: true
};
const QUIET = { debug() { }, info() { }, warn() { }, error() { } };
// Adaptive retry rate-limits the client itself when CodeDeploy throttles the poller.
const S3_RETRY = { retryMode: 'standard', maxAttempts: 4 };
const CODEDEPLOY_RETRY = { retryMode: 'adaptive', maxAttempts: 8 };
/**
 * The endpoint the SDK's standard variables name for a service (AWS_ENDPOINT_URL_S3, then
 * AWS_ENDPOINT_URL), honouring AWS_IGNORE_CONFIGURED_ENDPOINT_URLS; undefined means AWS itself.
 * The SDK reads the same variables from process.env; reading them here lets S3 switch to
 * path-style addressing, which an S3-compatible server on an IP address needs.
 */
function endpointFrom(service, env) {
    if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? ''))
        return undefined;
    const name = env[`AWS_ENDPOINT_URL_${service}`]
        ? `AWS_ENDPOINT_URL_${service}`
        : 'AWS_ENDPOINT_URL';
    const value = env[name]?.trim();
    if (!value)
        return undefined;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
        throw new errors/* ActionError */.lZ(`${name} is '${value}', which is not an http(s) URL.`, `Set it to an endpoint such as http://127.0.0.1:7480, or unset it.`);
    }
    return value;
}
function retryFrom(defaults, env) {
    const attempts = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10);
    return {
        retryMode: env.AWS_RETRY_MODE || defaults.retryMode,
        maxAttempts: attempts > 0 ? attempts : defaults.maxAttempts
    };
}
/**
 * Creates both clients. Fails with an InputError, before any AWS call, when no region can be
 * found in the input, the environment or the SDK's profile configuration.
 */
async function createAwsClients(opts) {
    const explicitRegion = (0,settings_region/* regionFrom */.b)(opts.region, opts.env);
    // Proxy variables and AWS_CA_BUNDLE are checked here, before the region probe or any call.
    const network = opts.network ?? networkFrom(opts.env);
    const [{ S3Client }, { CodeDeployClient }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)),
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507)]).then(__webpack_require__.t.bind(__webpack_require__, 7507, 19))
    ]);
    const region = explicitRegion ?? (await profileRegion(S3Client));
    const s3Endpoint = endpointFrom('S3', opts.env);
    const codedeployEndpoint = endpointFrom('CODEDEPLOY', opts.env);
    const s3 = new S3Client({
        region,
        customUserAgent: [USER_AGENT],
        // The SDK warns on the console when a streamed part fails (it does not retry those);
        // s3-upload.ts retries and reports them itself.
        logger: QUIET,
        requestHandler: { ...S3_HTTP, ...agentsOf(network) },
        ...retryFrom(S3_RETRY, opts.env),
        ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {})
    });
    const codedeploy = new CodeDeployClient({
        region,
        customUserAgent: [USER_AGENT],
        requestHandler: { ...CODEDEPLOY_HTTP, ...agentsOf(network) },
        ...retryFrom(CODEDEPLOY_RETRY, opts.env),
        ...(codedeployEndpoint ? { endpoint: codedeployEndpoint } : {})
    });
    return {
        s3,
        codedeploy,
        region,
        network,
        traffic: createTrafficClients(region, opts.env, network)
    };
}
/** The SDK's request handler takes Node agents: the proxy and the CAs come in through them. */
function agentsOf(network) {
    return { httpAgent: network.httpAgent, httpsAgent: network.httpsAgent };
}
/** Built on first use, once; same timeouts and retries as CodeDeploy's (small, quick calls). */
function createTrafficClients(region, env, network) {
    const common = {
        region,
        customUserAgent: [USER_AGENT],
        requestHandler: { ...CODEDEPLOY_HTTP, ...agentsOf(network) },
        ...retryFrom(CODEDEPLOY_RETRY, env)
    };
    let autoScaling;
    let elb;
    return {
        autoScaling: () => (autoScaling ??= Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(932)]).then(__webpack_require__.t.bind(__webpack_require__, 8932, 19)).then(({ AutoScalingClient }) => {
            const endpoint = endpointFrom('AUTO_SCALING', env);
            return new AutoScalingClient({ ...common, ...(endpoint ? { endpoint } : {}) });
        })),
        elb: () => (elb ??= Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(586)]).then(__webpack_require__.t.bind(__webpack_require__, 586, 19)).then(({ ElasticLoadBalancingV2Client }) => {
            const endpoint = endpointFrom('ELASTIC_LOAD_BALANCING_V2', env);
            return new ElasticLoadBalancingV2Client({ ...common, ...(endpoint ? { endpoint } : {}) });
        }))
    };
}
// The SDK's own chain: the region of the profile in ~/.aws/config (AWS_PROFILE, AWS_CONFIG_FILE).
async function profileRegion(S3) {
    const probe = new S3({});
    try {
        const region = await probe.config.region();
        if (region)
            return region;
    }
    catch {
        // No region in the profile either; reported below.
    }
    finally {
        probe.destroy();
    }
    throw new errors/* InputError */.dz(constants/* Input */.pd.Region, 'no AWS region is set.', 'Set the `region` input, or AWS_REGION (aws-actions/configure-aws-credentials sets it from its `aws-region`).');
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
