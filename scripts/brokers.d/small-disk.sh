# shellcheck shell=bash
# Small-disk topologies, for the fault kit's disk-full fault: one broker of each kind on ports of its own
# (*_SMALL_DISK_* in brokers.env) whose whole state (data, logs, pid) lives on a tmpfs of its own, mounted at
# .brokers/T/node1 when T starts and unmounted when it stops, its logs kept in .brokers/T.logs (mount needs root).
# They run beside the plain brokers, which a full disk never touches.
#
#   scripts/brokers fill T     a ballast file fills the small disk, leaving what makes the broker see a full disk
#   scripts/brokers unfill T   the ballast goes; a broker that the full disk stopped is started again
#
# What the full disk does, per broker (each the broker's own behaviour on a real full disk):
#   redis     the next AOF write fails; with appendfsync always Redis exits (it cannot un-acknowledge)
#   rabbitmq  free space falls below disk_free_limit (50 MB): the disk alarm blocks every publishing connection
#   kafka     the next log append fails: the log directory goes offline, and with its only one the broker stops
#   rocketmq  the store is more than 90 % full (diskSpaceWarningLevelRatio): the broker refuses writes
# The plain start functions run in a subshell with STATE and the ports pointed at the small disk (sd_run).
SMALL_DISKS=(redis-small-disk rabbitmq-small-disk kafka-small-disk rocketmq-small-disk)
CLUSTERS+=("${SMALL_DISKS[@]}")

sd_broker() { echo "${1%-small-disk}"; }
sd_dir() { nodedir "$1" node1; }
sd_mib() { case $(sd_broker "$1") in redis) echo 64 ;; rabbitmq|kafka) echo 256 ;; rocketmq) echo 512 ;; esac; }
sd_leave_bytes() {  # what fill leaves free: none, or just below the broker's own limit
  local total; total=$(df --output=size -B1 "$(sd_dir "$1")" | tail -n1 | tr -d ' ')
  case $(sd_broker "$1") in
    redis|kafka) echo 0 ;;
    rabbitmq) echo $((20 * 1024 * 1024)) ;;           # below disk_free_limit.absolute = 50MB
    rocketmq) echo $((total * 7 / 100)) ;;             # 93 % used: above the 90 % at which writes stop
  esac
}
sd_run() {  # sd_run T FUNCTION [ARG...]: a plain broker's function, on T's disk and ports, in a subshell
  local t=$1; shift
  (
    STATE=$(sd_dir "$t")
    REDIS_PORT=$REDIS_SMALL_DISK_PORT
    RABBITMQ_PORT=$RABBITMQ_SMALL_DISK_PORT RABBITMQ_MGMT_PORT=$RABBITMQ_SMALL_DISK_MGMT_PORT
    RABBITMQ_DIST_PORT_NUM=$RABBITMQ_SMALL_DISK_DIST_PORT RABBITMQ_EPMD_PORT=$RABBITMQ_SMALL_DISK_EPMD_PORT
    KAFKA_PORT=$KAFKA_SMALL_DISK_PORT KAFKA_CONTROLLER_PORT=$KAFKA_SMALL_DISK_CONTROLLER_PORT
    KAFKA_PROXIED_PORT=$KAFKA_SMALL_DISK_PROXIED_PORT KAFKA_PROXY_PORT=$KAFKA_SMALL_DISK_PROXY_PORT
    ROCKETMQ_NAMESRV_PORT=$ROCKETMQ_SMALL_DISK_NAMESRV_PORT ROCKETMQ_PROXY_GRPC_PORT=$ROCKETMQ_SMALL_DISK_PROXY_GRPC_PORT
    ROCKETMQ_PROXY_REMOTING_PORT=$ROCKETMQ_SMALL_DISK_PROXY_REMOTING_PORT ROCKETMQ_BROKER_PORT=$ROCKETMQ_SMALL_DISK_BROKER_PORT
    "$@"
  )
}
sd_mounted() { mountpoint -q "$(sd_dir "$1")"; }
sd_prepare() {  # mount the small disk once; the jar cache stays on the real disk
  local t=$1 d; d=$(sd_dir "$t")
  [ "$(id -u)" = 0 ] || die "$t mounts a tmpfs: run as root"
  mkdir -p "$d"
  sd_mounted "$t" || mount -t tmpfs -o "size=$(sd_mib "$t")m,mode=0755" "unimq-$t" "$d"
  ln -sfn "$STATE/lib" "$d/lib"
  case $(sd_broker "$t") in kafka|rocketmq) fetch_jars "$(sd_broker "$t")" >&2 ;; esac
}
sd_teardown() {  # after the node's stop: the small disk and all on it go, but its logs are kept in .brokers/T.logs
  local d l; d=$(sd_dir "$1"); l="$STATE/$1.logs"
  if sd_mounted "$1"; then
    rm -rf "$l" && mkdir -p "$l"
    ( cd "$d" && find . -path ./lib -prune -o \( -name '*.log' -o -name '*.out' \) -size -50M -print0 | xargs -0r cp --parents -t "$l" ) || true
    umount "$d" 2>/dev/null || umount -l "$d"
  fi
}
sd_fill() {
  local t=$1 d free leave; d=$(sd_dir "$t")
  sd_mounted "$t" || die "$t is not running: scripts/brokers up $t"
  rm -f "$d/ballast"
  if [ "$(sd_broker "$t")" = rocketmq ]; then
    # RocketMQ looks at its disk every 10 s, the first time 60 s after its store started, and goes on writing
    # until it has marked the disk full: filled earlier, its own writes use up what is left before it looks,
    # and its memory-mapped files then fault (SIGBUS) and the broker breaks. So its first check comes first.
    wait_until 90 "" sd_rocketmq_up_for 70 "$t" || die "$t: the broker is not running"
  fi
  free=$(df --output=avail -B1 "$d" | tail -n1 | tr -d ' '); leave=$(sd_leave_bytes "$t")
  [ "$free" -gt "$leave" ] || { log "$t: already full ($free bytes free)"; return 0; }
  fallocate -l $((free - leave)) "$d/ballast" 2>/dev/null || dd if=/dev/zero of="$d/ballast" bs=1M status=none || true
  log "$t: small disk filled, $(df --output=avail -B1 "$d" | tail -n1 | tr -d ' ') bytes free (was $free)"
  if [ "$(sd_broker "$t")" = rocketmq ]; then  # its next disk check, at most 10 s away, marks the disk full
    sleep 11
    log "$t: the broker has looked at its full disk"
  fi
}
sd_rocketmq_up_for() {  # sd_rocketmq_up_for S T: every process of T has run for S seconds or more
  local up p e; up=999999
  for p in $(sd_run "$2" rocketmq_pids); do
    e=$(ps -o etimes= -p "$p" 2>/dev/null | tr -d ' '); [ -n "$e" ] && [ "$e" -lt "$up" ] && up=$e
  done
  [ "$up" -lt 999999 ] && [ "$up" -ge "$1" ]
}
sd_unfill() {  # free the disk; start the broker again if the full disk stopped it (Kafka: also when its log dir went offline)
  local t=$1 d t0; d=$(sd_dir "$t"); t0=$(now)
  rm -f "$d/ballast"
  if [ "$(sd_broker "$t")" = kafka ] && grep -q 'Shutdown broker because all log dirs\|Stopping serving logs in dir\|have failed' "$d/kafka/server.log" 2>/dev/null; then
    sd_run "$t" kafka_stop
  fi
  if ! "$(fnof "$t")_node_ready" node1; then
    log "$t: the broker stopped on the full disk; starting it again"
    cluster_start "$t" >&2 || return 1
  fi
  log "$t: small disk freed, broker answers after $(since "$t0")s"
}

