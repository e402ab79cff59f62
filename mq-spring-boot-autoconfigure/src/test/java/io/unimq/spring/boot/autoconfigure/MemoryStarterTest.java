package io.unimq.spring.boot.autoconfigure;

class MemoryStarterTest extends StarterBrokerTest {
  @Override
  String uri() {
    return "memory://";
  }
}
