package io.unimq.outbox;

/** The relay on PostgreSQL with Redis Streams (mq-redis-stream); skipped without the adapter. */
class PostgresRedisOutboxRelayTest extends OutboxRelayContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Override
  protected TestBroker openBroker() {
    return TestBroker.redis();
  }
}
