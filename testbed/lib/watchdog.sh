# Stops the bed in $2 once process $1 is gone: covers a `testbed/run` killed with SIGKILL.
# Runs in its own session (setsid) so signals sent to the caller's process group miss it.
watched=$1 dir=$2
echo $$ >"$dir/watchdog.pid"
while kill -0 "$watched" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
echo "testbed: process $watched is gone; stopping the bed in $dir" >&2
export TESTBED_SELF_PID=$$
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"
testbed_stop "$dir"
