# Sourced by scripts/demo.sh and scripts/test.sh. Under sudo, what a run leaves in the checkout or
# for the user to read (the sample app's build, the demo's run folder) is handed back to the user
# who ran sudo, so that a later run, git clean or rm as that user is not refused.
hand_back() {
  [ -n "${SUDO_UID:-}" ] && [ "$SUDO_UID" != 0 ] && [ "$(id -u)" = 0 ] || return 0
  local p
  for p in "$@"; do
    [ -e "$p" ] && chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$p" 2>/dev/null || true
  done
}
