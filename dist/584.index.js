export const id = 584;
export const ids = [584];
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


/***/ })

};
