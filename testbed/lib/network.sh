# The bed's network on demand (the fleet file's `proxy` and `tls` keys, testbed/README.md "Proxy
# and TLS"): a forward proxy (Debian's squid) in a mount namespace of its own whose /etc/hosts
# holds the bed's names (s3.bed.test, codedeploy.bed.test, github.bed.test, direct.bed.test), a
# CA and server certificate made per bed, and TLS front ends before radosgw and the emulator.
# Sourced by bed.sh; a bed without those keys starts nothing here and pays one grep.

NETWORK_ETC=$TESTBED_DIR/network/etc
TESTBED_NET_PROXY=0 TESTBED_NET_TLS=0 TESTBED_NET_PROXY_USER= TESTBED_NET_PROXY_PASSWORD=
# Node, checked once (testbed_node starts a Node to ask its version: ~80 ms each time).
NETWORK_NODE=

# What the fleet file asks, checked by the emulator's rules (network/plan.ts); Node only when the
# file has a top-level proxy or tls key.
network_plan() {
  local config=${TESTBED_CONFIG:-} plan
  [ -n "$config" ] && grep -Eq '^(proxy|tls):' "$config" 2>/dev/null || return 0
  NETWORK_NODE=$(testbed_node)
  plan=$("$NETWORK_NODE" --disable-warning=ExperimentalWarning "$TESTBED_DIR/network/plan.ts" \
    "$config" 2>&1) || die "$plan"
  eval "$plan"
  step "network plan: proxy $TESTBED_NET_PROXY, TLS $TESTBED_NET_TLS"
}

# The packages network_start needs, for install.sh.
network_packages() {
  [ "$TESTBED_NET_PROXY" != 1 ] || echo squid
  [ "$TESTBED_NET_TLS" != 1 ] || echo openssl
}

# Ports and the client variables (testbed_settings calls it; names in NETWORK_VARS).
NETWORK_VARS=()
network_settings() {
  local cd=$TESTBED_CODEDEPLOY_PORT s3=$TESTBED_S3_PORT
  if [ "$TESTBED_NET_PROXY" = 1 ]; then
    pick_port TESTBED_PROXY_PORT 7470
    export TESTBED_PROXY_URL="http://127.0.0.1:$TESTBED_PROXY_PORT"
    export TESTBED_PROXY_LOG="$TESTBED_STATE_DIR/proxy/access.log"
    export TESTBED_PROXIED_S3_URL="http://s3.bed.test:$s3"
    export TESTBED_PROXIED_CODEDEPLOY_URL="http://codedeploy.bed.test:$cd"
    export TESTBED_PROXIED_GITHUB_API_URL="http://github.bed.test:$cd/github-api"
    NETWORK_VARS+=(TESTBED_PROXY_PORT TESTBED_PROXY_URL TESTBED_PROXY_LOG TESTBED_PROXIED_S3_URL
      TESTBED_PROXIED_CODEDEPLOY_URL TESTBED_PROXIED_GITHUB_API_URL)
    if [ -n "$TESTBED_NET_PROXY_USER" ]; then
      export TESTBED_PROXY_AUTH="$TESTBED_NET_PROXY_USER:$TESTBED_NET_PROXY_PASSWORD"
      NETWORK_VARS+=(TESTBED_PROXY_AUTH)
    fi
  fi
  if [ "$TESTBED_NET_TLS" = 1 ]; then
    pick_port TESTBED_TLS_S3_PORT 7443
    pick_port TESTBED_TLS_CODEDEPLOY_PORT 7453
    export TESTBED_CA_BUNDLE="$TESTBED_STATE_DIR/tls/ca.pem"
    export TESTBED_TLS_S3_URL="https://s3.bed.test:$TESTBED_TLS_S3_PORT"
    export TESTBED_TLS_CODEDEPLOY_URL="https://codedeploy.bed.test:$TESTBED_TLS_CODEDEPLOY_PORT"
    NETWORK_VARS+=(TESTBED_TLS_S3_PORT TESTBED_TLS_CODEDEPLOY_PORT TESTBED_CA_BUNDLE
      TESTBED_TLS_S3_URL TESTBED_TLS_CODEDEPLOY_URL)
  fi
  if [ "$TESTBED_NET_PROXY$TESTBED_NET_TLS" != 00 ]; then
    export TESTBED_DIRECT_S3_URL="http://direct.bed.test:$s3"
    export TESTBED_DIRECT_CODEDEPLOY_URL="http://direct.bed.test:$cd"
    export TESTBED_RUNNER_NS="$TESTBED_DIR/network/runner-ns"
    NETWORK_VARS+=(TESTBED_DIRECT_S3_URL TESTBED_DIRECT_CODEDEPLOY_URL TESTBED_RUNNER_NS)
  fi
}

# The bed's CA and a server certificate for every name the bed answers to (and 127.0.0.1 and
# localhost, for clients that go straight to the port). EC keys: a few milliseconds each.
tls_certs() {
  local d=$1/tls names
  names=DNS:s3.bed.test,DNS:codedeploy.bed.test,DNS:github.bed.test,DNS:direct.bed.test
  names+=,DNS:localhost,IP:127.0.0.1
  mkdir -p "$d"
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
      -keyout "$d/ca.key" -out "$d/ca.pem" -subj "/O=testbed/CN=testbed CA $$" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -CA "$d/ca.pem" -CAkey "$d/ca.key" -keyout "$d/server.key" -out "$d/server.pem" \
        -subj "/O=testbed/CN=s3.bed.test" -addext "subjectAltName=$names" \
        -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth
  } >>"$d/openssl.log" 2>&1 || { cat "$d/openssl.log" >&2; die "openssl could not make the bed's certificates"; }
}

