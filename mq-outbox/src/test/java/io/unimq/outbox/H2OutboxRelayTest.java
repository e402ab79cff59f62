package io.unimq.outbox;

/** The relay on H2 with memory://. */
class H2OutboxRelayTest extends OutboxRelayContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.h2();
  }
}
