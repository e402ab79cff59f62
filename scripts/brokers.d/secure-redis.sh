# shellcheck shell=bash
# redis-secure: one Redis 7 with a TLS port only (the test CA's server certificate; a client certificate is
# verified when given, not required) and ACL users: REDIS_SECURE_USER (all keys, all commands) and
# REDIS_SECURE_READER_USER (all keys, read commands only: a write is refused with NOPERM). The default user is
# off. State in .brokers/redis-secure/node1; runs beside the plain redis.
CLUSTERS+=(redis-secure)

redis_secure_nodes() { echo node1; }
rsr_cli() {  # rsr_cli ARGS...: redis-cli over TLS as the full-access user
  REDISCLI_AUTH="$REDIS_SECURE_PASS" timeout 5 redis-cli --tls --cacert "$(tls_dir)/ca.pem" -h $H -p "$REDIS_SECURE_PORT" \
    --user "$REDIS_SECURE_USER" --no-auth-warning "$@" 2>/dev/null
}
redis_secure_node_pids() { node_pid redis-secure node1; }
redis_secure_node_addr() { echo "rediss $H:$REDIS_SECURE_PORT"; }
redis_secure_node_ready() { [ "$(rsr_cli ping)" = PONG ]; }
redis_secure_uri() {
  echo "rediss://$REDIS_SECURE_USER:$REDIS_SECURE_PASS@$H:$REDIS_SECURE_PORT/0?caFile=$(tls_dir)/ca.pem"
}
redis_secure_prepare() {
  local d t; d=$(nodedir redis-secure node1); tls_material; t=$(tls_dir)
  mkdir -p "$d"
  cat > "$d/users.acl" <<EOC
user default off
user $REDIS_SECURE_USER on >$REDIS_SECURE_PASS ~* &* +@all
user $REDIS_SECURE_READER_USER on >$REDIS_SECURE_READER_PASS ~* &* -@all +@read +@connection +info
EOC
  cat > "$d/redis.conf" <<EOC
bind $H
port 0
tls-port $REDIS_SECURE_PORT
tls-cert-file $t/server.pem
tls-key-file $t/server.key
tls-ca-cert-file $t/ca.pem
tls-auth-clients optional
aclfile $d/users.acl
daemonize no
dir $d
logfile $d/redis.log
appendonly yes
appendfsync always
save ""
EOC
  chmod 600 "$d/users.acl" "$d/redis.conf"
}
redis_secure_node_start() {
  local d; d=$(nodedir redis-secure node1)
  : > "$d/redis.log"
  daemon "$d/redis.out" "$d/pid" redis-server "$d/redis.conf"
  wait_until 20 "$d/pid" redis_secure_node_ready
}
redis_secure_node_stop() { stop_pid "$(node_pid redis-secure node1)" 20; }
redis_secure_setup() { :; }
redis_secure_healthy() { redis_secure_node_ready; }
redis_secure_leader() { echo "node1 $H:$REDIS_SECURE_PORT (one node)"; }
redis_secure_selftest() { echo "n/a: redis-secure is one node (its checks are mq-redis-stream's RedisSecureIT)"; }
