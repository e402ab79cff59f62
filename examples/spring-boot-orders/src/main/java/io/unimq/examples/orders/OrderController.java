package io.unimq.examples.orders;

import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
public class OrderController {

  public record NewOrder(String item, int quantity) {}

  private final OrderService orders;

  public OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping
  public ResponseEntity<Map<String, String>> place(@RequestBody NewOrder order) {
    try {
      String id = orders.place(order.item(), order.quantity());
      return ResponseEntity.created(URI.create("/orders/" + id)).body(Map.of("id", id));
    } catch (IllegalArgumentException e) {
      return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
  }

  @PostMapping("/{id}/cancel")
  public ResponseEntity<Void> cancel(@PathVariable("id") String id) {
    return orders.cancel(id) ? ResponseEntity.accepted().build() : ResponseEntity.notFound().build();
  }

  @GetMapping("/{id}")
  public ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
    Map<String, Object> order = orders.find(id);
    return order == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(order);
  }
}
