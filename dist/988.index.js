export const id = 988;
export const ids = [988];
export const modules = {

/***/ 2988:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   settleAfterStop: () => (/* binding */ settleAfterStop)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
/* harmony import */ var _blue_green_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2349);
/* harmony import */ var _continue_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5306);
/* harmony import */ var _fleet_policy_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6183);
/* harmony import */ var _target_groups_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6875);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6809);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5158);
// The post step's half of failed-replacement-fleet: wait (bounded) for a deployment stopped on
// cancel to end, then settle its copied Auto Scaling group as the main step would have.







async function settleAfterStop(o) {
    const { log, deploymentId } = o;
    try {
        const first = await (0,_continue_js__WEBPACK_IMPORTED_MODULE_2__/* .readDeployment */ .iJ)(o, deploymentId);
        if (!(0,_blue_green_js__WEBPACK_IMPORTED_MODULE_1__/* .planOf */ .XC)(first).copiesAutoScalingGroup)
            return;
        // The waiter's own polling, backoff and bound, without the instances (fetched once below).
        const w = _wait_js__WEBPACK_IMPORTED_MODULE_6__/* .TERMINAL_STATUSES */ .CM.has(first.status ?? '')
            ? { kind: 'terminal', info: first }
            : await (0,_wait_js__WEBPACK_IMPORTED_MODULE_6__/* .waitForDeployment */ .Kw)({
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
        if (!(0,_fleet_policy_js__WEBPACK_IMPORTED_MODULE_3__/* .leavesReplacementFleet */ .D)(info))
            return;
        const instances = await (0,_targets_js__WEBPACK_IMPORTED_MODULE_5__/* .fetchInstances */ .t8)(deploymentId, { ...o, attempts: 3 });
        await (0,_fleet_policy_js__WEBPACK_IMPORTED_MODULE_3__/* .settleReplacementFleet */ .A)({
            ctx: o,
            info,
            instances,
            targetGroups: new _target_groups_js__WEBPACK_IMPORTED_MODULE_4__/* .TargetGroups */ .OG(o, (0,_blue_green_js__WEBPACK_IMPORTED_MODULE_1__/* .planOf */ .XC)(info).targetGroups),
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
