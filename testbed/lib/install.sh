# Installs the Debian packages the bed needs, only when one is missing (fast when all are there).
# Sourced by bed.sh; uses die/log from there.

# Also the tools the bed itself calls (minimal images may lack them): curl, ip/ss, unzip, zip, and
# python3 for the emulator's process runner (emulator/hosts/runner.py).
TESTBED_PACKAGES=(ceph-mon ceph-osd radosgw awscli curl iproute2 unzip zip python3)

testbed_missing_packages() {
  local p missing=()
  # The proxy's and TLS's (network.sh) only when the fleet file asks for them.
  for p in "${TESTBED_PACKAGES[@]}" $(network_packages); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[*]}"
}

# Runs as root: testbed_start checks that before it calls this.
testbed_install() {
  local missing
  missing=$(testbed_missing_packages)
  [ -z "$missing" ] && return 0
  log "installing $missing (about 30 s, once)"
  local out="${TMPDIR:-/tmp}/testbed-apt.log"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends $missing; } >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    die "apt-get could not install $missing (log: $out)"
  fi
  missing=$(testbed_missing_packages)
  [ -z "$missing" ] || die "still missing after apt-get: $missing (log: $out)"
}
