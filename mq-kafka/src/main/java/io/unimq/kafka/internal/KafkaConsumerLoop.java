package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group member. One fetch thread owns the {@link KafkaConsumer} (which is single-threaded): it
 * polls the topic, the topic's delay topic and the group's retry topic, holds delayed records by
 * pausing their partition until due, hands due records to a buffer bounded by the prefetch (pausing
 * every partition once the buffer is full, so the consumer keeps polling and never exceeds
 * {@code max.poll.interval.ms} however slow the handlers are), and commits each partition's settled
 * prefix asynchronously, at most every 50 ms (synchronously on revocation and close). The engine's {@link #poll} only
 * takes from the buffer; when it takes a full buffer down to half the prefetch it wakes the fetch
 * thread ({@link KafkaConsumer#wakeup}), which resumes fetching at once. On revocation it waits up to
 * {@code revokeDrain} for in-flight handlers, commits what finished and forgets the rest, which the
 * new owner receives again. Thread-safe as the SPI requires.
 */
final class KafkaConsumerLoop implements TransportConsumer, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerLoop.class);
  private static final Object WAKE = new Object();
  private static final long IDLE_POLL_MILLIS = 100;
  /** Asynchronous commits of the settled prefixes at most this often (plus synchronous ones on revocation and close). */
  private static final long COMMIT_INTERVAL_NANOS = 50_000_000L;

  private final KafkaTransport transport;
  private final ConsumerSpec spec;
  private final String delayTopic;
  private final String retryTopic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LinkedBlockingQueue<Object> buffer = new LinkedBlockingQueue<>();
  private final Map<TopicPartition, PartitionTracker> trackers = new HashMap<>();
  private final Map<TopicPartition, Long> holds = new HashMap<>();
  private final Duration revokeDrain;
  private final Thread thread;
  private final int highWater;
  private final int lowWater;
  /** Set by the fetch thread when it pauses for a full buffer; cleared by whoever resumes it. */
  private final AtomicBoolean full = new AtomicBoolean();
  /** Fetch thread: some partition is paused (a hold or a full buffer). */
  private boolean anyPaused;
  private long lastCommit = System.nanoTime();
  private volatile boolean closing;

  KafkaConsumerLoop(KafkaTransport transport, ConsumerSpec spec) {
    this.transport = transport;
    this.spec = spec;
    this.delayTopic = Topology.delay(spec.topic());
    this.retryTopic = Topology.retry(spec.topic(), spec.group());
    this.revokeDrain = transport.settings().revokeDrain();
    var props = transport.settings().consumer(spec.consumerId(), spec.group());
    props.putIfAbsent("max.poll.records", Integer.toString(Math.max(1, Math.min(500, spec.prefetch()))));
    this.consumer = new KafkaConsumer<>(props);
    this.highWater = Math.max(1, spec.prefetch());
    this.lowWater = highWater / 2;
    this.thread = new Thread(this::run, "unimq-kafka-" + spec.topic() + "-" + spec.group() + "-fetch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    List<InboundMessage> out = new ArrayList<>();
    Object first = buffer.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null || first == WAKE) {
      return out;
    }
    out.add((InboundMessage) first);
    List<Object> more = new ArrayList<>();
    buffer.drainTo(more, max - 1);
    for (Object o : more) {
      if (o != WAKE) {
        out.add((InboundMessage) o);
      }
    }
    resumeIfDrained();
    return out;
  }

  /** Any thread: wakes the fetch thread out of its paused poll once the buffer is down to the low-water mark. */
  private void resumeIfDrained() {
    if (full.get() && buffer.size() <= lowWater && full.compareAndSet(true, false)) {
      consumer.wakeup();
    }
  }

  @Override
  public void wakeup() {
    buffer.add(WAKE);
  }

  private void run() {
    try {
      consumer.subscribe(List.of(spec.topic(), delayTopic, retryTopic), this);
      while (!closing) {
        try {
          long now = System.nanoTime();
          if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
            lastCommit = now;
            commitSettled();
          }
          updatePauses();
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMillis()));
          if (!records.isEmpty()) {
            accept(records);
          }
        } catch (WakeupException e) {
          // the buffer drained (or closing): go round again
        } catch (RuntimeException e) {
          if (closing) {
            break;
          }
          log.warn("consumer {} of {}/{}: {}; polling again", spec.consumerId(), spec.topic(), spec.group(), e.toString());
          sleep(500);
        }
      }
      commitSync(trackers.values());
    } catch (RuntimeException e) {
      log.warn("consumer {} of {}/{} stopped: {}", spec.consumerId(), spec.topic(), spec.group(), e.toString());
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing consumer {}: {}", spec.consumerId(), e.toString());
      }
    }
  }

  private long pollMillis() {
    if (holds.isEmpty()) {
      return IDLE_POLL_MILLIS;
    }
    long now = System.currentTimeMillis();
    long wait = IDLE_POLL_MILLIS;
    for (long release : holds.values()) {
      wait = Math.min(wait, release - now);
    }
    return Math.max(1, wait);
  }

  /** One poll's records, partition by partition; what is due goes to the buffer in one step. */
  private void accept(ConsumerRecords<byte[], byte[]> records) {
    List<Object> out = new ArrayList<>(records.count());
    for (TopicPartition tp : records.partitions()) {
      PartitionTracker tracker = trackers.get(tp);
      if (tracker == null) {
        continue; // revoked meanwhile
      }
      boolean main = tp.topic().equals(spec.topic());
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (holds.containsKey(tp)) {
          break; // held: the consumer was sought back and fetches the rest again
        }
        if (main) {
          tracker.fetched(r.offset());
          out.add(new KafkaInbound(this, tracker, r.offset(), Records.toMessage(spec.topic(), r)));
        } else {
          acceptDelayed(tp, tracker, r, out);
        }
      }
    }
    if (!out.isEmpty()) {
      buffer.addAll(out);
    }
  }

  private void acceptDelayed(TopicPartition tp, PartitionTracker tracker, ConsumerRecord<byte[], byte[]> r, List<Object> out) {
    long now = System.currentTimeMillis();
    long due = Records.due(r);
    long release = DelayLevels.releaseAt(r.partition(), r.timestamp(), due);
    if (release > now) {
      consumer.seek(tp, r.offset());
      holds.put(tp, release);
      consumer.pause(List.of(tp));
      anyPaused = true;
      return;
    }
    if (due <= now) {
      tracker.fetched(r.offset());
      out.add(new KafkaInbound(this, tracker, r.offset(), Records.toMessage(spec.topic(), r)));
      return;
    }
    // waited its hop and is still not due: the next hop, on the group's own retry topic
    tracker.fetched(r.offset());
    int level = DelayLevels.levelFor(due - now);
    transport.producer().send(new ProducerRecord<>(retryTopic, level, null, r.key(), r.value(), r.headers()), (md, e) -> {
      if (e == null) {
        tracker.settle(r.offset());
      } else {
        log.warn("moving a delayed message of {}/{} failed; it is read again after a rebalance: {}", spec.topic(), spec.group(), e.toString());
      }
    });
  }

  /** Held partitions stay paused until due; every partition pauses from a full buffer until it is down to the low-water mark. */
  private void updatePauses() {
    if (!anyPaused && holds.isEmpty() && !full.get() && buffer.size() < highWater) {
      return; // nothing paused and nothing to pause: the common case
    }
    long now = System.currentTimeMillis();
    holds.values().removeIf(release -> release <= now);
    Set<TopicPartition> want = new HashSet<>(holds.keySet());
    if (!full.get() && buffer.size() >= highWater) {
      full.set(true);
      resumeIfDrained(); // the engine may have drained it between the check and the flag
    }
    if (full.get()) {
      want.addAll(consumer.assignment());
    }
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> resume = paused.stream().filter(tp -> !want.contains(tp)).toList();
    List<TopicPartition> pause = want.stream().filter(tp -> !paused.contains(tp)).toList();
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    anyPaused = !want.isEmpty();
  }

  /** Asks for the settled prefixes to be committed without waiting; the callback (on this thread) records the outcome. */
  private void commitSettled() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionTracker t : trackers.values()) {
      long c = t.committable();
      if (c >= 0) {
        offsets.put(t.partition, new OffsetAndMetadata(c));
        t.requested(c);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitAsync(offsets, (done, e) -> offsets.forEach((tp, o) -> {
        PartitionTracker t = trackers.get(tp);
        if (t == null) {
          return; // revoked meanwhile: that commit was made synchronously
        }
        if (e == null) {
          t.committed(o.offset());
        } else {
          t.commitFailed();
        }
      }));
    } catch (RuntimeException e) {
      offsets.keySet().forEach(tp -> trackers.get(tp).commitFailed());
      log.debug("commit of {} failed, retrying later: {}", offsets, e.toString());
    }
  }

  /** Commits the settled prefixes and waits (revocation and close). */
  private void commitSync(Collection<PartitionTracker> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionTracker t : which) {
      long c = t.unconfirmed();
      if (c >= 0) {
        offsets.put(t.partition, new OffsetAndMetadata(c));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(5));
        offsets.forEach((tp, o) -> {
          PartitionTracker t = trackers.get(tp);
          if (t != null) {
            t.committed(o.offset());
          }
        });
        return;
      } catch (WakeupException e) {
        // a wakeup meant for the poll: commit again
      } catch (RuntimeException e) {
        log.debug("commit of {} failed: {}", offsets, e.toString());
        return;
      }
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      trackers.put(tp, new PartitionTracker(tp));
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<PartitionTracker> leaving = forget(partitions);
    long deadline = System.nanoTime() + revokeDrain.toNanos();
    while (!leaving.stream().allMatch(PartitionTracker::drained) && System.nanoTime() < deadline) {
      sleep(10);
    }
    commitSync(leaving);
    leaving.forEach(t -> {
      t.revoke();
      trackers.remove(t.partition);
    });
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    forget(partitions).forEach(t -> {
      t.revoke();
      trackers.remove(t.partition);
    });
  }

  /** Takes the partitions' unhanded records back out of the buffer; returns their trackers. */
  private List<PartitionTracker> forget(Collection<TopicPartition> partitions) {
    buffer.removeIf(o -> {
      if (o instanceof KafkaInbound in && partitions.contains(in.tracker.partition)) {
        in.tracker.truncate(in.offset());
        return true;
      }
      return false;
    });
    partitions.forEach(holds::remove);
    return partitions.stream().map(trackers::get).filter(t -> t != null).toList();
  }

  void sendRetry(Message next, Duration delay) {
    long due = System.currentTimeMillis() + delay.toMillis();
    int level = DelayLevels.levelFor(delay.toMillis());
    transport.send(Records.toRecord(retryTopic, level, next, due), "retry of " + next.id());
  }

  void sendDead(Message dead) {
    transport.send(Records.toRecord(Topology.dlq(spec.topic(), spec.group()), 0, dead, 0), "dead letter " + dead.id());
  }

  @Override
  public void close() {
    closing = true;
    wakeup();
    consumer.wakeup();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
