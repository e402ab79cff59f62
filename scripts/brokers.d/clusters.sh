# shellcheck shell=bash
# Cluster topologies of scripts/brokers (sourced by it; uses its helpers: log die alive pid_in tcp_open
# tree_pids wait_until daemon stop_pid fetch_jars now since, and STATE H JAVA from it).
#
# A topology is a set of named nodes. Per topology T (functions are named with T's '-' as '_'):
#   T_nodes                  node names, in start order
#   T_node_start NODE        start one node, return when it answers (its own probe only)
#   T_node_ready NODE        the node answers
#   T_node_pids NODE         its pids (the script kills/pauses these and their children)
#   T_node_addr NODE         where it listens
#   T_node_stop NODE         clean stop
#   T_stages (optional)      lines of node names started together, in order (default: all at once)
#   T_prepare (optional)     before any node starts (configs, ids)
#   T_setup                  after the nodes start: join/form the cluster once, wait until it is whole
#   T_healthy                the topology is whole (quorum, replicas linked, slots covered)
#   T_leader [ARG...]        print "NODE ADDRESS [details]" of the node that leads; exit 1 if none
#   T_selftest               the checks of docs/clusters.md, with the node kill hook
#   T_uri                    the multi-host URI (scripts/brokers env)
# State: .brokers/T/NODE/ (pid, config, data, logs).

CLUSTERS=(kafka-cluster rabbitmq-cluster redis-sentinel redis-cluster rocketmq-cluster)

is_cluster() { [[ " ${CLUSTERS[*]} " == *" $1 "* ]]; }
fnof() { echo "${1//-/_}"; }
words() { echo "${1//,/ }"; }                                   # "a,b,c" -> "a b c"
item() { local a; read -r -a a <<< "${1//,/ }"; echo "${a[$2]}"; }  # item LIST INDEX (0-based)
nodedir() { echo "$STATE/$1/$2"; }
node_pid() { pid_in "$(nodedir "$1" "$2")/pid"; }
rss_mib() {  # rss_mib PID...: summed resident memory of the pids and their children, MiB
  local pids; pids=$(tree_pids "$@" | tr '\n' ',' | sed 's/,$//')
  [ -n "$pids" ] || { echo 0; return; }
  ps -o rss= -p "$pids" 2>/dev/null | awk '{ s += $1 } END { printf "%d", s / 1024 }'
}
check() {  # check WHAT cmd...: print PASS/FAIL, count failures in FAILS
  if "${@:2}" >/dev/null; then echo "PASS  $1"; else echo "FAIL  $1"; FAILS=$((FAILS + 1)); fi
}
await() {  # await SECS WHAT cmd...: poll until cmd succeeds; print how long it took
  local t0 secs=$1 what=$2; shift 2; t0=$(now)
  if wait_until "$secs" "" "$@"; then echo "PASS  $what after $(since "$t0") s"
  else echo "FAIL  $what (not within ${secs} s)"; FAILS=$((FAILS + 1)); fi
}

