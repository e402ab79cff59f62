package io.unimq.examples;

import io.unimq.api.DeadLetters;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A lottery awards prizes; the delivery service ships them. Two classic troubles:
 *
 * <ul>
 *   <li>The lottery resends an award (its send timed out, it retried). The award's id is the
 *       message id, so {@link Idempotent} skips the second copy: one award, one prize.</li>
 *   <li>An award names a user the delivery service does not know yet. Retrying does not help, so
 *       after the retry policy the message goes to the dead letters. Support fixes the data and
 *       replays it.</li>
 * </ul>
 */
public final class PrizeDelivery implements Scenario {
  public static void main(String[] args) throws Exception {
    Examples.main(new PrizeDelivery(), args);
  }

  @Override
  public boolean run(String uri) throws Exception {
    Examples.title("Prize delivery: idempotent consumer and dead letters", uri);
    String topic = Examples.unique("prize-awarded");
    String group = "prize-delivery";
    // The delivery service's own database: known addresses, and the prizes shipped.
    Map<String, String> addresses = new ConcurrentHashMap<>(Map.of("alice", "1 Main St", "bob", "2 Oak Ave"));
    List<String> shipped = new CopyOnWriteArrayList<>();

    MessageHandler shipPrize = delivery -> {
      String[] award = delivery.bodyAsString().split(":"); // user:prize
      String address = addresses.get(award[0]);
      if (address == null) {
        System.out.printf("  attempt %d of %s: no address for '%s'%n", delivery.attempt(), delivery.id(), award[0]);
        throw new IllegalStateException("unknown user '" + award[0] + "'");
      }
      shipped.add(delivery.id());
      System.out.printf("  shipped %s (%s) to %s at %s%n", delivery.id(), award[1], award[0], address);
    };
    // Three short attempts (200 ms, then 400 ms apart) instead of the default five over 15 s.
    SubscriptionOptions options = SubscriptionOptions.builder()
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(200)).build())
        .build();

    try (MqClient client = Mq.connect(uri)) {
      client.subscribe(topic, group, options, Idempotent.wrap(shipPrize, IdempotencyStore.inMemory()));
      DeadLetters deadLetters = client.deadLetters(topic, group);

      // The award id is the message id: the dedup identity.
      System.out.println("lottery: sends award-1001 twice, award-1002, award-1003 (carol has no address yet)");
      Message mug = Message.builder(topic).id("award-1001").body("alice:golden mug").build();
      client.producer().send(mug);
      client.producer().send(mug); // the lottery's retry after a timeout: same id
      client.producer().send(Message.builder(topic).id("award-1002").body("bob:t-shirt").build());
      client.producer().send(Message.builder(topic).id("award-1003").body("carol:bicycle").build());

      // Settled: nothing waiting or in flight, and carol's award dead-lettered.
      boolean settled = Examples.await(() -> client.admin().lag(topic, group) == 0 && deadLetters.count() == 1);
      boolean ok = Examples.check(settled, "every award settled, one of them in the dead letters");
      if (!settled) {
        System.out.printf("  waiting: lag %d, dead letters %d%n", client.admin().lag(topic, group), deadLetters.count());
      }
      ok &= Examples.check(shipped.stream().filter("award-1001"::equals).count() == 1,
          "award-1001 was sent twice but alice got one golden mug");

      for (Message dead : deadLetters.peek(10)) {
        System.out.println("  dead letter " + dead.id() + " '" + dead.bodyAsString() + "':");
        new TreeMap<>(dead.headers()).forEach((name, value) -> {
          if (name.endsWith("-failure")) { // epoch millis
            value = value + " (" + Examples.clock(Instant.ofEpochMilli(Long.parseLong(value))) + ")";
          }
          if (name.startsWith("unimq-dlq-")) {
            System.out.println("    " + name + " = " + value);
          }
        });
      }

      // Support adds carol's address, then replays the dead letters to the group.
      addresses.put("carol", "3 Elm Rd");
      System.out.println("support: added carol's address, replayed " + deadLetters.replay() + " dead letter(s)");
      boolean replayed = Examples.await(() -> shipped.contains("award-1003") && client.admin().lag(topic, group) == 0);
      if (!replayed) {
        System.out.printf("  waiting: lag %d, shipped %s%n", client.admin().lag(topic, group), shipped);
      }
      ok &= Examples.check(replayed && deadLetters.count() == 0, "after the replay carol got her bicycle; no dead letters left");
      ok &= Examples.check(shipped.size() == 3, "three awards, three prizes shipped: " + shipped);
      return ok;
    }
  }
}
