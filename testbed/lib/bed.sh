# The test bed's shell side: settings, start and stop. Sourced by testbed/run, start, stop.
set -euo pipefail

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTBED_REPO=$(cd "$TESTBED_DIR/.." && pwd)

# The bed runs root's tools (chroot, ip, losetup, sysctl: /usr/sbin on Debian). A user's PATH
# kept through sudo (`sudo env "PATH=$PATH"`, as the README says) lacks the sbin folders: add them.
for d in /usr/local/sbin /usr/sbin /sbin; do
  case ":$PATH:" in *":$d:"*) ;; *) [ -d "$d" ] && PATH=$PATH:$d ;; esac
done
export PATH

log() { echo "testbed: $*" >&2; }
# Errors keep the state directory (logs) for a look afterwards.
die() { echo "testbed: error: $*" >&2; TESTBED_KEEP_STATE=1; port_release; exit 1; }
# step WHAT: progress with elapsed time, shown when TESTBED_VERBOSE=1.
step() { [ "${TESTBED_VERBOSE:-0}" != 1 ] || echo "testbed: [$(date +%T.%3N)] $*" >&2; }

. "$TESTBED_DIR/lib/install.sh"
. "$TESTBED_DIR/lib/rgw.sh"
. "$TESTBED_DIR/lib/network.sh"

port_busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

# A default port is claimed (an atomic mkdir) until the bed's daemons listen on it: radosgw binds
# its port ~20 s after the choice, and two beds starting together must not both pick it. A claim
# older than 5 minutes is from a start that died; the port is free again.
PORT_CLAIMS=${TMPDIR:-/tmp}/testbed-port-claims
TESTBED_PORT_CLAIMS=
port_claim() {
  mkdir -p "$PORT_CLAIMS"
  find "$PORT_CLAIMS" -mindepth 1 -maxdepth 1 -mmin +5 -exec rmdir {} + 2>/dev/null || true
  mkdir "$PORT_CLAIMS/$1" 2>/dev/null || return 1
  TESTBED_PORT_CLAIMS+=" $1"
}
port_release() {
  local p
  for p in $TESTBED_PORT_CLAIMS; do rmdir "$PORT_CLAIMS/$p" 2>/dev/null || true; done
  TESTBED_PORT_CLAIMS=
}

# pick_port VAR DEFAULT: keeps an explicit setting; otherwise the default, or the next free port.
pick_port() {
  local var=$1 port=${!1:-}
  if [ -n "$port" ]; then
    port_busy "$port" && die "$var=$port is already in use"
  else
    port=$2
    while port_busy "$port" || ! port_claim "$port"; do port=$((port + 1)); done
  fi
  printf -v "$var" %s "$port"
  export "$var"
}

testbed_node() {
  local n=${TESTBED_NODE:-$TESTBED_REPO/node_modules/.bin/node}
  [ -x "$n" ] || n=$(command -v node || true)
  [ -n "$n" ] || die "no node found: run npm ci (it installs Node 24 into node_modules/.bin/node)"
  "$n" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>23||(a===23&&b>=6)?0:1)' ||
    die "$n is Node $("$n" --version); the emulator needs Node 24 (type stripping): run npm ci"
  echo "$n"
}

# Sets and exports everything a client of the bed needs.
testbed_settings() {
  # TESTBED_STATE_PARENT: where the default state folder goes when it is a writable folder (npm
  # test gives /dev/shm: a 1,000-instance fleet writes tens of thousands of small files there).
  local parent=${TESTBED_STATE_PARENT:-}
  [ -n "$parent" ] && [ -d "$parent" ] && [ -w "$parent" ] || parent=${TMPDIR:-/tmp}
  TESTBED_STATE_DIR=${TESTBED_STATE_DIR:-$parent/testbed-$$}
  pick_port TESTBED_S3_PORT 7480
  pick_port TESTBED_CODEDEPLOY_PORT 7490
  pick_port TESTBED_MON_PORT 16789
  export TESTBED_STATE_DIR
  export AWS_ACCESS_KEY_ID=${TESTBED_ACCESS_KEY:-testbedaccesskey}
  export AWS_SECRET_ACCESS_KEY=${TESTBED_SECRET_KEY:-testbedsecretkey}
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$TESTBED_S3_PORT"
  export AWS_ENDPOINT_URL_CODEDEPLOY="http://127.0.0.1:$TESTBED_CODEDEPLOY_PORT"
  # Auto Scaling and ELBv2 answer on the emulator's port too (AWS Query protocol).
  export AWS_ENDPOINT_URL_AUTO_SCALING="http://127.0.0.1:$TESTBED_CODEDEPLOY_PORT"
  export AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2="http://127.0.0.1:$TESTBED_CODEDEPLOY_PORT"
  export TESTBED_ADMIN_URL="http://127.0.0.1:$TESTBED_CODEDEPLOY_PORT/__testbed"
  # GitHub's REST API on the emulator (@actions/github reads GITHUB_API_URL), so nothing run in the
  # bed reaches github.com; the twin survives a step that sets GITHUB_API_URL to something else.
  export TESTBED_GITHUB_API_URL="http://127.0.0.1:$TESTBED_CODEDEPLOY_PORT/github-api"
  export GITHUB_API_URL=$TESTBED_GITHUB_API_URL
  export TESTBED_BUCKET=${TESTBED_BUCKET:-testbed-bucket}
  export TESTBED_BUCKET_UNVERSIONED=${TESTBED_BUCKET_UNVERSIONED:-testbed-bucket-unversioned}
  export TESTBED_AWS=/usr/bin/aws
  export AWS_EC2_METADATA_DISABLED=true
  unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
  network_settings
}