# ---------------------------------------------------------------- generic topology operations
cluster_nodes() { "$(fnof "$1")_nodes"; }
cluster_stages() {
  if declare -F "$(fnof "$1")_stages" >/dev/null; then "$(fnof "$1")_stages"; else echo $(cluster_nodes "$1"); fi
}
cluster_node_check() {  # the node exists in the topology
  local n; for n in $(cluster_nodes "$1"); do [ "$n" = "$2" ] && return 0; done
  die "$1 has no node '$2' (nodes: $(echo $(cluster_nodes "$1")))"
}
cluster_pids() { local n; for n in $(cluster_nodes "$1"); do "$(fnof "$1")_node_pids" "$n"; done; }
cluster_ready() {
  local t=$1 f n; f=$(fnof "$1")
  for n in $(cluster_nodes "$t"); do "${f}_node_ready" "$n" || return 1; done
  "${f}_healthy"
}
# start the nodes that do not answer (a stage at a time, a stage's nodes in parallel), then set up
cluster_start() {
  local t=$1 f stage n rc=0; f=$(fnof "$1")
  local -A job
  mkdir -p "$STATE/$t"
  if declare -F "${f}_prepare" >/dev/null; then "${f}_prepare"; fi
  while read -r stage; do
    job=()
    for n in $stage; do
      "${f}_node_ready" "$n" && continue
      mkdir -p "$(nodedir "$t" "$n")"
      if alive "$("${f}_node_pids" "$n" | head -n1)"; then  # paused or still starting: resume it, do not start another
        kill -CONT $(tree_pids $("${f}_node_pids" "$n")) 2>/dev/null || true
        ( wait_until 120 "" "${f}_node_ready" "$n" ) > "$(nodedir "$t" "$n")/up.out" 2>&1 &
        job[$n]=$!; continue
      fi
      ( "${f}_node_start" "$n" ) > "$(nodedir "$t" "$n")/up.out" 2>&1 &
      job[$n]=$!
    done
    for n in "${!job[@]}"; do
      wait "${job[$n]}" || { rc=1; log "$t/$n: failed to start:"; tail -n 20 "$(nodedir "$t" "$n")/up.out" >&2; }
    done
    [ $rc -eq 0 ] || return 1
  done < <(cluster_stages "$t")
  "${f}_setup"
}
cluster_stop() {
  local t=$1 f n; f=$(fnof "$1")
  for n in $(cluster_nodes "$t"); do
    kill -CONT $(tree_pids $("${f}_node_pids" "$n")) 2>/dev/null || true
  done
  for n in $(cluster_nodes "$t"); do ( STOPPING_ALL=1 "${f}_node_stop" "$n"; rm -f "$(nodedir "$t" "$n")/pid" ) & done; wait
  if declare -F "${f}_teardown" >/dev/null; then "${f}_teardown"; fi
}
cluster_addr() { local n; for n in $(cluster_nodes "$1"); do printf '%s ' "$n=$("$(fnof "$1")_node_addr" "$n")"; done; }
cluster_logs() { local n; for n in $(cluster_nodes "$1"); do ls "$(nodedir "$1" "$n")"/*.log "$(nodedir "$1" "$n")"/*.out 2>/dev/null || true; done; }
cluster_status() {  # one line per node, then the topology; exit 1 unless every node answers and it is whole
  local t=$1 f n pids total=0 rc=0 m up=0; f=$(fnof "$1")
  for n in $(cluster_nodes "$t"); do
    pids=$("${f}_node_pids" "$n" | tr '\n' ' ')
    if "${f}_node_ready" "$n"; then
      m=$(rss_mib $pids); total=$((total + m)); up=$((up + 1))
      printf '  %-16s %-12s ready  pid %-8s rss %4s MiB  %s\n' "$t" "$n" "$pids" "$m" "$("${f}_node_addr" "$n")"
    else
      printf '  %-16s %-12s DOWN%s\n' "$t" "$n" "$([ -n "$pids" ] && alive $pids && echo " (pid $pids alive: paused or starting?)")"; rc=1
    fi
  done
  if [ $up -eq 0 ]; then printf '%-16s DOWN\n' "$t"; return 1; fi
  if [ $rc -eq 0 ] && "${f}_healthy"; then printf '%-16s ready  rss %s MiB total\n' "$t" "$total"
  else printf '%-16s NOT READY (%s)\n' "$t" "$([ $rc -eq 0 ] && echo "nodes answer, cluster not whole" || echo "a node is down")"; rc=1; fi
  return $rc
}
cluster_signal() {  # cluster_signal SIG T [NODE...]
  local sig=$1 t=$2 f n pids; f=$(fnof "$2"); shift 2
  [ $# -gt 0 ] || set -- $(cluster_nodes "$t")
  for n; do
    cluster_node_check "$t" "$n"
    pids=$(tree_pids $("${f}_node_pids" "$n"))
    if [ -z "$pids" ]; then log "$t/$n: not running"; continue; fi
    kill "-$sig" $pids 2>/dev/null || true
    log "$t/$n: SIG$sig sent to $(echo $pids)"
  done
}
cluster_restart() {  # cluster_restart T [NODE...]: clean stop and start of the nodes, then wait until whole
  local t=$1 f n t0; f=$(fnof "$1"); shift
  [ $# -gt 0 ] || { cluster_stop "$t"; cluster_start "$t"; return; }
  t0=$(now)
  for n; do
    cluster_node_check "$t" "$n"
    kill -CONT $(tree_pids $("${f}_node_pids" "$n")) 2>/dev/null || true
    "${f}_node_stop" "$n"; rm -f "$(nodedir "$t" "$n")/pid"
  done
  if declare -F "${f}_prepare" >/dev/null; then "${f}_prepare"; fi
  for n; do
    ( "${f}_node_start" "$n" ) > "$(nodedir "$t" "$n")/up.out" 2>&1 || { tail -n 20 "$(nodedir "$t" "$n")/up.out" >&2; return 1; }
  done
  wait_until 120 "" "${f}_healthy" || return 1
  log "$t: $* restarted, whole again after $(since "$t0")s"
}

# ---------------------------------------------------------------- kafka-cluster: 3 KRaft nodes, broker+controller each
kafka_cluster_nodes() { echo node1 node2 node3; }
kc_i() { echo $((${1#node} - 1)); }
kc_port() { item "$KAFKA_CLUSTER_PORTS" "$(kc_i "$1")"; }
kc_bootstrap() { local p s=""; for p in $(words "$KAFKA_CLUSTER_PORTS"); do s+="${s:+,}$H:$p"; done; echo "$s"; }
kafka_cluster_node_pids() { node_pid kafka-cluster "$1"; }
kafka_cluster_node_addr() { echo "$H:$(kc_port "$1") (controller $(item "$KAFKA_CLUSTER_CONTROLLER_PORTS" "$(kc_i "$1")"))"; }
kafka_cluster_node_ready() { kafka_api_ok "$(kc_port "$1")"; }
kafka_cluster_healthy() { true; }   # a node answers only once it has joined the quorum and is unfenced
kafka_cluster_uri() { echo "kafka://$(kc_bootstrap)"; }
kafka_cluster_prepare() {
  local d="$STATE/kafka-cluster" id
  if [ ! -s "$d/cluster.id" ]; then  # one id for the three nodes; 16 random bytes, base64url, no leading '-'
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    case $id in -*) id="A${id:1}" ;; esac
    echo "$id" > "$d/cluster.id"
    rm -rf "$d"/node*/data
  fi
}
kafka_cluster_node_start() {
  local n=$1 i d voters="" k cp="$STATE/lib/kafka/*"; i=$(kc_i "$1"); d=$(nodedir kafka-cluster "$1")
  for k in 0 1 2; do voters+="${voters:+,}$((k + 1))@$H:$(item "$KAFKA_CLUSTER_CONTROLLER_PORTS" $k)"; done
  mkdir -p "$d/data"
  cat > "$d/server.properties" <<EOF
process.roles=broker,controller
node.id=$((i + 1))
controller.quorum.voters=$voters
listeners=PLAINTEXT://$H:$(kc_port "$n"),CONTROLLER://$H:$(item "$KAFKA_CLUSTER_CONTROLLER_PORTS" "$i")
advertised.listeners=PLAINTEXT://$H:$(kc_port "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.replica.fetchers=1
log.segment.bytes=16777216
EOF
  cat > "$d/log4j2.properties" <<EOF
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $d/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
EOF
  if [ ! -f "$d/data/meta.properties" ]; then
    "$JAVA" -cp "$cp" kafka.tools.StorageTool format -t "$(cat "$STATE/kafka-cluster/cluster.id")" \
      -c "$d/server.properties" > "$d/format.out" 2>&1 || { cat "$d/format.out"; return 1; }
  fi
  rm -f "$d/server.log"
  daemon "$d/kafka.out" "$d/pid" "$JAVA" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:MaxDirectMemorySize=128m \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$d/log4j2.properties" -Dkafka.logs.dir="$d" \
    -cp "$cp" kafka.Kafka "$d/server.properties"
  wait_until 120 "$d/pid" grep -q 'Kafka Server started' "$d/server.log"
}
# A node stopped alone moves its leaderships away first (controlled shutdown). When all three stop, the
# last ones have no controller quorum left and wait for one until killed: 15 s, then SIGKILL.
kafka_cluster_node_stop() { stop_pid "$(node_pid kafka-cluster "$1")" "$([ -n "${STOPPING_ALL:-}" ] && echo 15 || echo 45)"; }
kafka_cluster_setup() { true; }
kafka_tool() {  # kafka_tool MAIN-CLASS ARGS...: Kafka's command-line tools, errors only
  fetch_jars kafka-tools >&2
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -cp "$STATE/lib/kafka/*:$STATE/lib/kafka-tools/*" "$@"
}
# leader: without a topic, the KRaft controller quorum's leader; with TOPIC [PARTITION], that partition's
kafka_cluster_leader() {
  local out id line
  if [ $# -eq 0 ]; then
    out=$(kafka_tool org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$(kc_bootstrap)" describe --status 2>&1) \
      || { echo "$out" >&2; return 1; }
    id=$(sed -n 's/^LeaderId:[[:space:]]*\([0-9]*\).*/\1/p' <<< "$out")
    [ -n "$id" ] || { echo "none"; return 1; }
    echo "node$id $(kafka_cluster_node_addr "node$id" | cut -d' ' -f1) controller-quorum-leader"
    return
  fi
  out=$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kc_bootstrap)" --describe --topic "$1" 2>&1) \
    || { echo "$out" >&2; return 1; }
  line=$(grep -E "Partition: ${2:-0}[[:space:]]" <<< "$out") || { echo "$out" >&2; return 1; }
  id=$(sed -n 's/.*Leader: \([-0-9a-z]*\).*/\1/p' <<< "$line")
  case $id in ''|none|-1) echo "none $line"; return 1 ;; esac
  echo "node$id $(kafka_cluster_node_addr "node$id" | cut -d' ' -f1) topic=$1 partition=${2:-0}" \
    "replicas=$(sed -n 's/.*Replicas: \([0-9,]*\).*/\1/p' <<< "$line") isr=$(sed -n 's/.*Isr: \([0-9,]*\).*/\1/p' <<< "$line")"
}
kc_isr_size() { kafka_cluster_leader "$1" 0 2>/dev/null | sed -n 's/.*isr=\([0-9,]*\).*/\1/p' | tr ',' '\n' | grep -c .; }
kc_topic() { kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kc_bootstrap)" "$@"; }
kc_send() {  # kc_send TOPIC MESSAGE: acks=all, so it needs min.insync.replicas (2) replicas in sync
  echo "$2" | kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$(kc_bootstrap)" --topic "$1" \
    --command-property acks=all --command-property delivery.timeout.ms=60000 --command-property request.timeout.ms=10000 \
    --command-property linger.ms=0 >/dev/null 2>&1
}
kc_leader_moved() { local l; l=$(kafka_cluster_leader "$1" 0 2>/dev/null | cut -d' ' -f1); [ -n "$l" ] && [ "$l" != none ] && [ "$l" != "$2" ]; }
kafka_cluster_selftest() {
  local t="selftest-$(date +%s)" out l got
  check "3 nodes answer" cluster_ready kafka-cluster
  check "the controller quorum has a leader: $(kafka_cluster_leader 2>/dev/null)" kafka_cluster_leader
  kc_topic --create --topic "$t" --partitions 1 >/dev/null 2>&1
  out=$(kc_topic --describe --topic "$t" 2>&1)
  check "topic $t created without a replication factor has 3 replicas" grep -q 'ReplicationFactor: 3' <<< "$out"
  out=$(kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$(kc_bootstrap)" --entity-type topics --entity-name "$t" \
    --describe --all 2>&1)
  check "its min.insync.replicas is 2" grep -q 'min.insync.replicas=2 ' <<< "$out"
  l=$(kafka_cluster_leader "$t" 0 | cut -d' ' -f1)
  echo "      leader of $t partition 0: $l"
  check "send m1 with acks=all" kc_send "$t" m1
  cluster_signal KILL kafka-cluster "$l"
  await 60 "a new leader for $t partition 0 (not $l)" kc_leader_moved "$t" "$l"
  echo "      leader now: $(kafka_cluster_leader "$t" 0)"
  check "send m2 with acks=all while $l is down (2 in sync = min.insync.replicas)" kc_send "$t" m2
  got=$(kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$(kc_bootstrap)" --topic "$t" \
    --from-beginning --group "$t-g" --max-messages 2 --timeout-ms 60000 2>/dev/null | tr '\n' ' ')
  check "consumer group reads m1 m2 (got: $got)" [ "$got" = "m1 m2 " ]
  out=$(kc_topic --describe --topic __consumer_offsets 2>&1)
  check "__consumer_offsets has 3 replicas" grep -q 'ReplicationFactor: 3' <<< "$out"
  cluster_start kafka-cluster >/dev/null
  await 90 "$l back in the ISR of $t partition 0" eval '[ "$(kc_isr_size "$t")" = 3 ]'
  kc_topic --delete --topic "$t" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- redis (shared by redis-sentinel and redis-cluster)
rping() { [ "$(timeout 2 redis-cli -h $H -p "$1" ping 2>/dev/null)" = PONG ]; }
rcli() { local p=$1; shift; timeout 10 redis-cli -h $H -p "$p" "$@"; }
rinfo() { rcli "$1" info "$2" 2>/dev/null | tr -d '\r' | sed -n "s/^$3:\(.*\)/\1/p"; }  # rinfo PORT SECTION FIELD
redis_node_start() {  # redis_node_start DIR CONF-FILE [--sentinel]: run in the foreground of a daemon, wait for PONG
  local d=$1 conf=$2 port; port=$(sed -n 's/^port //p' "$conf")
  : > "$d/redis.log"
  daemon "$d/redis.out" "$d/pid" redis-server "$conf" "${@:3}"
  wait_until 20 "$d/pid" rping "$port"
}

# ---------------------------------------------------------------- redis-sentinel: 1 master, 1 replica, 3 sentinels
redis_sentinel_nodes() { echo redis1 redis2 sentinel1 sentinel2 sentinel3; }
rs_port() { case $1 in redis*) item "$REDIS_SENTINEL_DATA_PORTS" $((${1#redis} - 1)) ;;
                       sentinel*) item "$REDIS_SENTINEL_PORTS" $((${1#sentinel} - 1)) ;; esac; }
rs_node_of_port() { local n; for n in $(redis_sentinel_nodes); do [ "$(rs_port "$n")" = "$1" ] && { echo "$n"; return; }; done; echo "?"; }
redis_sentinel_node_pids() { node_pid redis-sentinel "$1"; }
redis_sentinel_node_addr() { echo "$H:$(rs_port "$1")$(case $1 in sentinel*) echo " (sentinel)" ;; *) echo " ($(rinfo "$(rs_port "$1")" replication role))" ;; esac)"; }
redis_sentinel_node_ready() { rping "$(rs_port "$1")"; }
redis_sentinel_uri() {
  local p s=""; for p in $(words "$REDIS_SENTINEL_PORTS"); do s+="${s:+,}$H:$p"; done
  echo "redis-sentinel://$s/0?master=$REDIS_SENTINEL_MASTER"
}
rs_sentinel_port() { local n; for n in sentinel1 sentinel2 sentinel3; do rping "$(rs_port $n)" && { rs_port $n; return; }; done; return 1; }
rs_master_port() { local s; s=$(rs_sentinel_port) || return 1
  rcli "$s" sentinel get-master-addr-by-name "$REDIS_SENTINEL_MASTER" 2>/dev/null | sed -n 2p; }
# whole: 3 sentinels agree on a master that answers as master with its replica linked
redis_sentinel_healthy() {
  local s m; s=$(rs_sentinel_port) || return 1
  rcli "$s" sentinel ckquorum "$REDIS_SENTINEL_MASTER" 2>/dev/null | grep -q '^OK 3 usable' || return 1
  [ "$(rcli "$s" sentinel master "$REDIS_SENTINEL_MASTER" 2>/dev/null | sed -n '/^num-slaves$/{n;p}')" -ge 1 ] || return 1
  m=$(rs_master_port) || return 1
  [ "$(rinfo "$m" replication role)" = master ] && [ "$(rinfo "$m" replication connected_slaves)" = 1 ]
}
redis_sentinel_prepare() {  # configs are written once: sentinels and failovers rewrite them (CONFIG REWRITE)
  local n d p m; m=$(item "$REDIS_SENTINEL_DATA_PORTS" 0)
  for n in $(redis_sentinel_nodes); do
    d=$(nodedir redis-sentinel "$n"); p=$(rs_port "$n"); mkdir -p "$d"
    [ -f "$d/$n.conf" ] && continue
    { echo "port $p"; echo "bind $H"; echo "daemonize no"; echo "dir $d"; echo "logfile $d/redis.log"
      case $n in
        redis*) echo "appendonly yes"; echo "appendfsync always"; echo 'save ""'
                [ "$n" = redis1 ] || echo "replicaof $H $m" ;;
        sentinel*) echo "sentinel resolve-hostnames no"
                   echo "sentinel monitor $REDIS_SENTINEL_MASTER $H $m 2"
                   echo "sentinel down-after-milliseconds $REDIS_SENTINEL_MASTER 3000"
                   echo "sentinel failover-timeout $REDIS_SENTINEL_MASTER 10000"
                   echo "sentinel parallel-syncs $REDIS_SENTINEL_MASTER 1" ;;
      esac; } > "$d/$n.conf"
  done
}
redis_sentinel_node_start() {
  local d; d=$(nodedir redis-sentinel "$1")
  case $1 in sentinel*) redis_node_start "$d" "$d/$1.conf" --sentinel ;; *) redis_node_start "$d" "$d/$1.conf" ;; esac
}
redis_sentinel_node_stop() { stop_pid "$(node_pid redis-sentinel "$1")" 20; }
redis_sentinel_setup() { wait_until 60 "" redis_sentinel_healthy; }
redis_sentinel_leader() {  # the master the sentinels name (SENTINEL get-master-addr-by-name)
  local m; m=$(rs_master_port) || { echo none; return 1; }
  [ -n "$m" ] || { echo none; return 1; }
  echo "$(rs_node_of_port "$m") $H:$m master=$REDIS_SENTINEL_MASTER role=$(rinfo "$m" replication role) replicas=$(rinfo "$m" replication connected_slaves)"
}
rs_master_is_not() { local m; m=$(rs_master_port) && [ -n "$m" ] && [ "$m" != "$1" ] && [ "$(rinfo "$m" replication role)" = master ]; }
redis_sentinel_selftest() {
  local m mp key="selftest-$(date +%s)" out nm
  check "quorum: $(rcli "$(rs_sentinel_port)" sentinel ckquorum "$REDIS_SENTINEL_MASTER" | tr -d '\r')" redis_sentinel_healthy
  m=$(redis_sentinel_leader | cut -d' ' -f1); mp=$(rs_port "$m")
  echo "      master: $m"
  out=$(printf 'SET %s v1\nWAIT 1 5000\n' "$key" | rcli "$mp" | tr '\n' ' ')
  check "SET then WAIT 1 on the master: the replica acknowledged ($out)" [ "$out" = "OK 1 " ]
  cluster_signal KILL redis-sentinel "$m"
  await 60 "the sentinels promote the replica (master is no longer $m)" rs_master_is_not "$mp"
  nm=$(redis_sentinel_leader | cut -d' ' -f1); echo "      master now: $nm"
  check "the new master has the acknowledged write" [ "$(rcli "$(rs_port "$nm")" get "$key")" = v1 ]
  cluster_start redis-sentinel >/dev/null 2>&1
  await 60 "$m back as a replica of $nm, link up" \
    eval '[ "$(rinfo "$mp" replication role)" = slave ] && [ "$(rinfo "$mp" replication master_link_status)" = up ]'
  await 30 "the topology is whole again" redis_sentinel_healthy
  rcli "$(rs_port "$nm")" del "$key" >/dev/null
}

# ---------------------------------------------------------------- redis-cluster: 3 masters + 3 replicas
redis_cluster_nodes() { local i; for i in $(seq 1 "$(words "$REDIS_CLUSTER_PORTS" | wc -w)"); do echo "node$i"; done; }
rc_port() { item "$REDIS_CLUSTER_PORTS" $((${1#node} - 1)); }
rc_node_of_port() { local n; for n in $(redis_cluster_nodes); do [ "$(rc_port "$n")" = "$1" ] && { echo "$n"; return; }; done; echo "?"; }
redis_cluster_node_pids() { node_pid redis-cluster "$1"; }
redis_cluster_node_addr() { echo "$H:$(rc_port "$1") ($(rinfo "$(rc_port "$1")" replication role))"; }
redis_cluster_node_ready() { rping "$(rc_port "$1")"; }
redis_cluster_uri() { local p s=""; for p in $(words "$REDIS_CLUSTER_PORTS"); do s+="${s:+,}$H:$p"; done; echo "redis-cluster://$s"; }
rc_live_port() { local n; for n in $(redis_cluster_nodes); do rping "$(rc_port "$n")" && { rc_port "$n"; return; }; done; return 1; }
redis_cluster_healthy() {
  local n; for n in $(redis_cluster_nodes); do
    [ "$(rinfo "$(rc_port "$n")" cluster cluster_enabled)" = 1 ] || return 1
    rcli "$(rc_port "$n")" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok' || return 1
  done
  [ "$(rcli "$(rc_live_port)" cluster nodes | grep -c master)" -ge 3 ]
}
redis_cluster_prepare() {
  local n d; for n in $(redis_cluster_nodes); do
    d=$(nodedir redis-cluster "$n"); mkdir -p "$d"
    cat > "$d/$n.conf" <<EOC
port $(rc_port "$n")
bind $H
daemonize no
dir $d
logfile $d/redis.log
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 3000
appendonly yes
appendfsync always
save ""
EOC
  done
}
redis_cluster_node_start() { local d; d=$(nodedir redis-cluster "$1"); redis_node_start "$d" "$d/$1.conf"; }
redis_cluster_node_stop() { stop_pid "$(node_pid redis-cluster "$1")" 20; }
redis_cluster_setup() {  # the first time: node1..3 masters, one replica each (redis-cli picks which)
  local p all="" assigned
  assigned=$(rcli "$(rc_port node1)" cluster info | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')
  if [ "$assigned" = 0 ]; then
    for p in $(words "$REDIS_CLUSTER_PORTS"); do all+=" $H:$p"; done
    # shellcheck disable=SC2086
    redis-cli --cluster create $all --cluster-replicas 1 --cluster-yes > "$STATE/redis-cluster/create.out" 2>&1 \
      || { cat "$STATE/redis-cluster/create.out" >&2; return 1; }
  fi
  wait_until 60 "" redis_cluster_healthy
}
# leader: the masters and their slots; with KEY, the master that owns KEY's slot
redis_cluster_leader() {
  local p nodes slot line a r; p=$(rc_live_port) || { echo none; return 1; }
  nodes=$(rcli "$p" cluster nodes | tr -d '\r' | awk '$3 ~ /master/ && $3 !~ /fail/')
  if [ $# -eq 0 ]; then
    while read -r line; do
      set -- $line; a=${2%%@*}; echo "$(rc_node_of_port "${a##*:}") $a slots=$(echo "${@:9}" | tr ' ' ',')"
    done <<< "$nodes"
    return
  fi
  slot=$(rcli "$p" cluster keyslot "$1")
  while read -r line; do
    set -- $line; a=${2%%@*}; for r in "${@:9}"; do
      if [ "$slot" -ge "${r%-*}" ] && [ "$slot" -le "${r#*-}" ]; then
        echo "$(rc_node_of_port "${a##*:}") $a slot=$slot"; return 0
      fi
    done
  done <<< "$nodes"
  echo "none slot=$slot"; return 1
}
rc_roles() { rcli "$(rc_live_port)" cluster nodes | awk '$3 !~ /fail/ { if ($3 ~ /master/) m++; else s++ } END { printf "%d masters %d replicas", m, s }'; }
rc_owner_is_not() { local l; l=$(redis_cluster_leader "$1" 2>/dev/null | cut -d' ' -f1) && [ "$l" != "$2" ]; }
redis_cluster_selftest() {
  local key="selftest-$(date +%s)" m mp out nm
  check "redis-cli --cluster check: all 16384 slots covered" \
    eval "redis-cli --cluster check $H:$(rc_live_port) | grep -q 'All 16384 slots covered'"
  check "3 masters and 3 replicas: $(rc_roles)" [ "$(rc_roles)" = "3 masters 3 replicas" ]
  m=$(redis_cluster_leader "$key" | cut -d' ' -f1); mp=$(rc_port "$m")
  echo "      $key is in slot $(rcli "$mp" cluster keyslot "$key") on $m"
  out=$(printf 'SET %s v1\nWAIT 1 5000\n' "$key" | rcli "$mp" | tr '\n' ' ')
  check "SET then WAIT 1 on its master: the replica acknowledged ($out)" [ "$out" = "OK 1 " ]
  cluster_signal KILL redis-cluster "$m"
  await 60 "a replica takes over the slot of $key (owner no longer $m)" rc_owner_is_not "$key" "$m"
  nm=$(redis_cluster_leader "$key" | cut -d' ' -f1); echo "      owner now: $nm"
  check "the key is readable through the cluster (redis-cli -c)" [ "$(timeout 10 redis-cli -c -h $H -p "$(rc_live_port)" get "$key")" = v1 ]
  cluster_start redis-cluster >/dev/null 2>&1
  await 60 "$m back as a replica" eval '[ "$(rinfo "$mp" replication role)" = slave ] && [ "$(rinfo "$mp" replication master_link_status)" = up ]'
  check "redis-cli --cluster check after the failover" eval "redis-cli --cluster check $H:$(rc_port node1) | grep -q 'All 16384 slots covered'"
  timeout 10 redis-cli -c -h $H -p "$(rc_live_port)" del "$key" >/dev/null
}

# ---------------------------------------------------------------- rabbitmq-cluster: 3 nodes joined, quorum queues
# Nodes rabbit1..3@localhost share one HOME (one Erlang cookie) and a private epmd (RABBITMQ_CLUSTER_EPMD_PORT).
rabbitmq_cluster_nodes() { echo node1 node2 node3; }
rq_i() { echo $((${1#node} - 1)); }
rq_port() { item "$RABBITMQ_CLUSTER_PORTS" "$(rq_i "$1")"; }
rq_mgmt() { item "$RABBITMQ_CLUSTER_MGMT_PORTS" "$(rq_i "$1")"; }
rq_erl() { echo "rabbit${1#node}@localhost"; }
rq_node_of_erl() { local n=${1%%@*}; echo "node${n#rabbit}"; }
rq_env() {  # rq_env NODE: a private node; call only in a subshell
  local d; d=$(nodedir rabbitmq-cluster "$1")
  export HOME="$STATE/rabbitmq-cluster/home" RABBITMQ_NODENAME="$(rq_erl "$1")" RABBITMQ_NODE_IP_ADDRESS=$H \
    RABBITMQ_NODE_PORT="$(rq_port "$1")" RABBITMQ_DIST_PORT="$(item "$RABBITMQ_CLUSTER_DIST_PORTS" "$(rq_i "$1")")" \
    ERL_EPMD_ADDRESS=$H ERL_EPMD_PORT="$RABBITMQ_CLUSTER_EPMD_PORT" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_LOGS="$d/log/rabbit.log" \
    RABBITMQ_PID_FILE="$d/pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}"
}
rq() { local n=$1 c=$2; shift 2; ( rq_env "$n"; "$RABBIT_BIN/$c" -n "$(rq_erl "$n")" "$@" ); }  # rq NODE CLI ARGS...
rq_amqp_ok() {  # the AMQP 0-9-1 header gets a Connection.Start method frame back
  [ "$(timeout 3 bash -c "exec 3<>/dev/tcp/$H/$1; printf 'AMQP\x00\x00\x09\x01' >&3; head -c 1 <&3 | od -An -tx1" 2>/dev/null | tr -d ' \n')" = 01 ]
}
rabbitmq_cluster_node_pids() { node_pid rabbitmq-cluster "$1"; }
rabbitmq_cluster_node_addr() { echo "amqp $H:$(rq_port "$1"), management http://$H:$(rq_mgmt "$1") ($(rq_erl "$1"))"; }
rabbitmq_cluster_node_ready() { rq_amqp_ok "$(rq_port "$1")"; }
rabbitmq_cluster_uri() {
  local p s="" m=""; for p in $(words "$RABBITMQ_CLUSTER_PORTS"); do s+="${s:+,}$H:$p"; done
  for p in $(words "$RABBITMQ_CLUSTER_MGMT_PORTS"); do m+="${m:+,}$H:$p"; done
  echo "rabbitmq://$RABBITMQ_USER:$RABBITMQ_PASS@$s/%2F?management=$m"
}
rq_live() { local n; for n in $(rabbitmq_cluster_nodes); do rabbitmq_cluster_node_ready "$n" && { echo "$n"; return; }; done; return 1; }
rq_running() {  # the running members as a live node sees them, e.g. "rabbit1@localhost rabbit2@localhost"
  local n; n=$(rq_live) || return 1
  rq "$n" rabbitmqctl -q --timeout 20 cluster_status --formatter json 2>/dev/null | jq -r '.running_nodes | sort | join(" ")'
}
rabbitmq_cluster_healthy() { [ "$(rq_running | wc -w)" = 3 ]; }
rabbitmq_cluster_prepare() {
  local n d; mkdir -p "$STATE/rabbitmq-cluster/home" && chmod 700 "$STATE/rabbitmq-cluster/home"
  for n in $(rabbitmq_cluster_nodes); do
    d=$(nodedir rabbitmq-cluster "$n"); mkdir -p "$d/mnesia" "$d/log"
    : > "$d/rabbitmq-env.conf"
    echo '[rabbitmq_management].' > "$d/enabled_plugins"
    # at-least-once dead-lettering (the quorum delay ladder) resends what a target did not confirm after this long
    # (180 s by default): what was mid-hop on a killed node arrives within 10 s of the node's loss, as on one node
    echo '[{rabbit, [{dead_letter_worker_publisher_confirm_timeout, 10000}]}].' > "$d/advanced.config"
    cat > "$d/rabbitmq.conf" <<EOC
listeners.tcp.default = $H:$(rq_port "$n")
management.tcp.ip = $H
management.tcp.port = $(rq_mgmt "$n")
vm_memory_high_watermark.absolute = 2GB
disk_free_limit.absolute = 50MB
collect_statistics_interval = 1000
cluster_partition_handling = pause_minority
default_vhost = /
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASS
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOC
  done
}
rabbitmq_cluster_node_start() {
  local d; d=$(nodedir rabbitmq-cluster "$1")
  rm -f "$d/pid" && : > "$d/log/rabbit.log"
  ( rq_env "$1"; "$RABBIT_BIN/rabbitmq-server" -detached )
  rq "$1" rabbitmqctl --timeout 120 wait "$d/pid"
  wait_until 60 "$d/pid" rabbitmq_cluster_node_ready "$1"
}
rabbitmq_cluster_node_stop() {
  local d pid; d=$(nodedir rabbitmq-cluster "$1"); pid=$(node_pid rabbitmq-cluster "$1")
  alive "$pid" || return 0
  rq "$1" rabbitmqctl -q --timeout 60 stop "$d/pid" >/dev/null 2>&1 || stop_pid "$pid" 30
}
rabbitmq_cluster_teardown() { ( rq_env node1; epmd -kill >/dev/null 2>&1 || true ); }  # only the cluster's epmd
rabbitmq_cluster_setup() {  # a node that is not a member yet (fresh) joins node1's cluster
  local n members; members=$(rq node1 rabbitmqctl -q --timeout 30 cluster_status --formatter json | jq -r '.disk_nodes | join(" ")')
  for n in node2 node3; do
    [[ " $members " == *" $(rq_erl $n) "* ]] && continue
    log "rabbitmq-cluster: $n joins $(rq_erl node1)"
    rq "$n" rabbitmqctl -q stop_app && rq "$n" rabbitmqctl -q join_cluster "$(rq_erl node1)" && rq "$n" rabbitmqctl -q start_app || return 1
  done
  wait_until 60 "" rabbitmq_cluster_healthy
}
# leader: without a queue, every quorum queue with its leader; with QUEUE, that queue's leader
rabbitmq_cluster_leader() {
  local n out; n=$(rq_live) || { echo none; return 1; }
  out=$(rq "$n" rabbitmqctl -q --timeout 20 list_queues name type leader members online --formatter json 2>/dev/null) || return 1
  if [ $# -eq 0 ]; then
    jq -r '.[] | select(.type == "quorum") | "\(.leader) \(.name)"' <<< "$out" | while read -r l q; do
      echo "$(rq_node_of_erl "$l") $l queue=$q"; done
    return
  fi
  out=$(jq -r --arg q "$1" '.[] | select(.name == $q) | "\(.leader) members=\(.members | join(",")) online=\(.online | join(","))"' <<< "$out")
  case $out in ''|null*|' '*) echo "none $1"; return 1 ;; esac
  echo "$(rq_node_of_erl "${out%% *}") ${out%% *} queue=$1 ${out#* }"
}
rq_api() {  # rq_api NODE METHOD PATH [JSON]: the management HTTP API of one node
  curl -sf -u "$RABBITMQ_USER:$RABBITMQ_PASS" -H 'content-type: application/json' -X "$2" \
    "http://$H:$(rq_mgmt "$1")/api/$3" ${4:+-d "$4"}
}
rq_leader_is_not() { local l; l=$(rabbitmq_cluster_leader "$1" 2>/dev/null | cut -d' ' -f1) && [ "$l" != none ] && [ "$l" != "$2" ]; }
rq_online() { rabbitmq_cluster_leader "$1" 2>/dev/null | sed -n 's/.*online=\([^ ]*\).*/\1/p' | tr ',' '\n' | grep -c .; }
rabbitmq_cluster_selftest() {
  local q="selftest-$(date +%s)" l live out
  check "cluster_status: 3 running nodes ($(rq_running))" rabbitmq_cluster_healthy
  check "quorum queue $q declared (management API)" rq_api node1 PUT "queues/%2F/$q" '{"durable":true,"arguments":{"x-queue-type":"quorum"}}'
  out=$(rq_api node1 POST "exchanges/%2F/amq.default/publish" \
    "{\"properties\":{\"delivery_mode\":2},\"routing_key\":\"$q\",\"payload\":\"m1\",\"payload_encoding\":\"string\"}")
  check "m1 published to it ($out)" grep -q '"routed":true' <<< "$out"
  await 30 "$q has a leader and 3 members online" eval '[ "$(rq_online "$q")" = 3 ]'
  l=$(rabbitmq_cluster_leader "$q" | cut -d' ' -f1); echo "      leader: $(rabbitmq_cluster_leader "$q")"
  cluster_signal KILL rabbitmq-cluster "$l"
  await 60 "a new leader for $q (not $l)" rq_leader_is_not "$q" "$l"
  echo "      leader now: $(rabbitmq_cluster_leader "$q")"
  live=$(rabbitmq_cluster_leader "$q" | cut -d' ' -f1)
  out=$(rq_api "$live" POST "queues/%2F/$q/get" '{"count":1,"ackmode":"ack_requeue_false","encoding":"auto"}')
  check "m1 read from the new leader ($out)" grep -q '"payload":"m1"' <<< "$out"
  cluster_start rabbitmq-cluster >/dev/null 2>&1
  await 90 "$l back: 3 members of $q online" eval '[ "$(rq_online "$q")" = 3 ]'
  check "cluster_status: 3 running nodes again" rabbitmq_cluster_healthy
  rq_api "$live" DELETE "queues/%2F/$q" >/dev/null || true
}

# ---------------------------------------------------------------- rocketmq-cluster: namesrv, 2 broker groups (masters), 2 proxies
# Cluster DefaultCluster; broker groups broker-a and broker-b (brokerId 0, SYNC_FLUSH); proxies in Cluster mode.
rocketmq_cluster_nodes() { echo namesrv broker-a broker-b proxy1 proxy2; }
rocketmq_cluster_stages() { echo namesrv; echo broker-a broker-b; echo proxy1 proxy2; }
rm_broker_port() { case $1 in broker-a) item "$ROCKETMQ_CLUSTER_BROKER_PORTS" 0 ;; broker-b) item "$ROCKETMQ_CLUSTER_BROKER_PORTS" 1 ;; esac; }
rm_grpc() { item "$ROCKETMQ_CLUSTER_PROXY_GRPC_PORTS" $((${1#proxy} - 1)); }
rm_remoting() { item "$ROCKETMQ_CLUSTER_PROXY_REMOTING_PORTS" $((${1#proxy} - 1)); }
rm_namesrv() { echo "$H:$ROCKETMQ_CLUSTER_NAMESRV_PORT"; }
rocketmq_cluster_node_pids() { node_pid rocketmq-cluster "$1"; }
rocketmq_cluster_node_addr() { case $1 in
  namesrv) echo "namesrv $(rm_namesrv)" ;;
  broker-*) echo "broker $H:$(rm_broker_port "$1") (master of group $1)" ;;
  proxy*) echo "proxy grpc $H:$(rm_grpc "$1"), remoting $H:$(rm_remoting "$1")" ;; esac; }
rocketmq_cluster_node_ready() { case $1 in
  namesrv) tcp_open "$ROCKETMQ_CLUSTER_NAMESRV_PORT" ;;
  broker-*) tcp_open "$(rm_broker_port "$1")" ;;
  proxy*) tcp_open "$(rm_grpc "$1")" && tcp_open "$(rm_remoting "$1")" ;; esac; }
rocketmq_cluster_uri() {
  local p s=""; for p in $(words "$ROCKETMQ_CLUSTER_PROXY_GRPC_PORTS"); do s+="${s:+,}$H:$p"; done
  echo "rocketmq://$s?namesrv=$(rm_namesrv)"
}
rm_masters() {  # "broker-a 127.0.0.1:30911" per group that has a master (brokerId 0) registered
  rocketmq_cluster_info "$ROCKETMQ_CLUSTER_NAMESRV_PORT" 2>/dev/null | grep -o '"broker-[a-z]*":{"brokerAddrs":{[^}]*}' \
    | sed -n 's/"\(broker-[a-z]*\)":{"brokerAddrs":{.*0:"\([^"]*\)".*/\1 \2/p' | sort
}
rocketmq_cluster_healthy() { [ "$(rm_masters | wc -l)" = 2 ]; }
rm_java() {  # rm_java NODE heap-options... main-class args...: a node's JVM, its logs under its own home
  local n=$1 d; d=$(nodedir rocketmq-cluster "$1"); shift
  ROCKETMQ_HOME="$d/home" daemon "$d/$n.out" "$d/pid" "$JAVA" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Duser.home="$d/home" -Drocketmq.home.dir="$d/home" -Drmq.logback.configurationFile="$d/logback.xml" \
    -cp "$STATE/lib/rocketmq/*" "$@"
}
rocketmq_cluster_prepare() {
  local n d c; for n in $(rocketmq_cluster_nodes); do
    d=$(nodedir rocketmq-cluster "$n"); mkdir -p "$d/home" "$d/store"
    case $n in namesrv) c=namesrv ;; broker-*) c=broker ;; proxy*) c=proxy ;; esac
    [ -f "$d/logback.xml" ] || unzip -p "$(ls "$STATE"/lib/rocketmq/rocketmq-$c-*.jar)" "rmq.$c.logback.xml" > "$d/logback.xml"
    case $n in
      namesrv) printf 'listenPort=%s\nbindAddress=%s\n' "$ROCKETMQ_CLUSTER_NAMESRV_PORT" $H > "$d/namesrv.conf" ;;
      proxy*) cat > "$d/rmq-proxy.json" <<EOC
{"rocketMQClusterName":"DefaultCluster","namesrvAddr":"$(rm_namesrv)","proxyMode":"Cluster",
 "grpcServerPort":$(rm_grpc "$n"),"remotingListenPort":$(rm_remoting "$n"),"grpcShutdownTimeSeconds":1,"grpcClientConsumerMinLongPollingTimeoutMillis":500}
EOC
      ;;
      broker-*) cat > "$d/broker.conf" <<EOC
brokerClusterName=DefaultCluster
brokerName=$n
brokerId=0
brokerRole=ASYNC_MASTER
namesrvAddr=$(rm_namesrv)
brokerIP1=$H
listenPort=$(rm_broker_port "$n")
bindAddress=$H
flushDiskType=SYNC_FLUSH
storePathRootDir=$d/store
storePathCommitLog=$d/store/commitlog
mappedFileSizeCommitLog=67108864
mappedFileSizeConsumeQueue=600000
mappedFileSizeTimerLog=16777216
fileReservedTime=1
diskMaxUsedSpaceRatio=95
autoCreateTopicEnable=true
autoCreateSubscriptionGroup=true
defaultTopicQueueNums=4
enablePropertyFilter=true
timerWheelEnable=true
timerEnableRetryUntilSuccess=true
timerFlushIntervalMs=10000
transactionCheckInterval=5000
transactionTimeOut=3000
transactionOpBatchInterval=500
EOC
      ;;
    esac
  done
}
rocketmq_cluster_node_start() {
  local n=$1 d; d=$(nodedir rocketmq-cluster "$1")
  case $n in
    namesrv) rm_java "$n" -Xms64m -Xmx128m -XX:MaxDirectMemorySize=64m \
               org.apache.rocketmq.namesrv.NamesrvStartup -c "$d/namesrv.conf"
             wait_until 60 "$d/pid" grep -q 'boot success' "$d/$n.out" ;;
    # direct memory: every broker thread that stores messages (pop, ack, revive, timer, send, end-transaction
    # threads: up to about 80) keeps an encoder buffer of maxMessageSize + 64 KiB (4.06 MiB); with 256m the threads
    # that come last get none (OutOfMemoryError in pop.log) and messages in retry stay undelivered (docs/clusters.md)
    broker-*) rm_java "$n" -Xms128m -Xmx384m -XX:MaxDirectMemorySize=1g \
               org.apache.rocketmq.broker.BrokerStartup -c "$d/broker.conf"
             wait_until 120 "$d/pid" grep -q 'boot success' "$d/$n.out" ;;
    proxy*) # a proxy creates its system topics on the cluster when it starts: it needs a registered master
            wait_until 60 "" eval '[ -n "$(rm_masters)" ]' || return 1
            rm_java "$n" -Xms128m -Xmx256m -XX:MaxDirectMemorySize=256m \
               org.apache.rocketmq.proxy.ProxyStartup -pm Cluster -pc "$d/rmq-proxy.json"
             wait_until 120 "$d/pid" grep -q 'rocketmq-proxy startup successfully' "$d/$n.out" ;;
  esac
}
rocketmq_cluster_node_stop() { stop_pid "$(node_pid rocketmq-cluster "$1")" 40; }
rocketmq_cluster_setup() { wait_until 60 "" rocketmq_cluster_healthy; }  # a broker registers seconds after its port opens
# leader: the master of each broker group as the name server lists it; with GROUP, that group's
rocketmq_cluster_leader() {
  local m; m=$(rm_masters)
  [ $# -eq 0 ] || m=$(grep "^$1 " <<< "$m" || true)
  [ -n "$m" ] || { echo "none"; return 1; }
  while read -r g a; do
    local n c="?"; for n in broker-a broker-b; do [ "$H:$(rm_broker_port $n)" = "$a" ] && c=$n; done
    echo "$c $a group=$g role=master"
  done <<< "$m"
}
mqadmin() {
  ROCKETMQ_HOME="$STATE/rocketmq-cluster/namesrv/home" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Duser.home="$STATE/rocketmq-cluster/namesrv/home" -cp "$STATE/lib/rocketmq/*" \
    org.apache.rocketmq.tools.command.MQAdminStartup "$@" -n "$(rm_namesrv)" 2>&1
}
rm_groups_of() { mqadmin topicRoute -t "$1" | grep -o '"brokerName":"broker-[a-z]*"' | sort -u | sed 's/.*:"\(.*\)"/\1/' | tr '\n' ' '; }
rocketmq_cluster_selftest() {
  local t="selftest-$(date +%s)" out
  check "2 broker groups registered with a master: $(rm_masters | tr '\n' ' ')" rocketmq_cluster_healthy
  out=$(mqadmin clusterList)
  check "mqadmin clusterList lists broker-a and broker-b" eval 'grep -q broker-a <<< "$out" && grep -q broker-b <<< "$out"'
  echo "$out" | sed 's/^/      /'
  mqadmin updateTopic -c DefaultCluster -t "$t" -a +message.type=NORMAL >/dev/null
  check "topic $t created on both groups (route: $(rm_groups_of "$t"))" [ "$(rm_groups_of "$t")" = "broker-a broker-b " ]
  out=$(mqadmin sendMessage -t "$t" -p m1)
  check "sendMessage m1: SEND_OK" grep -q SEND_OK <<< "$out"
  check "proxy1 and proxy2 answer on gRPC and remoting" eval 'rocketmq_cluster_node_ready proxy1 && rocketmq_cluster_node_ready proxy2'
  cluster_signal KILL rocketmq-cluster broker-a
  await 60 "the name server drops broker-a" eval '! rm_masters | grep -q "^broker-a "'
  out=$(mqadmin sendMessage -t "$t" -p m2)
  check "sendMessage m2 while broker-a is down: SEND_OK on broker-b" eval 'grep SEND_OK <<< "$out" | grep -q broker-b'
  cluster_start rocketmq-cluster >/dev/null 2>&1
  await 60 "broker-a registered again" rocketmq_cluster_healthy
  mqadmin deleteTopic -c DefaultCluster -t "$t" >/dev/null || true
}
