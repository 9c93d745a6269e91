#!/usr/bin/env bash
# npm test: every suite. The unit suites run while the test bed starts (Ceph and the emulator take
# ~25 s, mostly waiting), then the dist and bed suites run inside the bed. With arguments (jest's:
# paths, --selectProjects, ...), one jest run inside the bed takes them all.
set -uo pipefail
cd "$(dirname "$0")/.."
# The bed's instances write tens of thousands of small files: in memory where there is room.
export TESTBED_STATE_PARENT=${TESTBED_STATE_PARENT:-/dev/shm}
export TESTBED_CONFIG=${TESTBED_CONFIG:-__tests__/e2e/fleet.yml}
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules"
jest=node_modules/.bin/jest
# Under sudo, the sample app's build (examples/sample-app/build) goes back to the user.
. scripts/hand-back.sh
# Three suites at a time, longest first (__tests__/sequencer.js): more only adds waiting on 2 cores.
WORKERS=${TEST_WORKERS:-3}

if [ $# -gt 0 ]; then
  status=0
  testbed/run "$jest" --maxWorkers="$WORKERS" "$@" || status=$?
  hand_back examples/sample-app/build
  exit "$status"
fi

env_file=$(mktemp)
trap 'rm -f "$env_file"; hand_back examples/sample-app/build' EXIT
# The bed stops by itself if this script dies (TESTBED_WATCH_PID).
TESTBED_WATCH_PID=$$ testbed/start >"$env_file" &
starting=$!

"$jest" --selectProjects unit --maxWorkers=100%
unit=$?

if ! wait "$starting"; then
  echo "npm test: the test bed did not start (its log is above); the dist and bed suites did not run." >&2
  exit 1
fi
# shellcheck disable=SC1090
. "$env_file"
trap 'testbed/stop "$TESTBED_STATE_DIR"; rm -f "$env_file"; hand_back examples/sample-app/build' EXIT
"$jest" --selectProjects dist bed --maxWorkers="$WORKERS"
rest=$?
[ "$unit" -eq 0 ] && [ "$rest" -eq 0 ]
