# One Ceph monitor, one memstore OSD (no mgr, no systemd) and radosgw, all on 127.0.0.1.
# Sourced by bed.sh. State lives under $1 (the bed's state dir); daemons are stopped by pid file.

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

rgw_fail() {
  local dir=$1 what=$2 f
  for f in "$dir"/ceph/log/*.log; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f" >&2
    tail -n 15 "$f" >&2
  done
  die "$what"
}

rgw_start() {
  local dir=$1 ceph="$1/ceph"
  mkdir -p "$ceph"/{run,log,mon,osd}
  local fsid osd_uuid osd_id
  fsid=$(cat /proc/sys/kernel/random/uuid)
  export CEPH_CONF="$ceph/ceph.conf"
  cat >"$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:$TESTBED_MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
ms_bind_msgr2 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $ceph/run
pid_file = $ceph/run/\$name.pid
admin_socket = $ceph/run/\$name.asok
log_file = $ceph/log/\$name.log
mon_data = $ceph/mon/\$id
osd_data = $ceph/osd/\$id
osd_objectstore = ${TESTBED_OBJECTSTORE:-memstore}
bluestore_block_create = true
bluestore_block_size = 10737418240
osd_memory_target = 1073741824
memstore_device_bytes = ${TESTBED_OSD_BYTES:-2147483648}
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_max_pg_per_osd = 1000
mon_warn_on_pool_no_redundancy = false
osd_op_num_shards = 1
osd_op_num_threads_per_shard = 2
osd_class_update_on_start = false
osd_crush_update_on_start = false
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$TESTBED_S3_PORT
# No DNS name: every request is path-style whatever its Host (127.0.0.1, localhost, s3.bed.test
# through the proxy, network.sh). With a name, radosgw takes any other Host for a bucket's name.
rgw_dns_name =
log_file = $ceph/log/rgw.log
CONF

  monmaptool --create --clobber --fsid "$fsid" --addv a "[v1:127.0.0.1:$TESTBED_MON_PORT]" \
    "$ceph/monmap" >/dev/null || rgw_fail "$dir" "monmaptool failed"
  ceph-mon --mkfs -i a --monmap "$ceph/monmap" >>"$ceph/log/setup.log" 2>&1 ||
    rgw_fail "$dir" "ceph-mon --mkfs failed"
  ceph-mon -i a >>"$ceph/log/setup.log" 2>&1 || rgw_fail "$dir" "ceph-mon did not start"
  step "monitor started"
  wait_for 30 "monitor quorum" ceph --connect-timeout 5 mon stat ||
    rgw_fail "$dir" "the Ceph monitor did not answer within 30 s"

  step "monitor up"
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(ceph osd new "$osd_uuid" 2>>"$ceph/log/setup.log") || rgw_fail "$dir" "ceph osd new failed"
  mkdir -p "$ceph/osd/$osd_id"
  # Placed in the CRUSH map here rather than by the OSD at start: its own request races its
  # monitor session ("wrong fsid") and fails now and then.
  ceph osd crush add "osd.$osd_id" 1.0 root=default >>"$ceph/log/setup.log" 2>&1 ||
    rgw_fail "$dir" "ceph osd crush add failed"
  ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >>"$ceph/log/setup.log" 2>&1 ||
    rgw_fail "$dir" "ceph-osd --mkfs failed"
  ceph-osd -i "$osd_id" >>"$ceph/log/setup.log" 2>&1 || rgw_fail "$dir" "ceph-osd did not start"
  osd_up() { ceph osd stat 2>/dev/null | grep -q '1 up'; }
  wait_for 60 "osd up" osd_up || rgw_fail "$dir" "the Ceph OSD was not up within 60 s"

  step "osd up"
  radosgw -n client.rgw.a >>"$ceph/log/setup.log" 2>&1 || rgw_fail "$dir" "radosgw did not start"
  wait_for 60 "radosgw" curl -fs "http://127.0.0.1:$TESTBED_S3_PORT/" ||
    rgw_fail "$dir" "radosgw did not answer on 127.0.0.1:$TESTBED_S3_PORT within 60 s"

  step "radosgw up"
  radosgw-admin user create --uid=testbed --display-name="Test bed" \
    --access-key="$AWS_ACCESS_KEY_ID" --secret-key="$AWS_SECRET_ACCESS_KEY" \
    >>"$ceph/log/setup.log" 2>&1 || rgw_fail "$dir" "radosgw-admin user create failed"
}

# Stops the daemons by their pid files only: TERM, then KILL after 1 s (the data is throwaway,
# so nothing is gained by waiting for a clean shutdown). Gateways first: the bed's, and any a test
# started beside it (__tests__/e2e/rgw.ts) and could not stop.
rgw_stop() {
  local ceph="$1/ceph" f pid i word
  for f in "$ceph"/run/client.rgw.*.pid "$ceph/run/osd.0.pid" "$ceph/run/mon.a.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # Only a daemon of this bed (pid_is, bed.sh: a killed daemon leaves its pid file behind).
    case $f in
      */client.rgw.*) word=$(basename "$f" .pid) ;;
      */osd.0.pid) word=ceph-osd ;;
      *) word=ceph-mon ;;
    esac
    pid_is "$pid" "$word" || continue
    kill "$pid" 2>/dev/null || continue
    for i in $(seq 1 5); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  return 0
}
