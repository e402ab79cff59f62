# shellcheck shell=bash
# rocketmq-secure: RocketMQ 5.3 with ACL 2.0 and TLS (sourced by scripts/brokers; a topology of clusters.sh with two
# nodes). Beside the plain rocketmq, own ports (brokers.env) and state (.brokers/rocketmq-secure/).
#   namesrv  $ROCKETMQ_SECURE_NAMESRV_PORT       remoting, TLS only (tls.server.mode=enforcing), no authentication
#                                                (RocketMQ 5.3 has none on the name server)
#   proxy    $ROCKETMQ_SECURE_PROXY_GRPC_PORT    gRPC, TLS only, server.pem/server.key of tls_material
#            with broker-a inside (Local mode)   broker remoting $ROCKETMQ_SECURE_BROKER_PORT, TLS only
# Both servers' certificates come from tls_material; the broker verifies the name server's against ca.pem.
# ACL 2.0 (authentication and authorization on the proxy and on the broker; users in the broker's store; names and
# secret keys in brokers.env):
#   ROCKETMQ_SECURE_ADMIN     Super user (initAuthenticationUser; also the inner client credentials)
#   ROCKETMQ_SECURE_USER      Normal user: every action on every topic and group (Topic:*, Group:*)
#   ROCKETMQ_SECURE_LIMITED   Normal user: every action on topics and groups named granted-* only
CLUSTERS+=(rocketmq-secure)
RMQS_ADMIN=$ROCKETMQ_SECURE_ADMIN RMQS_ADMIN_SK=$ROCKETMQ_SECURE_ADMIN_SK
RMQS_USER=$ROCKETMQ_SECURE_USER RMQS_USER_SK=$ROCKETMQ_SECURE_USER_SK
RMQS_LIMITED=$ROCKETMQ_SECURE_LIMITED RMQS_LIMITED_SK=$ROCKETMQ_SECURE_LIMITED_SK

rocketmq_secure_nodes() { echo namesrv proxy; }
rocketmq_secure_stages() { echo namesrv; echo proxy; }
rmqs_dir() { nodedir rocketmq-secure "$1"; }
rocketmq_secure_node_pids() { node_pid rocketmq-secure "$1"; }
rocketmq_secure_node_addr() { case $1 in
  namesrv) echo "namesrv $H:$ROCKETMQ_SECURE_NAMESRV_PORT (TLS)" ;;
  proxy) echo "proxy grpc $H:$ROCKETMQ_SECURE_PROXY_GRPC_PORT (TLS, ACL 2.0), broker $H:$ROCKETMQ_SECURE_BROKER_PORT (TLS)" ;; esac; }
rocketmq_secure_node_ready() { case $1 in
  namesrv) tcp_open "$ROCKETMQ_SECURE_NAMESRV_PORT" ;;
  proxy) tcp_open "$ROCKETMQ_SECURE_PROXY_GRPC_PORT" && tcp_open "$ROCKETMQ_SECURE_BROKER_PORT" ;; esac; }
