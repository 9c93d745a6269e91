export const id = 201;
export const ids = [201];
export const modules = {

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createAwsClients: () => (/* binding */ createAwsClients)
/* harmony export */ });
/* unused harmony exports USER_AGENT, endpointFrom, createTrafficClients */
/* harmony import */ var _package_json__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8330);
/* harmony import */ var _settings_constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6804);
/* harmony import */ var _settings_region_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5245);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1922);
// Builds the S3 and CodeDeploy clients. The SDK is imported only here, on demand, so the
// action's first log line and a dry run never pay for loading it.




const USER_AGENT = ['codedeploy-s3-deploy-action', _package_json__WEBPACK_IMPORTED_MODULE_0__/* .version */ .rE];
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
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`${name} is '${value}', which is not an http(s) URL.`, `Set it to an endpoint such as http://127.0.0.1:7480, or unset it.`);
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
    const explicitRegion = (0,_settings_region_js__WEBPACK_IMPORTED_MODULE_2__/* .regionFrom */ .b)(opts.region, opts.env);
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
        requestHandler: S3_HTTP,
        ...retryFrom(S3_RETRY, opts.env),
        ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {})
    });
    const codedeploy = new CodeDeployClient({
        region,
        customUserAgent: [USER_AGENT],
        requestHandler: CODEDEPLOY_HTTP,
        ...retryFrom(CODEDEPLOY_RETRY, opts.env),
        ...(codedeployEndpoint ? { endpoint: codedeployEndpoint } : {})
    });
    return { s3, codedeploy, region, traffic: createTrafficClients(region, opts.env) };
}
/** Built on first use, once; same timeouts and retries as CodeDeploy's (small, quick calls). */
function createTrafficClients(region, env) {
    const common = {
        region,
        customUserAgent: [USER_AGENT],
        requestHandler: CODEDEPLOY_HTTP,
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
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(_settings_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Input */ .pd.Region, 'no AWS region is set.', 'Set the `region` input, or AWS_REGION (aws-actions/configure-aws-credentials sets it from its `aws-region`).');
}


/***/ })

};
