package io.unimq.kafka.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commits of one group member: a {@link PartitionTracker} per assigned partition, and the
 * settled prefix of each committed asynchronously at most every 50 ms ({@link #maybeCommit}), and
 * synchronously on revocation and close ({@link #commitSync}). Used only by the thread that holds
 * the member's Kafka consumer (commit callbacks run inside its polls); not thread-safe.
 */
final class OffsetCommits {
  private static final Logger log = LoggerFactory.getLogger(OffsetCommits.class);
  /** Asynchronous commits of the settled prefixes at most this often (plus synchronous ones on revocation and close). */
  private static final long COMMIT_INTERVAL_NANOS = 50_000_000L;

  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, PartitionTracker> trackers = new HashMap<>();
  private long lastCommit = System.nanoTime();

  OffsetCommits(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /** The tracker of an assigned partition, null once it is revoked. */
  PartitionTracker tracker(TopicPartition tp) {
    return trackers.get(tp);
  }

  void assigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      trackers.put(tp, new PartitionTracker(tp));
    }
  }

  /** The trackers of those of {@code partitions} still assigned. */
  List<PartitionTracker> of(Collection<TopicPartition> partitions) {
    return partitions.stream().map(trackers::get).filter(t -> t != null).toList();
  }

  List<PartitionTracker> all() {
    return List.copyOf(trackers.values());
  }

  /** The partitions of {@code leaving} are no longer this member's: their unsettled messages go to the new owner. */
  void revoke(Collection<PartitionTracker> leaving) {
    leaving.forEach(t -> {
      t.revoke();
      trackers.remove(t.partition);
    });
  }

  /** Commits the settled prefixes asynchronously if the last commit is 50 ms old. */
  void maybeCommit() {
    long now = System.nanoTime();
    if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
      lastCommit = now;
      commitSettled();
    }
  }

  /** Asks for the settled prefixes to be committed without waiting; the callback (in a later poll) records the outcome. */
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

  /** Commits the settled prefixes of {@code which} and waits (revocation and close). */
  void commitSync(Collection<PartitionTracker> which) {
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
}
