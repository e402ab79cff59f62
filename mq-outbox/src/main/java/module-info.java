/** The transactional outbox and the idempotency stores (JDBC, Redis) for unimq. */
module io.unimq.outbox {
  requires transitive io.unimq.api;
  requires transitive java.sql;
  requires org.slf4j;
  requires static lettuce.core; // RedisIdempotencyStore, when Lettuce is present
  requires static micrometer.core; // relay meters, when Micrometer is present

  exports io.unimq.outbox;
}
