package io.unimq.examples;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Order tracking shows customers CREATED, PAID, SHIPPED, DELIVERED. Handled out of order, an order
 * could show "paid" after "delivered". With an ordered subscription keyed by order id, the events
 * of one order are handled one at a time in send order, while different orders run in parallel.
 * When SHIPPED of one order fails once (the courier API times out), its retry holds back only that
 * order's DELIVERED; the other orders carry on.
 */
public final class OrderStatusSequence implements Scenario {
  private static final List<String> STATUSES = List.of("CREATED", "PAID", "SHIPPED", "DELIVERED");
  private static final int ORDERS = 5;
  private static final String FLAKY_ORDER = "order-3";

  public static void main(String[] args) throws Exception {
    Examples.main(new OrderStatusSequence(), args);
  }

  @Override
  public boolean run(String uri) throws Exception {
    Examples.title("Order status events in per-order sequence", uri);
    String topic = Examples.unique("order-status");
    Map<String, List<String>> timeline = new ConcurrentHashMap<>(); // order -> statuses as handled
    List<String> finished = new CopyOnWriteArrayList<>(); // orders in the order they reached DELIVERED
    CountDownLatch allHandled = new CountDownLatch(ORDERS * STATUSES.size());

    SubscriptionOptions ordered = SubscriptionOptions.builder()
        .ordered(true).concurrency(4)
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(300)).build())
        .build();

    try (MqClient client = Mq.connect(uri)) {
      client.subscribe(topic, "order-tracking", ordered, delivery -> {
        String order = delivery.key();
        String status = delivery.bodyAsString();
        if (order.equals(FLAKY_ORDER) && status.equals("SHIPPED") && delivery.attempt() == 1) {
          System.out.printf("  %s %-9s failed: courier API timed out; retrying in 300 ms, %s waits%n", order, status, order);
          throw new IllegalStateException("courier API timed out");
        }
        timeline.computeIfAbsent(order, o -> new CopyOnWriteArrayList<>()).add(status);
        if (status.equals("DELIVERED")) {
          finished.add(order);
        }
        System.out.printf("  %s %-9s (attempt %d, %s)%n", order, status, delivery.attempt(), Thread.currentThread().getName());
        allHandled.countDown();
      });

      // Events of all orders interleaved, as a busy shop produces them. The key is the order id.
      System.out.println("shop: sends " + ORDERS * STATUSES.size() + " status events for " + ORDERS + " orders");
      for (String status : STATUSES) {
        for (int o = 1; o <= ORDERS; o++) {
          client.producer().send(Message.builder(topic).key("order-" + o).body(status).build());
        }
      }

      boolean ok = Examples.check(Examples.await(allHandled), "every event was handled");
      for (int o = 1; o <= ORDERS; o++) {
        List<String> seen = timeline.getOrDefault("order-" + o, List.of());
        ok &= Examples.check(seen.equals(STATUSES), "order-" + o + " went " + String.join(" -> ", seen));
      }
      System.out.println("  orders in the order they were delivered: " + finished);
      ok &= Examples.check(!finished.isEmpty() && finished.get(finished.size() - 1).equals(FLAKY_ORDER),
          "the retry held back only " + FLAKY_ORDER + ": every other order finished before it");
      return ok;
    }
  }
}
