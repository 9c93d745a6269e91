#!/usr/bin/env bash
# Prints the path of the real CodeDeploy agent's local-mode runner (codedeploy-local, agent 1.8.1),
# or nothing when it is not at hand. Used by the agent conformance suite and by test bed instances
# declared with `agent: real`.
#
#   CODEDEPLOY_LOCAL_RUNNER=/path/to/codedeploy-local   use this runner
#   otherwise ../shared/tools/codedeploy-agent/install.sh beside the repository, when it exists
#   (CI has it; a user's clone does not). Its first run installs Ruby packages with apt (root).
set -uo pipefail
if [ -n "${CODEDEPLOY_LOCAL_RUNNER:-}" ]; then
  [ -x "$CODEDEPLOY_LOCAL_RUNNER" ] && echo "$CODEDEPLOY_LOCAL_RUNNER"
  exit 0
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
installer=$repo/../shared/tools/codedeploy-agent/install.sh
[ -x "$installer" ] || exit 0
"$installer" 2>/dev/null || exit 0
