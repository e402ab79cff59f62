package io.unimq.outbox;

/** Failures on PostgreSQL with memory:// (outage simulated by refusing sends). */
class PostgresOutboxFailureTest extends OutboxFailureContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
