import * as __WEBPACK_EXTERNAL_MODULE__debug_stub_js_6e74cbc6__ from "./debug-stub.js";
import * as __WEBPACK_EXTERNAL_MODULE__undici_stub_js_24858b81__ from "./undici-stub.js";
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 833:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ watchSignals)
/* harmony export */ });
// Cancellation. The runner cancels with SIGINT, then SIGTERM 7.5 s later (and kills at 10 s):
// both abort the run, which stops the deployment it is waiting for (stop-on-cancel). Installed
// by the entry point before anything else, so a signal during start-up is not lost.
function watchSignals(proc = process) {
    const controller = new AbortController();
    const onSignal = (name) => {
        if (!controller.signal.aborted)
            controller.abort(name);
    };
    proc.on('SIGINT', onSignal);
    proc.on('SIGTERM', onSignal);
    return {
        signal: controller.signal,
        dispose: () => {
            proc.off('SIGINT', onSignal);
            proc.off('SIGTERM', onSignal);
        }
    };
}


/***/ }),

/***/ 996:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ firstLine)
/* harmony export */ });
/* harmony import */ var _settings_constants_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6804);
/* harmony import */ var _state_helper_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7155);
/* harmony import */ var _package_json__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8330);
// The step's first log line, written by the entry point before the rest of the action is loaded
// (about 1.7 MB of bundled JavaScript, most of it @actions/core and its HTTP client), so the log
// shows at once that the step started. Raw inputs are read the way @actions/core's getInput reads
// them; nothing is validated here (bad inputs are reported right after, by the settings).



/** The line for the main step; undefined for the post step. */
function firstLine(env) {
    if ((0,_state_helper_js__WEBPACK_IMPORTED_MODULE_1__/* .isPostStep */ .pq)(env))
        return undefined;
    const input = (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
    const groups = input(_settings_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DeploymentGroup)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    const dryRun = input(_settings_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DryRun).toLowerCase() === 'true';
    return (`${_package_json__WEBPACK_IMPORTED_MODULE_2__/* .name */ .UU} ${_package_json__WEBPACK_IMPORTED_MODULE_2__/* .version */ .rE}: ${dryRun ? 'dry run for' : 'deploying'} ` +
        `${input(_settings_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Application) || '(no application)'} to ${groups.join(', ') || '(no deployment group)'}`);
}


/***/ }),

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(833);
/* harmony import */ var _first_line_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(996);
/* harmony import */ var _state_helper_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7155);
// Entry point for both the main step and the post step (action.yml runs this file twice).
// Signal handlers first (main step only), then the first log line, before the rest of the action
// is loaded: main.js (and with it @actions/core) is imported dynamically, so the bundler keeps it
// out of this file's chunk.




// The post step keeps Node's default: a signal ends it.
const cancellation = (0,_state_helper_js__WEBPACK_IMPORTED_MODULE_2__/* .isPostStep */ .pq)(process.env) ? undefined : (0,_cancel_js__WEBPACK_IMPORTED_MODULE_3__/* .watchSignals */ .R)();
const line = (0,_first_line_js__WEBPACK_IMPORTED_MODULE_1__/* .firstLine */ .T)(process.env);
if (line !== undefined)
    process.stdout.write(`${line}${node_os__WEBPACK_IMPORTED_MODULE_0__.EOL}`);
try {
    const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(163), __nccwpck_require__.e(747)]).then(__nccwpck_require__.bind(__nccwpck_require__, 9747));
    await run(cancellation?.signal ?? new AbortController().signal);
}
finally {
    cancellation?.dispose();
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 6804:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H$: () => (/* binding */ DESCRIPTION_MAX_LENGTH),
/* harmony export */   IE: () => (/* binding */ DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES),
/* harmony export */   k7: () => (/* binding */ Output),
/* harmony export */   pd: () => (/* binding */ Input),
/* harmony export */   uO: () => (/* binding */ DEFAULT_WAIT_TIMEOUT_MINUTES),
/* harmony export */   uh: () => (/* binding */ DEFAULT_KEY)
/* harmony export */ });
// Every input, output and state name in one place, so no name is a scattered literal.
var Input;
(function (Input) {
    Input["Application"] = "application";
    Input["DeploymentGroup"] = "deployment-group";
    Input["Bucket"] = "bucket";
    Input["Region"] = "region";
    Input["Source"] = "source";
    Input["Files"] = "files";
    Input["Archive"] = "archive";
    Input["BundleType"] = "bundle-type";
    Input["Key"] = "key";
    Input["Sse"] = "sse";
    Input["SseKmsKeyId"] = "sse-kms-key-id";
    Input["ExpectedBucketOwner"] = "expected-bucket-owner";
    Input["DeploymentConfig"] = "deployment-config";
    Input["Description"] = "description";
    Input["FileExistsBehavior"] = "file-exists-behavior";
    Input["IgnoreApplicationStopFailures"] = "ignore-application-stop-failures";
    Input["UpdateOutdatedInstancesOnly"] = "update-outdated-instances-only";
    Input["AutoRollback"] = "auto-rollback";
    Input["IfActiveDeployment"] = "if-active-deployment";
    Input["Wait"] = "wait";
    Input["WaitTimeout"] = "wait-timeout";
    Input["OnTimeout"] = "on-timeout";
    Input["StopOnCancel"] = "stop-on-cancel";
    Input["AgentSilenceTimeout"] = "agent-silence-timeout";
    Input["OnAgentSilence"] = "on-agent-silence";
    Input["DryRun"] = "dry-run";
    Input["WaitUntil"] = "wait-until";
    Input["OnReady"] = "on-ready";
    Input["ContinueDeployment"] = "continue-deployment";
    Input["ContinueTermination"] = "continue-termination";
    Input["FailedReplacementFleet"] = "failed-replacement-fleet";
    Input["IfNewerDeployed"] = "if-newer-deployed";
    Input["GithubToken"] = "github-token";
    Input["KeepRevisions"] = "keep-revisions";
})(Input || (Input = {}));
var Output;
(function (Output) {
    Output["DeploymentId"] = "deployment-id";
    Output["DeploymentStatus"] = "deployment-status";
    Output["DeploymentUrl"] = "deployment-url";
    Output["Deployments"] = "deployments";
    Output["RollbackDeploymentId"] = "rollback-deployment-id";
    Output["FailedInstances"] = "failed-instances";
    Output["BundlePath"] = "bundle-path";
    Output["BundleSha256"] = "bundle-sha256";
    Output["BundleSize"] = "bundle-size";
    Output["BundleKey"] = "bundle-key";
    Output["BundleUri"] = "bundle-uri";
    Output["BundleEtag"] = "bundle-etag";
    Output["BundleVersion"] = "bundle-version";
    Output["BundleUploaded"] = "bundle-uploaded";
    Output["DeletedReplacementFleet"] = "deleted-replacement-fleet";
    Output["Skipped"] = "skipped";
})(Output || (Output = {}));
/** Mirrors action.yml; the runner applies those defaults, a direct `node dist/index.js` does not. */
const DEFAULT_KEY = '{application}/{run_number}/{bundle_hash}.{ext}';
const DEFAULT_WAIT_TIMEOUT_MINUTES = 60;
const DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES = 5;
/** CodeDeploy rejects longer descriptions; we cut rather than fail. */
const DESCRIPTION_MAX_LENGTH = 256;


