package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's group member, driven by the engine: the Kafka consumer (single-threaded) is
 * used only by the engine thread that holds the subscription's poll slot, one at a time, and by
 * {@link #close} after the last poll. A {@link #poll} commits each partition's settled prefix
 * ({@link OffsetCommits}), resumes held partitions that are due, polls the topic, the topic's delay
 * topic and the group's retry topic, and returns up to {@code max} records; the rest of a fetch
 * waits for the next poll. Delayed records are held by pausing their partition until due. The
 * records reach a handler on the thread that fetched them, as with a plain Kafka consumer loop.
 * While the engine is at capacity it calls {@link #idle}, which polls with every partition paused
 * (rebalances, and the group's {@code max.poll.interval.ms}). Rebalance callbacks run inside the
 * poll: on revocation it waits up to {@code revokeDrain} for handlers running on the other engine
 * threads, commits what finished and marks the rest revoked, so that the engine drops them
 * unhandled ({@link InboundMessage#revoked}) and the new owner gets them. Thread-safe as the SPI
 * requires.
 */
final class KafkaConsumer implements TransportConsumer, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(KafkaConsumer.class);

  private final KafkaTransport transport;
  private final ConsumerSpec spec;
  private final String delayTopic;
  private final String retryTopic;
  private final Consumer<byte[], byte[]> consumer;
  private final OffsetCommits commits;
  /** Fetched beyond the last poll's {@code max}; poll slot only. */
  private final ArrayDeque<KafkaInbound> surplus = new ArrayDeque<>();
  private final Map<TopicPartition, Long> holds = new HashMap<>();
  private final Duration revokeDrain;
  /** Poll slot only: every partition was paused by {@link #idle}. */
  private boolean pausedForIdle;
  private volatile boolean closing;

  KafkaConsumer(KafkaTransport transport, ConsumerSpec spec) {
    this.transport = transport;
    this.spec = spec;
    this.delayTopic = KafkaTopology.delay(spec.topic());
    this.retryTopic = KafkaTopology.retry(spec.topic(), spec.group());
    this.revokeDrain = transport.settings().revokeDrain();
    var props = transport.settings().consumer(spec.consumerId(), spec.group());
    props.putIfAbsent("max.poll.records", Integer.toString(Math.max(1, Math.min(500, spec.prefetch()))));
    this.consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props);
    this.commits = new OffsetCommits(consumer);
    consumer.subscribe(List.of(spec.topic(), delayTopic, retryTopic), this);
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) {
    List<InboundMessage> out = new ArrayList<>(Math.min(max, 256));
    if (closing) {
      return out;
    }
    takeSurplus(max, out);
    if (!out.isEmpty()) {
      return out;
    }
    try {
      commits.maybeCommit();
      if (pausedForIdle) {
        pausedForIdle = false;
        consumer.resume(consumer.paused());
        if (!holds.isEmpty()) {
          consumer.pause(holds.keySet());
        }
      }
      releaseDueHolds();
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.max(1, Math.min(timeout.toMillis(), holdWaitMillis()))));
      if (!records.isEmpty()) {
        accept(records);
        takeSurplus(max, out);
      }
    } catch (WakeupException e) {
      // wakeup(): return what there is
    }
    return out;
  }

  private void takeSurplus(int max, List<InboundMessage> out) {
    KafkaInbound in;
    while (out.size() < max && (in = surplus.poll()) != null) {
      out.add(in);
    }
  }

  /** The engine is at capacity: poll with every partition paused, for rebalances and the group's liveness. */
  @Override
  public void idle() {
    if (closing) {
      return;
    }
    try {
      commits.maybeCommit();
      if (!pausedForIdle) {
        consumer.pause(consumer.assignment());
        pausedForIdle = true;
      }
      consumer.poll(Duration.ZERO); // nothing is returned for paused partitions
    } catch (WakeupException e) {
      // close or wakeup
    }
  }

  private long holdWaitMillis() {
    if (holds.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long now = System.currentTimeMillis();
    long wait = Long.MAX_VALUE;
    for (long release : holds.values()) {
      wait = Math.min(wait, release - now);
    }
    return wait;
  }

  private void releaseDueHolds() {
    if (holds.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    List<TopicPartition> due = new ArrayList<>();
    holds.entrySet().removeIf(e -> {
      if (e.getValue() <= now) {
        due.add(e.getKey());
        return true;
      }
      return false;
    });
    if (!due.isEmpty()) {
      consumer.resume(due);
    }
  }

  /** One poll's records, partition by partition, into the surplus (taken from by the caller). */
  private void accept(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      PartitionTracker tracker = commits.tracker(tp);
      if (tracker == null) {
        continue; // revoked meanwhile
      }
      boolean main = tp.topic().equals(spec.topic());
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (holds.containsKey(tp)) {
          break; // held: the consumer was sought back and fetches the rest again
        }
        if (main) {
          hand(tracker, r);
        } else {
          acceptDelayed(tp, tracker, r);
        }
      }
    }
  }

  private void acceptDelayed(TopicPartition tp, PartitionTracker tracker, ConsumerRecord<byte[], byte[]> r) {
    long now = System.currentTimeMillis();
    long due = KafkaCodec.due(r);
    long release = DelayLevels.releaseAt(r.partition(), r.timestamp(), due);
    if (release > now) {
      consumer.seek(tp, r.offset());
      holds.put(tp, release);
      consumer.pause(List.of(tp));
      return;
    }
    if (due <= now) {
      hand(tracker, r);
      return;
    }
    // waited its hop and is still not due: the next hop, on the group's own retry topic
    PartitionTracker.Slot moving = tracker.fetched(new PartitionTracker.Slot(r.offset()));
    int level = DelayLevels.levelFor(due - now);
    move(moving, new ProducerRecord<>(retryTopic, level, null, r.key(), r.value(), r.headers()));
  }

  /**
   * Sends a delayed message's next hop; settles its slot once sent. A send that fails for a passing
   * reason (a partition without a leader while a broker node is lost) is tried again a second later
   * (not from the producer's own thread), until it is sent or the consumer closes: the slot holds the
   * group's commits behind it meanwhile, so nothing is lost, and the message is not left waiting for a
   * rebalance. Another failure leaves the message to be read again after a rebalance.
   */
  private void move(PartitionTracker.Slot moving, ProducerRecord<byte[], byte[]> hop) {
    transport.producer().send(hop, (md, e) -> {
      if (e == null) {
        moving.settle();
      } else if (e instanceof org.apache.kafka.common.errors.RetriableException && !closing) {
        log.warn("moving a delayed message of {}/{} failed; trying again: {}", spec.topic(), spec.group(), e.toString());
        java.util.concurrent.CompletableFuture.runAsync(() -> move(moving, hop),
            java.util.concurrent.CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS));
      } else {
        log.warn("moving a delayed message of {}/{} failed; it is read again after a rebalance: {}", spec.topic(), spec.group(), e.toString());
      }
    });
  }

  /** A fetched record for the engine: in flight on its partition, waiting in the surplus for the next poll's taking. */
  private void hand(PartitionTracker tracker, ConsumerRecord<byte[], byte[]> r) {
    surplus.add(new KafkaInbound(this, tracker, r.offset(), KafkaCodec.toMessage(spec.topic(), r)));
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    commits.assigned(partitions);
    if (pausedForIdle && !partitions.isEmpty()) {
      consumer.pause(partitions); // still at capacity: the next poll resumes them
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<PartitionTracker> leaving = forget(partitions);
    // handlers of these partitions run on the other engine threads (with one, nothing runs meanwhile)
    long deadline = System.nanoTime() + (spec.concurrency() > 1 ? revokeDrain.toNanos() : 0);
    while (!leaving.stream().allMatch(PartitionTracker::drained) && System.nanoTime() < deadline) {
      sleep(10);
    }
    commits.commitSync(leaving);
    commits.revoke(leaving);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    commits.lost(forget(partitions));
  }

  /** Takes the partitions' unhanded records back out of the surplus; returns their trackers. */
  private List<PartitionTracker> forget(Collection<TopicPartition> partitions) {
    surplus.removeIf(in -> {
      if (partitions.contains(in.tracker.partition)) {
        in.release();
        return true;
      }
      return false;
    });
    partitions.forEach(holds::remove);
    return commits.of(partitions);
  }

  void sendRetry(Message next, Duration delay) {
    long due = System.currentTimeMillis() + delay.toMillis();
    int level = DelayLevels.levelFor(delay.toMillis());
    transport.send(KafkaCodec.toRecord(retryTopic, level, next, due), "retry of " + next.id());
  }

  void sendDead(Message dead) {
    transport.send(KafkaCodec.toRecord(KafkaTopology.dlq(spec.topic(), spec.group()), 0, dead, 0), "dead letter " + dead.id());
  }

  /** Makes a blocked poll return; a wakeup with no poll running ends the next one at once. */
  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  /** After the last poll: commits what settled, leaves the group. */
  @Override
  public void close() {
    closing = true;
    try {
      surplus.forEach(KafkaInbound::release);
      surplus.clear();
      commits.commitSync(commits.all());
    } catch (RuntimeException e) {
      log.debug("final commit of consumer {} failed: {}", spec.consumerId(), e.toString());
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing consumer {}: {}", spec.consumerId(), e.toString());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
