# shellcheck shell=bash
# kafka-secure: one KRaft node (broker+controller) with TLS, SCRAM users and ACLs (sourced by scripts/brokers;
# a topology of clusters.sh with one node). Beside the plain kafka, own ports (brokers.env) and state
# (.brokers/kafka-secure/).
#   SASL_SSL  $KAFKA_SECURE_PORT       SCRAM-SHA-512 and SCRAM-SHA-256; server certificate of tls_material (server.p12)
#   SSL       $KAFKA_SECURE_MTLS_PORT  mutual TLS: client.p12 required, principal User:CN=client
# Users (SCRAM credentials created at format time, both mechanisms):
#   admin / kafka-admin-pw   super user (also the broker's own inter-broker login)
#   app   / kafka-app-pw     ACLs (StandardAuthorizer): all operations on topics, groups and transactional ids
#                            prefixed "app-", groups "unimq.dlq.app-*", topics "unimq.half.app-*", nothing else
#   User:CN=client           (mutual TLS) the same ACLs as app
# The controller listener is plaintext on 127.0.0.1; its principal (ANONYMOUS) is a super user so the broker
# reaches its own controller: the test broker's only unauthenticated door, local and not a client listener.
CLUSTERS+=(kafka-secure)
KAFKA_SECURE_ADMIN=admin KAFKA_SECURE_ADMIN_PASS=kafka-admin-pw
KAFKA_SECURE_APP=app KAFKA_SECURE_APP_PASS=kafka-app-pw

kafka_secure_nodes() { echo node1; }
ks_dir() { nodedir kafka-secure node1; }
kafka_secure_node_pids() { node_pid kafka-secure node1; }
kafka_secure_node_addr() { echo "SASL_SSL $H:$KAFKA_SECURE_PORT, mTLS $H:$KAFKA_SECURE_MTLS_PORT (controller $KAFKA_SECURE_CONTROLLER_PORT)"; }
# up: the TLS port accepts connections and the ACLs are in place (kafka_secure_setup writes acls.done)
kafka_secure_node_ready() { tcp_open "$KAFKA_SECURE_PORT" && grep -q 'Kafka Server started' "$(ks_dir)/server.log" 2>/dev/null; }
kafka_secure_healthy() { [ "$(cat "$(ks_dir)/acls.done" 2>/dev/null)" = "$KS_ACLS" ]; }
kafka_secure_leader() { echo "node1 $H:$KAFKA_SECURE_PORT (single node)"; }
kafka_secure_selftest() { echo "n/a: kafka-secure is one node; its tests are scripts/test.d/62-kafka-secure"; }
kafka_secure_uri() {
  echo "kafka://$KAFKA_SECURE_ADMIN:$KAFKA_SECURE_ADMIN_PASS@$H:$KAFKA_SECURE_PORT?tls=true&trustStore=$(tls_dir)/truststore.p12&trustStorePassword=$TLS_STORE_PASS"
}
kafka_secure_prepare() { tls_material; fetch_jars kafka >&2; }
ks_client_props() {  # the admin's client settings for Kafka's command-line tools
  cat <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_SECURE_ADMIN" password="$KAFKA_SECURE_ADMIN_PASS";
ssl.truststore.location=$(tls_dir)/truststore.p12
ssl.truststore.password=$TLS_STORE_PASS
ssl.truststore.type=PKCS12
PROPS
}
kafka_secure_node_start() {
  local d cp="$STATE/lib/kafka/*" t; d=$(ks_dir)
  mkdir -p "$d/data" && chmod 700 "$d"
  cat > "$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$H:$KAFKA_SECURE_CONTROLLER_PORT
listeners=SASL_SSL://$H:$KAFKA_SECURE_PORT,SSL://$H:$KAFKA_SECURE_MTLS_PORT,CONTROLLER://$H:$KAFKA_SECURE_CONTROLLER_PORT
advertised.listeners=SASL_SSL://$H:$KAFKA_SECURE_PORT,SSL://$H:$KAFKA_SECURE_MTLS_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_SECURE_ADMIN" password="$KAFKA_SECURE_ADMIN_PASS";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$(tls_dir)/server.p12
ssl.keystore.password=$TLS_STORE_PASS
ssl.key.password=$TLS_STORE_PASS
ssl.truststore.type=PKCS12
ssl.truststore.location=$(tls_dir)/truststore.p12
ssl.truststore.password=$TLS_STORE_PASS
listener.name.ssl.ssl.client.auth=required
ssl.principal.mapping.rules=RULE:^CN=([^,]*).*\$/CN=\$1/,DEFAULT
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:$KAFKA_SECURE_ADMIN;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=$d/data
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
log.segment.bytes=16777216
PROPS
  cat > "$d/log4j2.properties" <<PROPS
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $d/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
PROPS
  if [ ! -f "$d/data/meta.properties" ]; then  # SCRAM users exist from the first start (KRaft: format --add-scram)
    local id scram=() u p m
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    case $id in -*) id="A${id:1}" ;; esac
    for u in "$KAFKA_SECURE_ADMIN:$KAFKA_SECURE_ADMIN_PASS" "$KAFKA_SECURE_APP:$KAFKA_SECURE_APP_PASS"; do
      for m in SCRAM-SHA-512 SCRAM-SHA-256; do scram+=(--add-scram "$m=[name=${u%%:*},password=${u#*:}]"); done
    done
    "$JAVA" -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$d/server.properties" "${scram[@]}" > "$d/format.out" 2>&1 \
      || { cat "$d/format.out"; return 1; }
    rm -f "$d/acls.done"
  fi
  rm -f "$d/server.log"
  daemon "$d/kafka.out" "$d/pid" "$JAVA" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:MaxDirectMemorySize=128m \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$d/log4j2.properties" -Dkafka.logs.dir="$d" \
    -cp "$cp" kafka.Kafka "$d/server.properties"
  wait_until 300 "$d/pid" grep -q 'Kafka Server started' "$d/server.log"  # 30-180 s on a loaded 2-core machine
}
kafka_secure_node_stop() { stop_pid "$(node_pid kafka-secure node1)" 30; }
KS_ACLS=v2  # the ACL set below; a data directory with an older set gets it added
ks_acl() {
  kafka_tool org.apache.kafka.tools.AclCommand --bootstrap-server "$H:$KAFKA_SECURE_PORT" --command-config "$(ks_dir)/admin.properties" \
    --add --operation All --resource-pattern-type prefixed "$@" >> "$(ks_dir)/acls.out" 2>&1 || { cat "$(ks_dir)/acls.out"; return 1; }
}
kafka_secure_setup() {  # the ACLs of app and User:CN=client, once per data directory
  local d p args=(); d=$(ks_dir)
  [ "$(cat "$d/acls.done" 2>/dev/null)" = "$KS_ACLS" ] && return 0
  : > "$d/acls.out"
  ks_client_props > "$d/admin.properties" && chmod 600 "$d/admin.properties"
  for p in "User:$KAFKA_SECURE_APP" "User:CN=client"; do args+=(--allow-principal "$p"); done
  # app-*: its topics (with unimq's <topic>.delay/.retry/.dlq), groups and transactional ids; unimq.dlq.app-*: the
  # dead-letter readers of its groups; unimq.half.app-*: the half-message topics of its producer groups
  ks_acl "${args[@]}" --topic app- --group app- --transactional-id app- \
    && ks_acl "${args[@]}" --group unimq.dlq.app- --topic unimq.half.app- || return 1
  echo "$KS_ACLS" > "$d/acls.done"
}
