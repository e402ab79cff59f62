package io.unimq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The health indicator follows the broker: Redis is killed through the launcher (down about a
 * second), the indicator reports DOWN with a reason, and UP again once Redis is back.
 */
class RedisHealthDownTest {

  @Test
  void downWhileTheBrokerIsStoppedThenUpAgain() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UnimqAutoConfiguration.class, UnimqActuatorAutoConfiguration.class))
        .withPropertyValues("unimq.uri=" + BrokerUris.require("UNIMQ_REDIS_URI"), "unimq.health.timeout=2s")
        .run(context -> {
          UnimqHealthIndicator indicator = context.getBean(UnimqHealthIndicator.class);
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
          try {
            BrokerControl.kill("redis");
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("scheme", "redis").containsKey("reason");
            assertThat(down.getDetails().get("reason").toString()).isNotBlank();
          } finally {
            BrokerControl.up("redis");
          }
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
              .until(() -> indicator.health().getStatus().equals(Status.UP));
        });
  }
}
