package io.unimq.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An orders service on unimq: {@code POST /orders} stores the order and its {@code OrderEvent} in
 * one database transaction (the outbox); the relay publishes the event; {@link Billing} (ordered by
 * order id, with retries) and {@link Shipping} each get every event (two groups: fanout).
 *
 * <p>{@code mvn -pl examples/spring-boot-orders spring-boot:run} is not set up; run the class, with
 * {@code UNIMQ_URI=kafka://127.0.0.1:9092} (or rabbitmq://, redis://) for a real broker.
 */
@SpringBootApplication
public class OrdersApplication {
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}