# whole: the users and ACLs exist (set up through the broker, which registers with the name server as it starts)
rocketmq_secure_healthy() { [ "$(cat "$(rmqs_dir proxy)/acls.done" 2>/dev/null)" = "$RMQS_ACLS" ]; }
rocketmq_secure_leader() { echo "proxy $H:$ROCKETMQ_SECURE_PROXY_GRPC_PORT (single broker)"; }
rocketmq_secure_selftest() { echo "n/a: rocketmq-secure is one broker; its tests are scripts/test.d/70-rocketmq-secure"; }
# requestTimeout=10s: a new gRPC channel's TLS handshake counts against its first request's deadline (slow on a loaded CI machine)
rocketmq_secure_uri() {
  echo "rocketmq://$RMQS_USER:$RMQS_USER_SK@$H:$ROCKETMQ_SECURE_PROXY_GRPC_PORT?namesrv=$H:$ROCKETMQ_SECURE_NAMESRV_PORT&tls=true&requestTimeout=10s"
}
# TLS on every server socket: tls.server.mode=enforcing refuses plaintext (RocketMQ's default, permissive, takes both)
rmqs_tls_server() {
  echo -Dtls.server.mode=enforcing -Dtls.test.mode.enable=false -Dtls.server.need.client.auth=none \
    -Dtls.server.certPath="$(tls_dir)/server.pem" -Dtls.server.keyPath="$(tls_dir)/server.key"
}
rocketmq_secure_prepare() {
  local n d c; tls_material; fetch_jars rocketmq >&2
  for n in namesrv proxy; do
    d=$(rmqs_dir "$n"); mkdir -p "$d/home/conf" "$d/store" && chmod 700 "$d"
    c=$n; [ -f "$d/rmq.$c.logback.xml" ] || unzip -p "$(ls "$STATE"/lib/rocketmq/rocketmq-$c-*.jar)" "rmq.$c.logback.xml" > "$d/rmq.$c.logback.xml"
  done
  printf 'listenPort=%s\nbindAddress=%s\n' "$ROCKETMQ_SECURE_NAMESRV_PORT" $H > "$(rmqs_dir namesrv)/namesrv.conf"
  d=$(rmqs_dir proxy)
  local authn=org.apache.rocketmq.auth.authentication.provider authz=org.apache.rocketmq.auth.authorization.provider
  local inner="{\\\"accessKey\\\":\\\"$RMQS_ADMIN\\\",\\\"secretKey\\\":\\\"$RMQS_ADMIN_SK\\\"}"
  cat > "$d/rmq-proxy.json" <<EOF
{"rocketMQClusterName":"DefaultCluster","namesrvAddr":"$H:$ROCKETMQ_SECURE_NAMESRV_PORT","proxyMode":"Local",
 "grpcServerPort":$ROCKETMQ_SECURE_PROXY_GRPC_PORT,"remotingListenPort":$ROCKETMQ_SECURE_PROXY_REMOTING_PORT,
 "grpcShutdownTimeSeconds":1,"grpcClientConsumerMinLongPollingTimeoutMillis":500,
 "tlsTestModeEnable":false,"tlsKeyPath":"$(tls_dir)/server.key","tlsCertPath":"$(tls_dir)/server.pem",
 "authenticationEnabled":true,"authenticationProvider":"$authn.DefaultAuthenticationProvider",
 "authenticationMetadataProvider":"org.apache.rocketmq.proxy.auth.ProxyAuthenticationMetadataProvider",
 "authorizationEnabled":true,"authorizationProvider":"$authz.DefaultAuthorizationProvider",
 "authorizationMetadataProvider":"org.apache.rocketmq.proxy.auth.ProxyAuthorizationMetadataProvider",
 "innerClientAuthenticationCredentials":"$inner"}
EOF
  { rocketmq_broker_conf "$d" "$ROCKETMQ_SECURE_NAMESRV_PORT" "$ROCKETMQ_SECURE_BROKER_PORT"
    cat <<EOF
authenticationEnabled=true
authenticationProvider=$authn.DefaultAuthenticationProvider
authenticationMetadataProvider=$authn.LocalAuthenticationMetadataProvider
authorizationEnabled=true
authorizationProvider=$authz.DefaultAuthorizationProvider
authorizationMetadataProvider=$authz.LocalAuthorizationMetadataProvider
initAuthenticationUser={"username":"$RMQS_ADMIN","password":"$RMQS_ADMIN_SK"}
innerClientAuthenticationCredentials={"accessKey":"$RMQS_ADMIN","secretKey":"$RMQS_ADMIN_SK"}
EOF
  } > "$d/broker.conf"
  printf 'accessKey: %s\nsecretKey: %s\n' "$RMQS_ADMIN" "$RMQS_ADMIN_SK" > "$(rmqs_dir namesrv)/home/conf/tools.yml"
  chmod 600 "$(rmqs_dir namesrv)/home/conf/tools.yml" "$d/broker.conf" "$d/rmq-proxy.json"
}
rocketmq_secure_node_start() {
  local n=$1 d; d=$(rmqs_dir "$1")
  case $n in
    namesrv) RMQ_DIR=$d rocketmq_java "$d/namesrv.out" "$d/pid" namesrv -Xms32m -Xmx96m -XX:MaxDirectMemorySize=64m \
               $(rmqs_tls_server) org.apache.rocketmq.namesrv.NamesrvStartup -c "$d/namesrv.conf"
             wait_until 60 "$d/pid" grep -q 'boot success' "$d/namesrv.out" ;;
    proxy)   RMQ_DIR=$d rocketmq_java "$d/proxy.out" "$d/pid" proxy -Xms128m -Xmx384m -XX:MaxDirectMemorySize=256m \
               $(rmqs_tls_server) -Dtls.enable=true -Dtls.client.authServer=true -Dtls.client.trustCertPath="$(tls_dir)/ca.pem" \
               org.apache.rocketmq.proxy.ProxyStartup -pm Local -pc "$d/rmq-proxy.json" -bc "$d/broker.conf"
             wait_until 120 "$d/pid" grep -q 'rocketmq-proxy startup successfully' "$d/proxy.out" ;;
  esac
}
rocketmq_secure_node_stop() { stop_pid "$(node_pid rocketmq-secure "$1")" 40; }
rmqs_admin() {  # mqadmin as the Super user, over TLS (credentials: the name server node's conf/tools.yml)
  local h; h=$(rmqs_dir namesrv)/home
  ROCKETMQ_HOME="$h" "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.home="$h" -Drocketmq.home.dir="$h" \
    -Dtls.enable=true -Dtls.test.mode.enable=false -Dtls.client.authServer=true -Dtls.client.trustCertPath="$(tls_dir)/ca.pem" \
    -cp "$STATE/lib/rocketmq/*" org.apache.rocketmq.tools.command.MQAdminStartup "$@" -n "$H:$ROCKETMQ_SECURE_NAMESRV_PORT" 2>&1
}
RMQS_ACLS=v2  # the users and ACLs below; a store with an older set gets them again
rmqs_admin_until() {  # PATTERN ARGS...: mqadmin until its output matches PATTERN; a fresh broker under load times out at first
  local pat=$1 out i; shift
  for i in $(seq 1 15); do
    out=$(rmqs_admin "$@"); printf '%s\n' "$out" >> "$d/acls.out"
    grep -Eqi "$pat" <<<"$out" && return 0
    sleep 3
  done
  echo "[brokers] rocketmq-secure: mqadmin $1 did not succeed in 15 tries (output: $d/acls.out)" >&2; return 1
}
rocketmq_secure_setup() {  # the users and their ACLs, once per store; one mqadmin JVM at a time, each tried until it succeeds
  local d b u; d=$(rmqs_dir proxy); b="$H:$ROCKETMQ_SECURE_BROKER_PORT"
  [ "$(cat "$d/acls.done" 2>/dev/null)" = "$RMQS_ACLS" ] && return 0
  : > "$d/acls.out"
  for u in "$RMQS_USER:$RMQS_USER_SK" "$RMQS_LIMITED:$RMQS_LIMITED_SK"; do  # a user an earlier try created: "existed"
    rmqs_admin_until 'create user to .* success|user is existed' createUser -b "$b" -u "${u%%:*}" -p "${u#*:}" -t Normal || return 1
  done
  rmqs_admin_until 'create acl to .* success' createAcl -b "$b" -s "User:$RMQS_USER" -r 'Topic:*,Group:*' \
    -a Pub,Sub,Create,Update,Delete,Get,List -d Allow || return 1
  rmqs_admin_until 'create acl to .* success' createAcl -b "$b" -s "User:$RMQS_LIMITED" \
    -r 'Topic:granted-*,Topic:%DLQ%granted-*,Topic:%RETRY%granted-*,Group:granted-*' -a Pub,Sub,Create,Update,Delete,Get,List \
    -d Allow || return 1
  echo "$RMQS_ACLS" > "$d/acls.done"
}