# The real CodeDeploy agent's runner (codedeploy-local) for `agent: real|auto` groups, resolved once
# per start by scripts/agent-runner.sh (about a second; apt the first time), only when the fleet
# file names such a group or TESTBED_AGENT_RUNNER is set. Exported for the emulator and CMD. A
# fleet that requires it (`agent: real`) fails here, before anything starts, when it is missing;
# the emulator checks the parsed fleet again (and PUT /fleet) with the same words.
testbed_agent_runner() {
  local config=${TESTBED_CONFIG:-}
  export TESTBED_AGENT_RUNNER=${TESTBED_AGENT_RUNNER:-}
  if [ -z "$TESTBED_AGENT_RUNNER" ]; then
    [ -n "$config" ] && grep -Eq "agent:[[:space:]]*[\"']?(real|auto)" "$config" || return 0
    TESTBED_AGENT_RUNNER=$("$TESTBED_REPO/scripts/agent-runner.sh")
  elif [ ! -x "$TESTBED_AGENT_RUNNER" ]; then
    die "TESTBED_AGENT_RUNNER=$TESTBED_AGENT_RUNNER is not an executable file"
  fi
  if [ -z "$TESTBED_AGENT_RUNNER" ] && grep -Eq "agent:[[:space:]]*[\"']?real" "$config"; then
    die "agent: real needs the real CodeDeploy agent: set CODEDEPLOY_LOCAL_RUNNER (or TESTBED_AGENT_RUNNER) to its codedeploy-local, or provide ../shared/tools/codedeploy-agent beside the repository (see testbed/README.md, \"The real agent\"); agent: auto falls back to the emulated agent"
  fi
  step "real agent: ${TESTBED_AGENT_RUNNER:-none}"
}

testbed_env_file() {
  local k
  for k in TESTBED_STATE_DIR AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION \
    AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_CODEDEPLOY AWS_ENDPOINT_URL_AUTO_SCALING \
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 TESTBED_ADMIN_URL TESTBED_GITHUB_API_URL GITHUB_API_URL TESTBED_BUCKET \
    TESTBED_BUCKET_UNVERSIONED TESTBED_AWS AWS_EC2_METADATA_DISABLED TESTBED_AGENT_RUNNER \
    TESTBED_TARGET_GROUPS "${NETWORK_VARS[@]}"; do
    printf "export %s='%s'\n" "$k" "${!k}"
  done
}

emulator_start() {
  local dir=$1 node
  node=$(testbed_node)
  TESTBED_PORT=$TESTBED_CODEDEPLOY_PORT \
    "$node" --disable-warning=ExperimentalWarning "$TESTBED_DIR/emulator/world/main.ts" \
    </dev/null >>"$dir/emulator.log" 2>&1 &
  echo $! >"$dir/emulator.pid"
}

emulator_wait() {
  local dir=$1
  if ! wait_for 30 emulator curl -fs "$TESTBED_ADMIN_URL/health"; then
    echo "---- last lines of $dir/emulator.log" >&2
    tail -n 30 "$dir/emulator.log" >&2
    die "the CodeDeploy emulator did not answer on $AWS_ENDPOINT_URL_CODEDEPLOY within 30 s"
  fi
}

