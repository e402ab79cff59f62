package io.unimq.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.spring.MqListenerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

/**
 * Listeners stop (draining in-flight calls) before Boot's graceful shutdown of the web server, and
 * so before the web server and the data source go; they start after the web server.
 */
class ShutdownOrderTest {
  @Test
  void listenersStopBeforeTheWebServerDrains() {
    assertThat(MqListenerRegistry.PHASE).isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
  }
}
