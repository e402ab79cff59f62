package io.unimq.examples.orders;

import io.unimq.api.Delivery;
import io.unimq.spring.MqListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Bills each order, one event of an order at a time and in order (ordered by the order id key): a
 * cancellation is never billed before its order. The payment gateway of item {@code flaky} fails the
 * first attempt; the retry policy (unimq.subscriptions.billing.retry.*) delivers it again, holding
 * back the order's later events meanwhile.
 */
@Component
public class Billing {

  private final JdbcTemplate jdbc;

  public Billing(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @MqListener(id = "billing", topic = "${orders.topic}", group = "billing", ordered = "true")
  public void on(OrderEvent event, Delivery delivery) {
    if ("flaky".equals(event.item()) && OrderEvent.PLACED.equals(event.type()) && delivery.attempt() == 1) {
      throw new IllegalStateException("payment gateway timed out for order " + event.orderId());
    }
    jdbc.update("insert into billing_log (order_id, event_type, attempt) values (?, ?, ?)", event.orderId(), event.type(),
        delivery.attempt());
  }
}
