package io.unimq.outbox;

/** Failures on PostgreSQL with Redis Streams; the outage is a cut TCP proxy. Skipped without the adapter. */
class PostgresRedisOutboxFailureTest extends OutboxFailureContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Override
  protected TestBroker openBroker() {
    return TestBroker.redis();
  }
}
