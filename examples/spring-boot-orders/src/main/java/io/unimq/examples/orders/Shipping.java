package io.unimq.examples.orders;

import io.unimq.spring.MqListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Ships placed orders; a group of its own, so it gets every event too (fanout). Idempotent by order id. */
@Component
public class Shipping {

  private final JdbcTemplate jdbc;

  public Shipping(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @MqListener(id = "shipping", topic = "${orders.topic}", group = "shipping", concurrency = "8")
  public void on(OrderEvent event) {
    if (OrderEvent.PLACED.equals(event.type())) {
      jdbc.update("merge into shipments (order_id) key (order_id) values (?)", event.orderId());
    }
  }
}
