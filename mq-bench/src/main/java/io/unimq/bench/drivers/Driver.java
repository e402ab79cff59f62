package io.unimq.bench.drivers;

/**
 * One implementation under test on one broker: the native client used well, or unimq with its
 * defaults. The harness creates a fresh topic per run, subscribes one consumer group, then sends
 * from one thread. Implementations must be thread-safe for {@link Sink} and {@link SendCallback}
 * (called from client threads); {@link #send} and {@link #flush} are called from one thread.
 */
public interface Driver extends AutoCloseable {
  /** {@code native} or {@code unimq}. */
  String implementation();

  /** How the client is configured, for the report. */
  String settings();

  /** Creates {@code topic} with {@code partitions} partitions (queues, streams) where that applies. */
  void createTopic(String topic, int partitions);

  /** Starts one consumer of {@code group} on {@code topic}; every delivered body goes to {@code sink}. */
  AutoCloseable subscribe(String topic, String group, int partitions, Sink sink);

  /**
   * Sends asynchronously; may block for the client's own backpressure. {@code callback} runs once
   * the broker confirmed (error null) or failed.
   */
  void send(String topic, byte[] body, SendCallback callback);

  /** Called when the sender is about to wait: a pipelining client writes what it holds. */
  default void flush() {}

  /** Removes what the run left on the broker (best effort). */
  void delete(String topic, String group);

  @Override
  void close();

  /** Receives delivered bodies. Thread-safe. */
  @FunctionalInterface
  interface Sink {
    void received(byte[] body);
  }

  /** Completion of one send. */
  @FunctionalInterface
  interface SendCallback {
    void done(Throwable error);
  }
}
