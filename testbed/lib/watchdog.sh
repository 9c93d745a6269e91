# Stops the bed in $2 once process $1 is gone: covers a `testbed/run` killed with SIGKILL.
# Runs in its own session (setsid) so signals sent to the caller's process group miss it.
watched=$1 dir=$2
echo $$ >"$dir/watchdog.pid"

# Alive and not a zombie (an orphaned zombie still answers kill -0).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

while alive "$watched" && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
echo "testbed: process $watched is gone; stopping the bed in $dir" >&2
export TESTBED_SELF_PID=$$
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"
# The command testbed/run was running has lost its bed: end it too (if it is still that process).
if [ -f "$dir/cmd.pid" ]; then
  cmd= started=
  read -r cmd started <"$dir/cmd.pid" || true
  if [ -n "${started:-}" ] && [ "$(start_time "$cmd")" = "$started" ]; then kill "$cmd" 2>/dev/null || true; fi
fi
testbed_stop "$dir"
