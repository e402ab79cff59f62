package io.unimq.examples.orders;

/** What happened to an order; sent as JSON to the topic {@code orders.topic}, with the order id as the ordering key. */
public record OrderEvent(String orderId, String type, String item, int quantity) {
  public static final String PLACED = "placed";
  public static final String CANCELLED = "cancelled";
}
