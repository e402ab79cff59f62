package io.unimq.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a client's state, from {@link MqClient#health()}: whether it is connected, the last
 * broker error it met, and each open subscription. Immutable and thread-safe; made of plain values
 * so that any framework (a Spring Boot health indicator, a readiness probe, a CLI) can render it.
 *
 * @param scheme the adapter's URI scheme, for example {@code kafka}
 * @param connected the client is open and its last broker operation (a fetch of a subscription, or
 *     a send) succeeded; false once closed, and from a failed operation until one succeeds again
 * @param lastError the last failure of a broker operation, or null when there was none
 * @param subscriptions the client's open subscriptions, in no particular order
 */
public record Health(String scheme, boolean connected, LastError lastError, List<SubscriptionHealth> subscriptions) {
  public Health {
    Objects.requireNonNull(scheme, "scheme");
    subscriptions = List.copyOf(subscriptions);
  }

  /**
   * A failed broker operation.
   *
   * @param type the exception's class name
   * @param message its message, with any credentials in a URI masked
   * @param at when it happened
   */
  public record LastError(String type, String message, Instant at) {}

  /**
   * One open subscription.
   *
   * @param topic its topic
   * @param group its group
   * @param state {@link Subscription.State#RUNNING} or {@link Subscription.State#PAUSED}
   * @param inFlight messages fetched and not yet acked, as {@link Subscription#inFlight()}
   */
  public record SubscriptionHealth(String topic, String group, Subscription.State state, int inFlight) {}
}