create_buckets() {
  local dir=$1 node
  node=$(testbed_node)
  "$node" --disable-warning=ExperimentalWarning "$TESTBED_DIR/emulator/world/setup-buckets.ts" \
    >>"$dir/setup.log" 2>&1 || { tail -n 20 "$dir/setup.log" >&2; die "could not create the buckets"; }
}

# pid_is PID WORD: the process PID runs with WORD in its command line. Pid files outlive their
# processes (a daemon that crashed, a start that failed), and pids come round again within
# minutes on a machine starting thousands of processes (pid_max is often 32768): a stale pid file
# must never make the bed signal another process.
pid_is() { [ -n "$1" ] && { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "$2"; }

# start_time PID: when the process started (clock ticks since boot; the same across exec): with
# its pid, names one process for good.
start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  set -- ${stat##*) }
  echo "${20}"
}

# stop_pid_file FILE WORD: TERM, then KILL after 5 s, the process FILE names if it is still ours.
stop_pid_file() {
  local f=$1 word=$2 pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  pid_is "$pid" "$word" || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# testbed_stop DIR: idempotent; called by run's EXIT trap, by testbed/stop and by the watchdog.
testbed_stop() {
  local dir=$1
  port_release
  [ -d "$dir" ] || return 0
  local network
  network_stop "$dir" &
  network=$!
  stop_pid_file "$dir/emulator.pid" emulator/world/main.ts
  # The instances' network bridge (emulator/hosts/network.ts), which a killed emulator leaves behind.
  if [ -f "$dir/bridge" ]; then ip link del "$(cat "$dir/bridge")" 2>/dev/null || true; fi
  rgw_stop "$dir"
  wait "$network" || true
  if [ -f "$dir/watchdog.pid" ] && [ "$(cat "$dir/watchdog.pid")" != "${TESTBED_SELF_PID:-$$}" ]; then
    if pid_is "$(cat "$dir/watchdog.pid")" watchdog.sh; then kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true; fi
  fi
  if [ "${TESTBED_KEEP_STATE:-0}" = 1 ]; then log "state kept in $dir"; else rm -rf "$dir"; fi
}

# testbed_start [WATCH_PID]: everything up; with WATCH_PID the bed stops when that process ends.
testbed_start() {
  local watch=${1:-} t0=$SECONDS
  # Instances are namespaces (unshare, veth pairs) and packages come from apt-get: root only.
  # sudo resets PATH, where npm and node may live: hence the env in the advice.
  [ "$(id -u)" = 0 ] || die "the test bed needs root (a network and mount namespace per simulated instance; apt-get for missing packages). Run the command as root, or as a user with sudo: sudo env \"PATH=\$PATH\" <command>, e.g. sudo env \"PATH=\$PATH\" npm test"
  network_plan
  testbed_install
  testbed_settings
  testbed_agent_runner
  local dir=$TESTBED_STATE_DIR
  [ -e "$dir/emulator.pid" ] && die "$dir already holds a running bed"
  mkdir -p "$dir"
  if [ -n "$watch" ]; then
    setsid -f bash "$TESTBED_DIR/lib/watchdog.sh" "$watch" "$dir" </dev/null >>"$dir/watchdog.log" 2>&1
  fi
  emulator_start "$dir"
  network_start "$dir"
  # A fresh single-node Ceph very rarely fails to register its OSD; a second try from scratch works.
  if ! (rgw_start "$dir"); then
    log "Ceph did not start; trying once more from scratch"
    rgw_stop "$dir"
    rm -rf "$dir/ceph"
    (rgw_start "$dir") || die "S3 (Ceph radosgw) did not start twice; logs in $dir/ceph/log"
  fi
  emulator_wait "$dir"
  # Our emulator, not another bed's on the same port.
  kill -0 "$(cat "$dir/emulator.pid")" 2>/dev/null || {
    tail -n 30 "$dir/emulator.log" >&2
    die "the CodeDeploy emulator exited; log above"
  }
  network_wait "$dir"
  port_release
  # Each target group's listener URL, as JSON ({"bg-tg":"http://127.0.0.1:7500", ...}).
  export TESTBED_TARGET_GROUPS
  TESTBED_TARGET_GROUPS=$(cat "$dir/target-groups.json" 2>/dev/null || echo '{}')
  step "emulator up"
  create_buckets "$dir"
  step "buckets ready"
  testbed_env_file >"$dir/env"
  log "up in $((SECONDS - t0)) s: S3 $AWS_ENDPOINT_URL_S3, CodeDeploy $AWS_ENDPOINT_URL_CODEDEPLOY (state $dir)"
}
