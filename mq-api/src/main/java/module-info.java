/**
 * unimq's API ({@code io.unimq.api}), the adapter SPI ({@code io.unimq.spi}) and the engine every
 * adapter shares (not exported). Adapters are found with {@link java.util.ServiceLoader}.
 */
module io.unimq.api {
  requires org.slf4j;
  requires static micrometer.core; // Mq.Builder.meterRegistry, when Micrometer is present
  requires static com.fasterxml.jackson.databind; // Codecs.json, when Jackson is present
  requires static io.opentelemetry.api; // spans and propagation, when the OpenTelemetry API is present
  requires static io.opentelemetry.context;

  exports io.unimq.api;
  exports io.unimq.spi;

  uses io.unimq.spi.MqProvider;
}
