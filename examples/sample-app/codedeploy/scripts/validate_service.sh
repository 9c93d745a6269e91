#!/bin/bash
# ValidateService: the deployment succeeds only if the service answers its health check over HTTP.
set -uo pipefail
. "$(dirname "$0")/common.sh"

port=$(app_port)
url="http://127.0.0.1:$port/script-health-check"
attempts=30
for i in $(seq 1 "$attempts"); do
  body=$(curl -sS --max-time 2 -w '\nHTTP %{http_code}' "$url" 2>&1)
  status=$(printf '%s\n' "$body" | tail -n 1)
  if [ "$status" = "HTTP 200" ]; then
    echo "Health check passed on attempt $i: $(printf '%s\n' "$body" | head -n 1)"
    exit 0
  fi
  # A 5xx is the service's answer: no use waiting for it to change.
  case "$status" in "HTTP 5"*) break ;; esac
  sleep 1
done

echo "ValidateService failed: $url did not answer 200 after $i attempts." >&2
echo "Last answer: $(printf '%s\n' "$body" | tr '\n' ' ')" >&2
echo "--- last lines of $LOG_DIR/app.log" >&2
tail -n 20 "$LOG_DIR/app.log" >&2 2>/dev/null || echo "(no log)" >&2
exit 1
