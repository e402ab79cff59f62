package io.unimq.tck;

import io.unimq.api.Capability;
import io.unimq.api.MqClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The rules every unimq adapter passes. An adapter's test extends this class and says how to
 * connect; the kit does the rest:
 *
 * <pre>{@code
 * class KafkaCompatibilityTest extends MqCompatibilityKit {
 *   protected String uri() { return "kafka://127.0.0.1:19092"; }
 *   protected MqClient connect() { return Mq.connect(uri()); }
 * }
 * }</pre>
 *
 * <p>One {@link Nested} class per area, below; each area's rules are in a file of their own
 * ({@code <Area>Area.java}). Each rule has a stable id in its display name, followed by whether it
 * is required: {@code [GRP-1] required: ...}, or {@code [ORD-1] optional (ORDERING): ...} for a rule
 * that applies only when its condition holds, such as an optional {@link Capability} the client
 * declares. An optional rule whose condition does not hold is reported as skipped, never as passed;
 * a required rule never skips. Every topic and group name is unique to its test, so the kit can run
 * against a shared broker. Timeouts scale with one setting, see {@link TckTimeouts}; adapters tune
 * their promises with {@link #delayTolerance()}, {@link #transactionCheckTimeout()} and
 * {@link #redeliveryTimeout()}. Idempotency stores have a kit of their own,
 * {@link IdempotencyStoreCompatibilityKit}.
 *
 * <p>The kit runs its tests one at a time (the JUnit default); it is not meant for parallel
 * execution within one JVM.
 */
public abstract class MqCompatibilityKit {
  final KitFixture fixture = new KitFixture(this);

  // ---------------------------------------------------------------- hooks for adapters

  /**
   * A new client of the broker under test. Each call must return a new client (the kit uses several
   * as several processes) of the same broker. The kit closes them after each test.
   */
  protected abstract MqClient connect();

  /** The URI {@link #connect()} uses; the kit derives bad URIs from it. */
  protected abstract String uri();

  /** How late a delayed message (and a retry after its backoff) may be. Default 1 s. */
  protected Duration delayTolerance() {
    return Duration.ofSeconds(1);
  }

  /** How long until an unknown or orphaned half message is resolved by a check-back. Default 30 s. */
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(30);
  }

  /** How long until a message left unacked by a closed consumer reaches another member. Default 30 s. */
  protected Duration redeliveryTimeout() {
    return Duration.ofSeconds(30);
  }

  /** The timeout scale; by default from {@link TckTimeouts#fromEnvironment()}. */
  protected TckTimeouts timeouts() {
    return TckTimeouts.fromEnvironment();
  }

  // ---------------------------------------------------------------- fixture

  /** The test's main client, opened on first use. */
  protected final MqClient client() {
    return fixture.client();
  }

  /** Another client of the same broker, as another process would have. */
  protected final MqClient newClient() {
    return fixture.newClient();
  }

  /** Runs {@code action} after the test, before its clients are closed (for example to open a gate). */
  protected final void onCleanup(Runnable action) {
    fixture.onCleanup(action);
  }

  @AfterEach
  void closeWhatTheTestOpened() {
    fixture.close();
  }

  // ================================================================ areas

  @Nested
  @DisplayName("Producing: what is sent arrives unchanged")
  public class Produce extends ProduceArea {
    public Produce() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Groups: one group shares the work, each group gets every message")
  public class Groups extends GroupsArea {
    public Groups() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Ordering: messages with the same key are handled one at a time, in send order")
  public class Ordering extends OrderingArea {
    public Ordering() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Retry: a failing handler is retried by policy without holding up other messages")
  public class Retry extends RetryArea {
    public Retry() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Dead letters: exhausted messages are kept with their failure, inspected, replayed and purged")
  public class DeadLetter extends DeadLetterArea {
    public DeadLetter() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Delay: a delayed message is never early and late by at most the tolerance")
  public class Delay extends DelayArea {
    public Delay() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Transactions: a half message is delivered only once committed")
  public class Transactions extends TransactionsArea {
    public Transactions() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Idempotency: a key processed once is not processed again")
  public class Idempotency extends IdempotencyArea {
    public Idempotency() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Lifecycle: closing drains, hands unacked messages to another member and refuses later use")
  public class Lifecycle extends LifecycleArea {
    public Lifecycle() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Manual ack: what the handler acks is done, the rest comes back")
  public class ManualAck extends ManualAckArea {
    public ManualAck() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Lag: what a group has not acked yet")
  public class Lag extends LagArea {
    public Lag() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Pause: a paused subscription fetches nothing, finishes what it fetched and gets the rest after resuming")
  public class Pause extends PauseArea {
    public Pause() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Batch: a batch handler gets bounded batches, acked on success, retried by a documented rule on failure")
  public class Batch extends BatchArea {
    public Batch() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Health: a client tells whether it is connected and what each subscription does")
  public class Health extends HealthArea {
    public Health() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Listing: topics and groups as the broker lists them, and deleting a group")
  public class Listing extends ListingArea {
    public Listing() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Bad input: rejected early with a typed exception and a clear message")
  public class BadInput extends BadInputArea {
    public BadInput() {
      super(MqCompatibilityKit.this);
    }
  }

  @Nested
  @DisplayName("Tracing: W3C trace context travels through the broker and on to the messages a handler sends")
  public class Tracing extends TracingArea {
    public Tracing() {
      super(MqCompatibilityKit.this);
    }
  }
}
