export const id = 986;
export const ids = [986];
export const modules = {

/***/ 3986:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   settleAfterStop: () => (/* binding */ settleAfterStop)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5448);
/* harmony import */ var _codedeploy_reads_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(375);
/* harmony import */ var _policy_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2776);
/* harmony import */ var _traffic_target_groups_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4541);
/* harmony import */ var _codedeploy_deployment_targets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(672);
/* harmony import */ var _codedeploy_wait_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3701);
// The post step's half of failed-replacement-fleet: wait (bounded) for a deployment stopped on
// cancel to end, then settle its copied Auto Scaling group as the main step would have.







async function settleAfterStop(o) {
    const { log, deploymentId } = o;
    try {
        const first = await (0,_codedeploy_reads_js__WEBPACK_IMPORTED_MODULE_1__/* .readDeployment */ .iJ)(o, deploymentId);
        if (!(0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .planOf */ .XC)(first).copiesAutoScalingGroup)
            return;
        // The waiter's own polling, backoff and bound, without the instances (fetched once below).
        const w = _codedeploy_wait_js__WEBPACK_IMPORTED_MODULE_5__/* .TERMINAL_STATUSES */ .CM.has(first.status ?? '')
            ? { kind: 'terminal', info: first }
            : await (0,_codedeploy_wait_js__WEBPACK_IMPORTED_MODULE_5__/* .waitForDeployment */ .Kw)({
                ...o,
                deploymentId,
                deadline: o.now() + o.waitMs,
                trackInstances: false
            });
        const info = w.info ?? first;
        if (w.kind !== 'terminal') {
            log.warning(`Deployment ${deploymentId} had not ended ${Math.round(o.waitMs / 1000)} s after the stop (status ${info.status}); its replacement Auto Scaling group is left as it is. Check it in the CodeDeploy console.`);
            return;
        }
        if (!(0,_policy_js__WEBPACK_IMPORTED_MODULE_2__/* .leavesReplacementFleet */ .D)(info))
            return;
        const instances = await (0,_codedeploy_deployment_targets_js__WEBPACK_IMPORTED_MODULE_4__/* .fetchInstances */ .t8)(deploymentId, { ...o, attempts: 3 });
        await (0,_policy_js__WEBPACK_IMPORTED_MODULE_2__/* .settleReplacementFleet */ .A)({
            ctx: o,
            info,
            instances,
            targetGroups: new _traffic_target_groups_js__WEBPACK_IMPORTED_MODULE_3__/* .TargetGroups */ .OG(o, (0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .planOf */ .XC)(info).targetGroups),
            policy: o.policy,
            region: o.region
        });
    }
    catch (err) {
        log.warning(`Could not settle the replacement fleet of deployment ${deploymentId}: ${err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ ? err.describe() : String(err)}`);
    }
}


/***/ })

};