# Squid: plain-HTTP requests in absolute form and CONNECT, only to the bed's names (a request for
# any other host is 403 without a lookup), basic authentication when asked, one access-log line
# per request: time, method, URL (host:port for CONNECT), status, squid's result, user.
proxy_config() {
  local d=$1/proxy auth=
  mkdir -p "$d"
  # Squid works as user proxy: it must reach its folder through the state folder.
  chmod a+x "$1"
  if [ -n "$TESTBED_NET_PROXY_USER" ]; then
    printf '%s:%s\n' "$TESTBED_NET_PROXY_USER" "$(openssl passwd -apr1 "$TESTBED_NET_PROXY_PASSWORD")" >"$d/passwd"
    auth="auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd
auth_param basic children 2 startup=1 idle=1
auth_param basic realm testbed proxy
acl authenticated proxy_auth REQUIRED
http_access deny !authenticated"
  fi
  cat >"$d/squid.conf" <<CONF
http_port 127.0.0.1:$TESTBED_PROXY_PORT
visible_hostname testbed-proxy
cache_effective_user proxy
pid_filename $d/squid.pid
cache_log $d/cache.log
logformat bed %ts.%03tu %rm %ru %>Hs %Ss %un
access_log stdio:$d/access.log bed
# Whole URLs in the log (S3's ?uploads, ?versionId=...): tests tell the calls apart by them.
strip_query_terms off
cache_store_log none
coredump_dir $d
cache deny all
cache_mem 0 MB
max_filedescriptors 4096
pinger_enable off
netdb_filename none
shutdown_lifetime 0 seconds
# A PUT's body with Expect: 100-continue (the SDKs' for bodies over ~2 MB) was reset now and then
# with squid's default 512 KB request buffer (8 of 24 PUTs of 20-50 MB, the connection closed just
# after squid relayed radosgw's 100 Continue); with 64 MB none was (24 of 24, and 100-200 MB). A
# fresh server connection per request: a streamed body cannot be sent again after a kept-alive one
# closed.
client_request_buffer_max_size 64 MB
server_persistent_connections off
hosts_file /etc/hosts
dns_nameservers 127.0.0.1
dns_timeout 2 seconds
acl bed_names dstdomain -n s3.bed.test codedeploy.bed.test github.bed.test direct.bed.test localhost 127.0.0.1
http_access deny !bed_names
$auth
http_access allow all
CONF
  touch "$d/access.log"
  chown -R proxy:proxy "$d"
}

# Starts what the plan asks, in the background (network_wait sees them listen).
network_start() {
  local dir=$1
  if [ "$TESTBED_NET_TLS" = 1 ]; then
    tls_certs "$dir"
    step "TLS certificates made"
    "${NETWORK_NODE:-$(testbed_node)}" --disable-warning=ExperimentalWarning "$TESTBED_DIR/network/tls-front.ts" "$dir/tls/server.pem" "$dir/tls/server.key" \
      "$TESTBED_TLS_S3_PORT:$TESTBED_S3_PORT" "$TESTBED_TLS_CODEDEPLOY_PORT:$TESTBED_CODEDEPLOY_PORT" \
      </dev/null >>"$dir/tls/front.log" 2>&1 &
    echo $! >"$dir/tls/front.pid"
  fi
  if [ "$TESTBED_NET_PROXY" = 1 ]; then
    proxy_config "$dir"
    # Its own mount namespace: the bed's hosts file over /etc/hosts, no DNS server to ask. The
    # service name keeps its shared-memory segments apart from another bed's squid.
    unshare -m -- sh -c '
      mount --bind "$0/proxy-hosts" /etc/hosts && mount --bind "$0/resolv.conf" /etc/resolv.conf &&
        mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf || exit 125
      exec squid -N -n "$1" -f "$2"' "$NETWORK_ETC" "testbed$TESTBED_PROXY_PORT" "$dir/proxy/squid.conf" \
      </dev/null >>"$dir/proxy/squid.out" 2>&1 &
    echo $! >"$dir/proxy/proxy.pid"
    step "proxy started"
  fi
}

network_listening() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

network_wait() {
  local dir=$1
  if [ "$TESTBED_NET_TLS" = 1 ]; then
    wait_for 10 "TLS front ends" network_listening "$TESTBED_TLS_CODEDEPLOY_PORT" || {
      tail -n 20 "$dir/tls/front.log" >&2
      die "the TLS front ends did not listen on 127.0.0.1:$TESTBED_TLS_CODEDEPLOY_PORT within 10 s"
    }
    step "TLS front ends up"
  fi
  if [ "$TESTBED_NET_PROXY" = 1 ]; then
    wait_for 10 "proxy" network_listening "$TESTBED_PROXY_PORT" || {
      tail -n 20 "$dir/proxy/squid.out" "$dir/proxy/cache.log" >&2
      die "the proxy (squid) did not listen on 127.0.0.1:$TESTBED_PROXY_PORT within 10 s"
    }
    step "proxy up"
  fi
}

# Squid takes ~1.2 s to stop after TERM (its event loop's second): testbed_stop runs this in the
# background while it stops the rest.
network_stop() {
  local dir=$1
  stop_pid_file "$dir/proxy/proxy.pid" "$dir/proxy/squid.conf"
  stop_pid_file "$dir/tls/front.pid" network/tls-front.ts
}
