# Shared by the hook scripts: where the service lives on the instance.
APP_DIR=/opt/sample-app
LOG_DIR=/var/log/sample-app
PID_FILE=$LOG_DIR/sample-app.pid

# The port from app.env (as installed), 8080 when it is not there yet.
app_port() {
  local port
  port=$(sed -n 's/^PORT=//p' "$APP_DIR/app.env" 2>/dev/null | tail -n 1)
  echo "${port:-8080}"
}

# Whether a pid runs; one that has exited but not yet been reaped (state Z) counts as stopped.
running() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"; }

# Stops a pid: TERM, up to 5 s for it to exit (not a fixed pause a busy machine can outlast),
# then KILL.
stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do
    running "$1" || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
}
