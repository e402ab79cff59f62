package io.unimq.bench.drivers;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Producer;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * unimq with its defaults: {@link Producer#sendAsync} and a default subscription. One client per
 * partition count (the count is a URI parameter applied when a topic is first declared).
 * Thread-safe.
 */
public final class UnimqDriver implements Driver {
  private final IntFunction<String> uriForPartitions;
  private final Map<Integer, MqClient> clients = new ConcurrentHashMap<>();
  private final Map<String, MqClient> byTopic = new ConcurrentHashMap<>();
  private final Driver cleaner;

  /**
   * @param uriForPartitions the connection URI for a partition count
   * @param cleaner a native driver whose {@link #delete} also removes unimq's names of a topic
   */
  public UnimqDriver(IntFunction<String> uriForPartitions, Driver cleaner) {
    this.uriForPartitions = uriForPartitions;
    this.cleaner = cleaner;
  }

  @Override
  public String implementation() {
    return "unimq";
  }

  @Override
  public String settings() {
    // N: the workload's partition count
    return uriForPartitions.apply(0).replaceAll("//[^@/]*@", "//").replace("=0", "=N") + " (defaults: sendAsync; subscribe with "
        + (options() == SubscriptionOptions.DEFAULT ? "SubscriptionOptions.DEFAULT: prefetch " + SubscriptionOptions.DEFAULT.prefetch()
        + ", concurrency " + SubscriptionOptions.DEFAULT.concurrency() + ")" : "prefetch " + options().prefetch()
        + ", concurrency " + options().concurrency() + " (EXPERIMENT, not the defaults))");
  }

  private MqClient client(int partitions) {
    return clients.computeIfAbsent(partitions, p -> Mq.connect(withExtraParameters(uriForPartitions.apply(p))));
  }

  @Override
  public void createTopic(String topic, int partitions) {
    MqClient c = client(partitions);
    byTopic.put(topic, c);
    c.admin().declareTopic(topic);
  }

  @Override
  public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
    Subscription s = client(partitions).subscribe(topic, group, options(), d -> sink.received(d.body()));
    return () -> s.close(Duration.ofSeconds(2));
  }

  /** {@code uri} plus the system property {@code bench.unimq.params} (for experiments with {@code --profile}, e.g. {@code kafka.fetch.max.wait.ms=500}). */
  static String withExtraParameters(String uri) {
    String extra = System.getProperty("bench.unimq.params", "");
    return extra.isEmpty() ? uri : uri + (uri.contains("?") ? "&" : "?") + extra;
  }

  /**
   * {@link SubscriptionOptions#DEFAULT}, unless the system properties {@code bench.unimq.prefetch} or
   * {@code bench.unimq.concurrency} ask otherwise (for experiments with {@code --profile}; the report uses
   * the defaults).
   */
  static SubscriptionOptions options() {
    String prefetch = System.getProperty("bench.unimq.prefetch");
    String concurrency = System.getProperty("bench.unimq.concurrency");
    if (prefetch == null && concurrency == null) {
      return SubscriptionOptions.DEFAULT;
    }
    SubscriptionOptions.Builder b = SubscriptionOptions.builder();
    if (prefetch != null) {
      b.prefetch(Integer.parseInt(prefetch));
    }
    if (concurrency != null) {
      b.concurrency(Integer.parseInt(concurrency));
    }
    return b.build();
  }

  @Override
  public void send(String topic, byte[] body, SendCallback callback) {
    producer(topic).sendAsync(Message.builder(topic).body(body).build()).whenComplete((r, e) -> callback.done(e));
  }

  /** The last topic and its producer, kept so that sending does not look it up per message (the native drivers do not). */
  private record Last(String topic, Producer producer) {}

  private volatile Last last = new Last(null, null);

  private Producer producer(String topic) {
    Last l = last;
    if (l.topic() == topic) {
      return l.producer();
    }
    Producer p = byTopic.get(topic).producer();
    last = new Last(topic, p);
    return p;
  }

  @Override
  public void delete(String topic, String group) {
    byTopic.remove(topic);
    last = new Last(null, null);
    cleaner.delete(topic, group);
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.close(Duration.ofSeconds(5)));
  }
}
