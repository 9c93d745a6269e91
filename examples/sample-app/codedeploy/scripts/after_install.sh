#!/bin/bash
# AfterInstall: the files are in place; check what the service needs before starting it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$LOG_DIR"
if ! command -v java >/dev/null; then
  echo "java is not installed on this instance: install a JRE 17 or later (e.g. apt-get install default-jre-headless)" >&2
  exit 1
fi
test -s "$APP_DIR/application.jar" || { echo "$APP_DIR/application.jar is missing or empty" >&2; exit 1; }
echo "Installed $(ls -l "$APP_DIR/application.jar" | awk '{print $5}') bytes of application.jar; $(java -version 2>&1 | head -n 1)"
