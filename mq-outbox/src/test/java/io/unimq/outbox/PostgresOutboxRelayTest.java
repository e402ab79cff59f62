package io.unimq.outbox;

/** The relay on PostgreSQL with memory://. */
class PostgresOutboxRelayTest extends OutboxRelayContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
