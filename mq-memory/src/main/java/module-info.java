/** The in-process {@code memory://} adapter. */
module io.unimq.memory {
  requires io.unimq.api;
  requires org.slf4j;

  provides io.unimq.spi.MqProvider with io.unimq.memory.MemoryProvider;
}
