#!/bin/bash
# ApplicationStart: starts the service in the background so it keeps running after this hook.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$LOG_DIR"
# A process left over from a failed deployment would hold the port.
if [ -f "$PID_FILE" ] && running "$(cat "$PID_FILE")"; then
  stop_pid "$(cat "$PID_FILE")"
fi

set -a
. "$APP_DIR/app.env"
set +a
# The agent waits for the hook's output to close: nohup with every stream redirected lets the
# hook end while the service runs on.
nohup java -jar "$APP_DIR/application.jar" >>"$LOG_DIR/app.log" 2>&1 </dev/null &
echo $! >"$PID_FILE"
echo "Started sample-app (pid $!) on port $PORT, version $SAMPLE_APP_VERSION"
