package io.unimq.outbox;

/** The relay on PostgreSQL with RabbitMQ (mq-rabbit); skipped without the adapter. */
class PostgresRabbitOutboxRelayTest extends OutboxRelayContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Override
  protected TestBroker openBroker() {
    return TestBroker.rabbitmq();
  }
}
