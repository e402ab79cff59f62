# shellcheck shell=bash
# rabbitmq-secure: one RabbitMQ node with AMQPS only (TLS, the test CA's server certificate; a client
# certificate is verified when given, not required) and the management API over HTTPS. Users: RABBITMQ_SECURE_USER
# (administrator, all permissions on /) and RABBITMQ_SECURE_LIMITED_USER (only vhost 'limited', and there may only
# configure/write/read names starting 'unimq.granted-' or 'unimq.$'), for authorization tests. Own node name, ports, private epmd
# and state dir (.brokers/rabbitmq-secure/node1), so it runs beside the plain rabbitmq.
CLUSTERS+=(rabbitmq-secure)

rabbitmq_secure_nodes() { echo node1; }
rsec_env() {  # a private node; call only in a subshell
  local d; d=$(nodedir rabbitmq-secure node1)
  export HOME="$d/home" RABBITMQ_NODENAME=unimqsecure@localhost RABBITMQ_NODE_IP_ADDRESS=$H \
    RABBITMQ_NODE_PORT="$RABBITMQ_SECURE_PORT" RABBITMQ_DIST_PORT="$RABBITMQ_SECURE_DIST_PORT" \
    ERL_EPMD_ADDRESS=$H ERL_EPMD_PORT="$RABBITMQ_SECURE_EPMD_PORT" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_LOGS="$d/log/rabbit.log" \
    RABBITMQ_PID_FILE="$d/pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}"
}
rsec_amqps_ok() {  # the AMQP 0-9-1 header over TLS gets a Connection.Start method frame back
  [ "$(printf 'AMQP\x00\x00\x09\x01' | timeout 5 openssl s_client -quiet -connect "$H:$RABBITMQ_SECURE_PORT" \
    -CAfile "$(tls_dir)/ca.pem" -verify_return_error 2>/dev/null | head -c 1 | od -An -tx1 | tr -d ' \n')" = 01 ]
}
rabbitmq_secure_node_pids() { node_pid rabbitmq-secure node1; }
rabbitmq_secure_node_addr() { echo "amqps $H:$RABBITMQ_SECURE_PORT, management https://$H:$RABBITMQ_SECURE_MGMT_PORT"; }
rabbitmq_secure_node_ready() { rsec_amqps_ok; }
rabbitmq_secure_uri() {
  local t; t=$(tls_dir)
  echo "amqps://$RABBITMQ_SECURE_USER:$RABBITMQ_SECURE_PASS@$H:$RABBITMQ_SECURE_PORT/%2F?managementPort=$RABBITMQ_SECURE_MGMT_PORT&trustStore=$t/truststore.p12&trustStorePassword=$TLS_STORE_PASS"
}
rabbitmq_secure_prepare() {
  local d t; d=$(nodedir rabbitmq-secure node1); tls_material; t=$(tls_dir)
  mkdir -p "$d/home" "$d/mnesia" "$d/log" && chmod 700 "$d/home"
  : > "$d/rabbitmq-env.conf"
  echo '[rabbitmq_management].' > "$d/enabled_plugins"
  cat > "$d/rabbitmq.conf" <<EOC
listeners.tcp = none
listeners.ssl.default = $H:$RABBITMQ_SECURE_PORT
ssl_options.cacertfile = $t/ca.pem
ssl_options.certfile = $t/server.pem
ssl_options.keyfile = $t/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
ssl_handshake_timeout = 30000
management.ssl.ip = $H
management.ssl.port = $RABBITMQ_SECURE_MGMT_PORT
management.ssl.cacertfile = $t/ca.pem
management.ssl.certfile = $t/server.pem
management.ssl.keyfile = $t/server.key
vm_memory_high_watermark.absolute = 512MB
disk_free_limit.absolute = 50MB
collect_statistics_interval = 1000
loopback_users = none
definitions.import_backend = local_filesystem
definitions.local.path = $d/definitions.json
EOC
  # users, vhosts and permissions at boot (no CLI round trips): the limited user may only use vhost 'limited',
  # and there only names starting 'unimq.granted-'
  local g='^unimq\\.(granted-.*|\\$.*)'
  cat > "$d/definitions.json" <<EOC
{"users": [
  {"name": "$RABBITMQ_SECURE_USER", "password_hash": "$(rsec_hash "$RABBITMQ_SECURE_PASS")",
   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ["administrator"]},
  {"name": "$RABBITMQ_SECURE_LIMITED_USER", "password_hash": "$(rsec_hash "$RABBITMQ_SECURE_LIMITED_PASS")",
   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}],
 "vhosts": [{"name": "/"}, {"name": "limited"}],
 "permissions": [
  {"user": "$RABBITMQ_SECURE_USER", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
  {"user": "$RABBITMQ_SECURE_USER", "vhost": "limited", "configure": ".*", "write": ".*", "read": ".*"},
  {"user": "$RABBITMQ_SECURE_LIMITED_USER", "vhost": "limited", "configure": "$g", "write": "$g", "read": "$g"}]}
EOC
  chmod 600 "$d/definitions.json"
}
rsec_hash() {  # rsec_hash PASSWORD: RabbitMQ's rabbit_password_hashing_sha256 (base64 of salt + sha256(salt + password))
  local salt; salt=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
  { printf '%s' "$salt" | xxd -r -p; { printf '%s' "$salt" | xxd -r -p; printf '%s' "$1"; } | openssl dgst -sha256 -binary; } | base64 -w0
}
rabbitmq_secure_node_start() {
  local d; d=$(nodedir rabbitmq-secure node1)
  rm -f "$d/pid" && : > "$d/log/rabbit.log"
  ( rsec_env; "$RABBIT_BIN/rabbitmq-server" -detached )
  wait_until 120 "" rabbitmq_secure_node_ready  # polled over TLS: no Erlang CLI round trips
}
rabbitmq_secure_node_stop() {
  local d pid; d=$(nodedir rabbitmq-secure node1); pid=$(node_pid rabbitmq-secure node1)
  alive "$pid" || return 0
  stop_pid "$pid" 60  # SIGTERM: RabbitMQ shuts down cleanly (faster than the Erlang CLI)
}
rabbitmq_secure_teardown() { ( rsec_env; epmd -kill >/dev/null 2>&1 || true ); }  # only its own epmd
rabbitmq_secure_setup() { :; }  # the users come from definitions.json at boot
rabbitmq_secure_healthy() { rsec_amqps_ok; }
rabbitmq_secure_leader() { echo "node1 $H:$RABBITMQ_SECURE_PORT (one node)"; }
rabbitmq_secure_selftest() { echo "n/a: rabbitmq-secure is one node (its checks are mq-rabbit's RabbitSecureIT)"; }