/***/ }),

/***/ 7155:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   FC: () => (/* binding */ MainState),
/* harmony export */   cj: () => (/* binding */ readPostState),
/* harmony export */   pq: () => (/* binding */ isPostStep)
/* harmony export */ });
/* unused harmony export State */
// The contract between the main step and the post step, in one place (as actions/checkout's
// state-helper). The runner keeps what main saves with core.saveState and hands it to the post
// step as STATE_<name> variables. The post step is a backstop: it stops a deployment that main
// started but did not see end (the job was cancelled and main was killed).
/** The names saved; the runner prefixes them with STATE_. */
var State;
(function (State) {
    State["IsPost"] = "is-post";
    State["DeploymentId"] = "deployment-id";
    State["DeploymentFinished"] = "deployment-finished";
    State["Region"] = "region";
    State["StopOnCancel"] = "stop-on-cancel";
    State["AutoRollback"] = "auto-rollback";
    State["FailedReplacementFleet"] = "failed-replacement-fleet";
    State["ReplacementFleetPending"] = "fleet-pending";
})(State || (State = {}));
/** What main writes, in the order it happens. */
class MainState {
    save;
    constructor(save) {
        this.save = save;
    }
    /** First thing main does: the runner's second run of the entry point is then the post step. */
    markPostNext() {
        this.save(State.IsPost, 'true');
    }
    /** Before the first deployment is created: how the post step would reach and stop it. */
    deploying(o) {
        this.save(State.Region, o.region);
        this.save(State.StopOnCancel, String(o.stopOnCancel));
        if (o.autoRollback !== undefined)
            this.save(State.AutoRollback, String(o.autoRollback));
        this.save(State.FailedReplacementFleet, o.failedReplacementFleet);
    }
    /** A deployment main is about to wait for; the post step stops it unless main saw it end. */
    waitingFor(deploymentId) {
        this.save(State.DeploymentId, deploymentId);
    }
    /** Main saw the deployments end (or gave up waiting on its own terms): nothing for the post step. */
    finished() {
        this.save(State.DeploymentFinished, 'true');
    }
    /**
     * A blue/green deployment main stopped (cancelled) but did not see end: the post step waits for
     * its end and applies failed-replacement-fleet.
     */
    replacementFleetPending(deploymentId) {
        this.save(State.ReplacementFleetPending, deploymentId);
    }
}
function isPostStep(env) {
    return read(env, State.IsPost) === 'true';
}
function readPostState(env) {
    const finished = read(env, State.DeploymentFinished) === 'true';
    const autoRollback = read(env, State.AutoRollback);
    return {
        deploymentId: finished ? '' : read(env, State.DeploymentId),
        region: read(env, State.Region),
        stopOnCancel: read(env, State.StopOnCancel) === 'true',
        replacementFleetPendingId: read(env, State.ReplacementFleetPending),
        failedReplacementFleet: read(env, State.FailedReplacementFleet) === 'delete' ? 'delete' : 'keep',
        ...(autoRollback ? { autoRollback: autoRollback === 'true' } : {})
    };
}
function read(env, name) {
    return env[`STATE_${name}`] ?? '';
}


/***/ }),

/***/ 2548:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var y = (x) => (() => (x))
module.exports = x({ ["default"]: () => (__WEBPACK_EXTERNAL_MODULE__debug_stub_js_6e74cbc6__["default"]) });

/***/ }),

/***/ 333:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var y = (x) => (() => (x))
module.exports = x({ ["fetch"]: () => (__WEBPACK_EXTERNAL_MODULE__undici_stub_js_24858b81__.fetch) });

/***/ }),

/***/ 2108:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("./undici-stub.js");

/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 6466:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 3106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

/***/ }),

/***/ 8330:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"UU":"codedeploy-s3-deploy-action","rE":"0.1.0"}');

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
