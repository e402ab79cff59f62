package io.unimq.bench.jmh;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Producer;
import io.unimq.api.Subscription;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The broker-free engine path, per message: building a message (the baseline a user pays anyway),
 * {@code sendAsync} through the engine onto a no-op transport, the consuming engine (poll thread,
 * dispatch, handler, ack) over a no-op transport, and a full send + receive on {@code memory://}.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {
  static final int BATCH = 256;
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Param({"100"})
  public int size;

  private byte[] body;
  private MqClient noop;
  private Producer noopProducer;
  private Subscription noopSub;
  private Message inbound;
  private final AtomicLong handled = new AtomicLong();
  private MqClient memory;
  private Producer memoryProducer;
  private Subscription memorySub;
  private String memoryTopic;
  private final AtomicLong memoryReceived = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    body = new byte[size];
    noop = Mq.connect("benchnoop://x");
    noopProducer = noop.producer();
    inbound = Message.builder("t").body(body).build();
    noopSub = noop.subscribe("t", "g", d -> handled.incrementAndGet());
    memory = Mq.connect("memory://bench-" + UUID.randomUUID());
    memoryProducer = memory.producer();
    memoryTopic = "t";
    memorySub = memory.subscribe(memoryTopic, "g", d -> memoryReceived.incrementAndGet());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    noopSub.close(Duration.ofSeconds(1));
    noop.close(Duration.ofSeconds(1));
    memorySub.close(Duration.ofSeconds(1));
    memory.close(Duration.ofSeconds(1));
  }

  /** What a caller pays without unimq's engine: one message object. */
  @Benchmark
  public Message buildMessage() {
    return Message.builder("t").body(body).build();
  }

  /** The baseline with a caller-set {@code traceparent} header (a header map to copy). */
  @Benchmark
  public Message buildMessageWithTraceparent() {
    return Message.builder("t").header("traceparent", TRACEPARENT).body(body).build();
  }

  /** As {@link #sendNoopTransport()}, but the engine need not add trace context (no copy of the message). */
  @Benchmark
  public Object sendNoopTransportWithTraceparent() {
    return noopProducer.sendAsync(Message.builder("t").header("traceparent", TRACEPARENT).body(body).build())
        .toCompletableFuture().join();
  }

  /** Build + {@code sendAsync} + completion through the engine onto a no-op transport. */
  @Benchmark
  public Object sendNoopTransport() {
    return noopProducer.sendAsync(Message.builder("t").body(body).build()).toCompletableFuture().join();
  }

  /**
   * The baseline for {@link #sendInFlightNoopTransport()}: {@value #BATCH} client futures in flight,
   * completed by another thread, without the engine.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object inFlightClientFutures() {
    CompletableFuture<?>[] sends = new CompletableFuture<?>[BATCH];
    for (int i = 0; i < BATCH; i++) {
      Message m = Message.builder("async").body(body).build();
      sends[i] = NoopProvider.later(m);
    }
    return CompletableFuture.allOf(sends).join();
  }

  /** {@value #BATCH} sends in flight through the engine, completed by another thread (timeouts armed and cancelled). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object sendInFlightNoopTransport() {
    CompletableFuture<?>[] sends = new CompletableFuture<?>[BATCH];
    for (int i = 0; i < BATCH; i++) {
      sends[i] = noopProducer.sendAsync(Message.builder("async").body(body).build()).toCompletableFuture();
    }
    return CompletableFuture.allOf(sends).join();
  }

  /** The consuming engine: a no-op transport hands out deliveries, the engine polls, dispatches, handles, acks. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long receiveNoopTransport() {
    long target = handled.get() + BATCH;
    NoopProvider.offer(inbound, BATCH);
    while (handled.get() < target) {
      LockSupport.parkNanos(10_000);
    }
    return target;
  }

  /** Send and receive through the whole engine on {@code memory://}, {@value #BATCH} messages in flight. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long roundTripMemory() {
    long target = memoryReceived.get() + BATCH;
    CompletableFuture<?>[] sends = new CompletableFuture<?>[BATCH];
    for (int i = 0; i < BATCH; i++) {
      sends[i] = memoryProducer.sendAsync(Message.builder(memoryTopic).body(body).build()).toCompletableFuture();
    }
    CompletableFuture.allOf(sends).join();
    while (memoryReceived.get() < target) {
      LockSupport.parkNanos(10_000);
    }
    return target;
  }
}
