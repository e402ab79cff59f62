package io.unimq.outbox;

/** Failures on PostgreSQL with RabbitMQ; the outage is a cut TCP proxy. Skipped without the adapter. */
class PostgresRabbitOutboxFailureTest extends OutboxFailureContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Override
  protected TestBroker openBroker() {
    return TestBroker.rabbitmq();
  }
}
