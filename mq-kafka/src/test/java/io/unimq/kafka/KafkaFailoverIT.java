package io.unimq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Idempotent;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Failover on the 3-node {@code kafka-cluster} topology: a producer sends with confirms (one key per
 * stream, a sequence number per key) while two groups consume, one ordered by key and one not, the
 * second behind {@link Idempotent} (an in-process store: the consumer survives the failover; a consumer
 * crash with a durable store is {@code IdempotentConsumerCrashTest}'s, in mq-outbox). The leader of the
 * topic's partition 0 is killed with SIGKILL mid-stream and brought back 10 s later. Asserted: no
 * confirmed send is lost, first deliveries keep each key's order in the ordered group, the idempotent
 * handler's side effect ran once per message; counted: duplicates, the longest pause of confirmed
 * sends and of deliveries after the kill. {@code -Dunimq.failover.runs=N} repeats it (default 1); each
 * run prints one {@code FAILOVER kafka ...} line with its figures. Kills a node: run only with
 * {@code kafka-cluster} up and nobody else using it ({@code scripts/test.d/50-kafka-cluster}).
 */
class KafkaFailoverIT {
  private static final String TOPOLOGY = "kafka-cluster";
  private static final int KEYS = 8;
  /** Sends in flight at most. */
  private static final int WINDOW = 64;
  /** At most one send per this many microseconds: about 200 a second. */
  private static final long SEND_INTERVAL_MICROS = 5000;

  @TestFactory
  Stream<DynamicTest> killingThePartitionLeaderMidStreamLosesNoConfirmedSend() {
    int runs = Integer.getInteger("unimq.failover.runs", 1);
    return IntStream.rangeClosed(1, runs).mapToObj(r -> DynamicTest.dynamicTest("run " + r, () -> run(r)));
  }

  private void run(int run) throws Exception {
    String topic = "failover-" + UUID.randomUUID().toString().substring(0, 8);
    String uri = KafkaTestSupport.clusterUri() + "&partitions=4&sendTimeout=10s";
    IdempotencyStore store = IdempotencyStore.inMemory();
    Map<String, AtomicInteger> ordered = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> plain = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> sideEffects = new ConcurrentHashMap<>();
    Map<String, List<Integer>> firstOrder = new ConcurrentHashMap<>();
    Map<String, Boolean> seenOrdered = new ConcurrentHashMap<>();
    Map<String, ConcurrentLinkedQueue<Long>> deliveredAt = new ConcurrentHashMap<>();
    Map<String, ConcurrentLinkedQueue<Long>> confirmedAt = new ConcurrentHashMap<>();
    Map<String, Boolean> confirmed = new ConcurrentHashMap<>();
    AtomicInteger failedSends = new AtomicInteger();
    String killed = null;
    AtomicBoolean stop = new AtomicBoolean();
    try (MqClient producer = Mq.connect(uri); MqClient consumers = Mq.connect(uri);
        Admin admin = Admin.create(adminProps())) {
      consumers.subscribe(topic, "ordered", SubscriptionOptions.builder().ordered(true).concurrency(4).build(), d -> {
        ordered.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
        if (seenOrdered.putIfAbsent(d.id(), true) == null) {
          firstOrder.computeIfAbsent(d.key(), k -> new ArrayList<>());
          synchronized (firstOrder.get(d.key())) {
            firstOrder.get(d.key()).add(Integer.parseInt(d.bodyAsString()));
          }
        }
        deliveredAt.computeIfAbsent(d.key(), k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
      });
      consumers.subscribe(topic, "plain", SubscriptionOptions.builder().concurrency(4).build(), Idempotent.wrap(d -> {
        sideEffects.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
      }, store, m -> topic + "/plain/" + m.id(), Idempotent.DEFAULT_LEASE, Idempotent.DEFAULT_DONE_TTL));
      consumers.subscribe(topic, "plain-raw", SubscriptionOptions.builder().concurrency(4).build(),
          d -> plain.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet());

      AtomicLong sent = new AtomicLong();
      Thread sender = new Thread(() -> {
        int[] seq = new int[KEYS];
        Semaphore window = new Semaphore(WINDOW);
        while (!stop.get()) {
          int k = (int) (sent.getAndIncrement() % KEYS);
          Message m = Message.builder(topic).key("k" + k).body(Integer.toString(seq[k]++)).build();
          window.acquireUninterruptibly();
          // in send order per key: the producer keeps a partition's order (idempotent, at most 5 requests in flight)
          producer.producer().sendAsync(m).whenComplete((r, e) -> {
            window.release();
            if (e == null) {
              confirmed.put(m.id(), true);
              confirmedAt.computeIfAbsent(m.key(), x -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
            } else {
              failedSends.incrementAndGet(); // the engine's whole retry budget spent: not confirmed
            }
          });
          pace(SEND_INTERVAL_MICROS);
        }
        window.acquireUninterruptibly(WINDOW); // every send reported
      }, "failover-sender");
      sender.start();
      Thread progress = new Thread(() -> {
        try {
          while (!stop.get()) {
            Thread.sleep(5000);
            System.out.printf("failover progress: sent=%d confirmed=%d failed=%d ordered=%d plain=%d idempotent=%d%n", sent.get(),
                confirmed.size(), failedSends.get(), ordered.size(), plain.size(), sideEffects.size());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "failover-progress");
      progress.setDaemon(true);
      progress.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= 300 && ordered.size() >= 200);

      killed = leaderOf(admin, topic);
      long killAt = System.nanoTime();
      BrokerControl.run("kill", TOPOLOGY, killed);
      long before = confirmed.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= before + 300);
      await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
      up();
      String back = killed;
      killed = null;
      long after = confirmed.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= after + 300);
      stop.set(true);
      sender.join(60_000);

      await().atMost(Duration.ofSeconds(90)).until(() -> ordered.keySet().containsAll(confirmed.keySet())
          && plain.keySet().containsAll(confirmed.keySet()) && sideEffects.keySet().containsAll(confirmed.keySet()));
      long lost = confirmed.keySet().stream().filter(id -> !ordered.containsKey(id) || !plain.containsKey(id)).count();
      long dupOrdered = ordered.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).map(n -> n - 1).sum();
      long dupPlain = plain.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).map(n -> n - 1).sum();
      long dupEffects = sideEffects.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
      double sendStall = longestGapAfter(confirmedAt, killAt);
      double consumeStall = longestGapAfter(deliveredAt, killAt);
      await().atMost(Duration.ofSeconds(60)).until(() -> fullIsr(admin, topic));
      System.out.printf("FAILOVER kafka run=%d killed=%s confirmed=%d failedSends=%d lost=%d duplicatesOrdered=%d duplicatesPlain=%d"
          + " duplicateSideEffects=%d sendsResumedAfter=%.1fs consumptionResumedAfter=%.1fs%n", run, back, confirmed.size(),
          failedSends.get(), lost, dupOrdered, dupPlain, dupEffects, sendStall, consumeStall);
      assertThat(lost).as("confirmed sends lost").isZero();
      assertThat(dupEffects).as("duplicate side effects behind Idempotent").isZero();
      firstOrder.forEach((key, seqs) -> assertThat(seqs).as("first deliveries of key " + key).isSorted());
    } finally {
      stop.set(true);
      if (killed != null) {
        up();
      }
    }
  }

  private static void pace(long micros) {
    java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
  }

  /** The node leading partition 0 of {@code topic} ({@code node1}..{@code node3}, by the port's place in the URI). */
  private static String leaderOf(Admin admin, String topic) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    assertThat(d.partitions().get(0).replicas()).as("replicas of a topic unimq created on 3 brokers").hasSize(3);
    Node leader = d.partitions().get(0).leader();
    List<String> ports = List.of(TestBrokers.env("KAFKA_CLUSTER_PORTS").split(","));
    return "node" + (ports.indexOf(Integer.toString(leader.port())) + 1);
  }

  private static boolean fullIsr(Admin admin, String topic) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    return d.partitions().stream().allMatch(p -> p.isr().size() == 3);
  }

  /** Over every key: the longest time, in seconds, between the kill and the key's first event or between two of its events after it. */
  private static double longestGapAfter(Map<String, ConcurrentLinkedQueue<Long>> perKey, long from) {
    return perKey.values().stream().mapToDouble(q -> longestGapAfter(q, from)).max().orElse(0);
  }

  private static double longestGapAfter(ConcurrentLinkedQueue<Long> times, long from) {
    long last = from;
    long longest = 0;
    for (long t : times.stream().filter(t -> t >= from).sorted().toList()) {
      longest = Math.max(longest, t - last);
      last = t;
    }
    return longest / 1e9;
  }

  private static Properties adminProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KafkaTestSupport.clusterUri().substring("kafka://".length()).replaceAll("\\?.*", ""));
    return p;
  }



  /** {@code scripts/brokers up}, once more when the node took longer than the script waits (a loaded machine). */
  private static void up() {
    try {
      BrokerControl.run("up", TOPOLOGY);
    } catch (IllegalStateException slow) {
      BrokerControl.run("up", TOPOLOGY);
    }
  }
}
