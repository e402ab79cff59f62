package io.unimq.outbox;

/** Failures on H2 with memory:// (outage simulated by refusing sends). */
class H2OutboxFailureTest extends OutboxFailureContract {
  @Override
  protected TestDatabase openDatabase() {
    return TestDatabase.h2();
  }
}
