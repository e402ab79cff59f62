package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Redis is paused (SIGSTOP, {@code scripts/brokers pause redis}) for three times the request timeout
 * and the lease while a consumer works through a backlog: the acks that got no answer are sent again
 * once Redis is back, and the entries idle past the lease meanwhile are not handled a second time.
 */
class RedisAckFaultTest extends RedisFixture {
  private static final int MESSAGES = 4000;

  @Test
  void acksUnansweredDuringAPauseAreSentAgainAndNothingIsHandledTwice() throws Exception {
    String topic = name("ackfault");
    String group = name("ackfault-g");
    MqClient client = Mq.connect(redisUri() + "?lease=2s&requestTimeout=2s");
    try {
      client.admin().declareGroup(topic, group);
      backlog(client, topic, MESSAGES);

      Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
      client.subscribe(topic, group, SubscriptionOptions.builder().concurrency(2).prefetch(64).build(), d -> {
        handled.computeIfAbsent(d.message().id(), k -> new AtomicInteger()).incrementAndGet();
        Thread.sleep(2);
      });
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() >= 500);
      BrokerControl.pause("redis");
      try {
        Thread.sleep(6000); // the fault itself: 3 × the request timeout and the lease
      } finally {
        BrokerControl.resume("redis");
      }
      Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> handled.size() == MESSAGES);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.admin().lag(topic, group) == 0);
      Thread.sleep(2500); // a lease more: an entry whose ack was lost would be reclaimed by now
      long twice = handled.values().stream().filter(n -> n.get() > 1).count();
      System.out.printf("after a 6 s pause: %d of %d messages handled twice%n", twice, MESSAGES);
      assertThat(twice).as("messages handled again after the pause").isZero();
    } finally {
      client.close(Duration.ofSeconds(5));
    }
  }
}
