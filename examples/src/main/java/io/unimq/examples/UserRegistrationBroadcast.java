package io.unimq.examples;

import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user signs up once; two services react. The member service opens the account, the marketing
 * service sends the welcome mail. Each service runs two instances for load and failover.
 *
 * <ul>
 *   <li>Different groups: fanout. Both services see every registration.</li>
 *   <li>Same group: work queue. Inside one service each registration goes to one instance only.</li>
 * </ul>
 */
public final class UserRegistrationBroadcast implements Scenario {
  private static final int USERS = 20;
  private static final String[] SERVICES = {"member-service", "marketing-service"};

  public static void main(String[] args) throws Exception {
    Examples.main(new UserRegistrationBroadcast(), args);
  }

  @Override
  public boolean run(String uri) throws Exception {
    Examples.title("User registration broadcast", uri);
    String topic = Examples.unique("user-registered");
    // group -> user -> how many times that group handled the user (must end at exactly 1)
    Map<String, Map<String, AtomicInteger>> handled = new ConcurrentHashMap<>();
    // instance ("member-service#1") -> registrations it handled
    Map<String, AtomicInteger> perInstance = new TreeMap<>();
    CountDownLatch allHandled = new CountDownLatch(USERS * SERVICES.length);

    // Two clients mimic two processes (two pods); each runs one instance of each service.
    // The web application that accepts sign-ups is a third one.
    try (MqClient podA = Mq.connect(uri); MqClient podB = Mq.connect(uri); MqClient web = Mq.connect(uri)) {
      // Small prefetch so that the instances share the work fairly instead of one grabbing a batch.
      SubscriptionOptions options = SubscriptionOptions.builder().concurrency(1).prefetch(1).build();
      MqClient[] pods = {podA, podB};
      for (String service : SERVICES) {
        for (int i = 0; i < pods.length; i++) {
          String instance = service + "#" + (i + 1);
          AtomicInteger count = new AtomicInteger();
          perInstance.put(instance, count);
          MessageHandler handler = delivery -> {
            String user = delivery.bodyAsString();
            handled.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
            count.incrementAndGet();
            Thread.sleep(5); // pretend to write to a database or call a mail API
            allHandled.countDown();
          };
          // The first subscription declares the group: from then on it keeps every registration.
          pods[i].subscribe(topic, service, options, handler);
        }
      }

      System.out.println("web: publishes " + USERS + " registrations to " + topic);
      for (int u = 1; u <= USERS; u++) {
        web.producer().send(Message.builder(topic).body("user-" + u).build());
      }
      // Done when every handler ran and each group has acked everything (nothing waiting, nothing in flight).
      boolean done = Examples.await(allHandled)
          && Examples.await(() -> web.admin().lag(topic, SERVICES[0]) == 0 && web.admin().lag(topic, SERVICES[1]) == 0);

      perInstance.forEach((instance, n) -> System.out.printf("  %-20s handled %2d registrations%n", instance, n.get()));
      boolean ok = Examples.check(done, "both services handled and acked every registration within " + Examples.TIMEOUT.toSeconds() + " s");
      for (String service : SERVICES) {
        Map<String, AtomicInteger> users = handled.getOrDefault(service, Map.of());
        boolean exactlyOnce = users.size() == USERS && users.values().stream().allMatch(n -> n.get() == 1);
        ok &= Examples.check(exactlyOnce, service + " got each of the " + USERS + " registrations exactly once"
            + " (fanout across groups, work queue inside the group)");
      }
      return ok;
    }
  }
}