for sdt in "${SMALL_DISKS[@]}"; do
  f=$(fnof "$sdt"); b=$(sd_broker "$sdt"); t=$sdt
  eval "${f}_nodes() { echo node1; }
        ${f}_node_start() { sd_run $t ${b}_start; }
        ${f}_node_ready() { sd_run $t ${b}_ready; }
        ${f}_node_pids() { sd_run $t ${b}_pids; }
        ${f}_node_addr() { sd_run $t ${b}_addr; }
        ${f}_node_stop() { sd_run $t ${b}_stop; }
        ${f}_prepare() { sd_prepare $t; }
        ${f}_teardown() { sd_teardown $t; }
        ${f}_setup() { :; }
        ${f}_healthy() { ${f}_node_ready node1; }
        ${f}_leader() { echo \"node1 \$(${f}_node_addr node1) (one node)\"; }
        ${f}_selftest() { echo 'n/a: $t is one node (its fault is the fault kit'\"'\"'s disk-full)'; }"
done
unset f b t sdt

redis_small_disk_uri() { echo "redis://$H:$REDIS_SMALL_DISK_PORT/0"; }
rabbitmq_small_disk_uri() {
  echo "rabbitmq://$RABBITMQ_USER:$RABBITMQ_PASS@$H:$RABBITMQ_SMALL_DISK_PORT/%2F?managementPort=$RABBITMQ_SMALL_DISK_MGMT_PORT"
}
kafka_small_disk_uri() { echo "kafka://$H:$KAFKA_SMALL_DISK_PORT"; }
rocketmq_small_disk_uri() { echo "rocketmq://$H:$ROCKETMQ_SMALL_DISK_PROXY_GRPC_PORT?namesrv=$H:$ROCKETMQ_SMALL_DISK_NAMESRV_PORT"; }
