package io.unimq.examples.orders;

import io.unimq.spring.TransactionalOutbox;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Order rows and their events, written together: an event exists if and only if its change committed. */
@Service
public class OrderService {

  private final JdbcTemplate jdbc;
  private final TransactionalOutbox outbox;

  private final String topic;

  public OrderService(JdbcTemplate jdbc, TransactionalOutbox outbox, @Value("${orders.topic}") String topic) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.topic = topic;
  }

  @Transactional
  public String place(String item, int quantity) {
    if (item == null || item.isBlank() || quantity < 1) {
      throw new IllegalArgumentException("an order needs an item and a quantity of at least 1");
    }
    String id = UUID.randomUUID().toString();
    jdbc.update("insert into orders (id, item, quantity, status) values (?, ?, ?, 'placed')", id, item, quantity);
    outbox.write(topic, id, new OrderEvent(id, OrderEvent.PLACED, item, quantity));
    return id;
  }

  @Transactional
  public boolean cancel(String id) {
    List<Map<String, Object>> rows = jdbc.queryForList("select item, quantity from orders where id = ? for update", id);
    if (rows.isEmpty()) {
      return false;
    }
    jdbc.update("update orders set status = 'cancelled' where id = ?", id);
    Map<String, Object> row = rows.get(0);
    outbox.write(topic, id, new OrderEvent(id, OrderEvent.CANCELLED, (String) row.get("item"),
        ((Number) row.get("quantity")).intValue()));
    return true;
  }

  /** The order with what billing and shipping did with it, or null. */
  public Map<String, Object> find(String id) {
    List<Map<String, Object>> rows = jdbc.queryForList("select id, item, quantity, status from orders where id = ?", id);
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, Object> order = new java.util.LinkedHashMap<>();
    rows.get(0).forEach((k, v) -> order.put(k.toLowerCase(java.util.Locale.ROOT), v));
    order.put("billing", jdbc.queryForList("select event_type, attempt from billing_log where order_id = ? order by seq", id)
        .stream().map(r -> r.get("EVENT_TYPE") + "@" + r.get("ATTEMPT")).toList());
    order.put("shipped", jdbc.queryForObject("select count(*) from shipments where order_id = ?", Integer.class, id) > 0);
    return order;
  }
}
