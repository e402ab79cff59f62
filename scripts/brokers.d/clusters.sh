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
  for n in $(cluster_nodes "$t"); do ( "${f}_node_stop" "$n"; rm -f "$(nodedir "$t" "$n")/pid" ) & done; wait
  if declare -F "${f}_teardown" >/dev/null; then "${f}_teardown"; fi
}
cluster_addr() { local n; for n in $(cluster_nodes "$1"); do printf '%s ' "$n=$("$(fnof "$1")_node_addr" "$n")"; done; }
cluster_logs() { local n; for n in $(cluster_nodes "$1"); do ls "$(nodedir "$1" "$n")"/*.log "$(nodedir "$1" "$n")"/*.out 2>/dev/null || true; done; }
cluster_status() {  # one line per node, then the topology; exit 1 unless every node answers and it is whole
  local t=$1 f n pids total=0 rc=0 m; f=$(fnof "$1")
  for n in $(cluster_nodes "$t"); do
    pids=$("${f}_node_pids" "$n" | tr '\n' ' ')
    if "${f}_node_ready" "$n"; then
      m=$(rss_mib $pids); total=$((total + m))
      printf '  %-16s %-12s ready  pid %-8s rss %4s MiB  %s\n' "$t" "$n" "$pids" "$m" "$("${f}_node_addr" "$n")"
    else
      printf '  %-16s %-12s DOWN%s\n' "$t" "$n" "$([ -n "$pids" ] && alive $pids && echo " (pid $pids alive: paused or starting?)")"; rc=1
    fi
  done
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
kafka_cluster_node_stop() { stop_pid "$(node_pid kafka-cluster "$1")" 45; }
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
