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
 * settled prefix of each committed asynchronously at most every 50 ms ({@link #maybeCommit}; a commit
 * that fails, or is unanswered for 2 s, is asked again), and
 * synchronously on revocation and close ({@link #commitSync}). What settled on partitions that were
 * lost, or whose revocation commit failed (the member was fenced, say after the broker or this
 * process stalled past the session timeout), is kept and committed when this member is assigned
 * those partitions again and the group's committed offset is still behind it ({@link #assigned}):
 * what was handled before the loss is not handled again, also when the coordinator does not answer
 * at that moment (reading resumes there, and the regular commits carry them). Used only by the thread that holds
 * the member's Kafka consumer (commit callbacks run inside its polls); not thread-safe.
 */
final class OffsetCommits {
  private static final Logger log = LoggerFactory.getLogger(OffsetCommits.class);
  /** Asynchronous commits of the settled prefixes at most this often (plus synchronous ones on revocation and close). */
  private static final long COMMIT_INTERVAL_NANOS = 50_000_000L;
  /** An asynchronous commit unanswered this long (a paused or unreachable coordinator) is asked again. */
  private static final long UNANSWERED_NANOS = 2_000_000_000L;

  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, PartitionTracker> trackers = new HashMap<>();
  private long lastCommit = System.nanoTime();
  /** Asynchronous commits not yet called back, and when the oldest of them went out. */
  private int unanswered;
  private long unansweredSince;
  /** Settled offsets not committed when their partition left this member; see {@link #assigned}. */
  private final Map<TopicPartition, Long> orphaned = new HashMap<>();

  OffsetCommits(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /** The tracker of an assigned partition, null once it is revoked. */
  PartitionTracker tracker(TopicPartition tp) {
    return trackers.get(tp);
  }

  /**
   * New trackers for {@code partitions}. Where one of them had settled offsets that could not be
   * committed when it left this member, and the group's committed offset is still behind them (or
   * the coordinator does not say), reading starts there and they are committed: now if the
   * coordinator answers, else by the next asynchronous commits. So what this member handled before
   * the loss is not handled again; when the coordinator does not say and another member had moved
   * further meanwhile, what lies between is handled again (never skipped).
   */
  void assigned(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> settled = new HashMap<>();
    for (TopicPartition tp : partitions) {
      trackers.put(tp, new PartitionTracker(tp));
      Long s = orphaned.remove(tp);
      if (s != null) {
        settled.put(tp, s);
      }
    }
    if (settled.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> resume = new HashMap<>();
    try {
      Map<TopicPartition, OffsetAndMetadata> current = consumer.committed(settled.keySet(), Duration.ofSeconds(5));
      settled.forEach((tp, s) -> {
        OffsetAndMetadata c = current.get(tp);
        if (c == null || c.offset() < s) {
          resume.put(tp, new OffsetAndMetadata(s));
        }
      });
    } catch (RuntimeException e) {
      log.info("the group's committed offsets for {} are unknown ({}); reading on from what this member settled before it lost them",
          settled.keySet(), e.toString());
      settled.forEach((tp, s) -> resume.put(tp, new OffsetAndMetadata(s)));
    }
    if (resume.isEmpty()) {
      return;
    }
    resume.forEach((tp, o) -> {
      consumer.seek(tp, o.offset());
      trackers.get(tp).resumeAt(o.offset());
    });
    try {
      consumer.commitSync(resume, Duration.ofSeconds(5));
      resume.forEach((tp, o) -> trackers.get(tp).committed(o.offset()));
      log.info("committed offsets {} handled before this member lost its partitions", resume);
    } catch (RuntimeException e) {
      log.info("offsets {} handled before this member lost its partitions are not committed yet ({}); the next commits carry them",
          resume, e.toString());
    }
  }

  /** The partitions of {@code lost} went to another member without a commit: their settled offsets are kept for {@link #assigned}. */
  void lost(Collection<PartitionTracker> lost) {
    for (PartitionTracker t : lost) {
      long c = t.unconfirmed();
      if (c >= 0) {
        orphaned.put(t.partition, c);
      }
    }
    revoke(lost);
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
      if (unanswered > 0 && now - unansweredSince >= UNANSWERED_NANOS) {
        // the client may hold an unanswered commit for its whole request timeout: ask again now
        // (committing the same offsets twice is harmless) instead of waiting for it
        trackers.values().forEach(PartitionTracker::commitFailed);
        unansweredSince = now;
      }
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
    if (unanswered++ == 0) {
      unansweredSince = System.nanoTime();
    }
    try {
      consumer.commitAsync(offsets, (done, e) -> {
        unanswered = Math.max(0, unanswered - 1);
        offsets.forEach((tp, o) -> {
          PartitionTracker t = trackers.get(tp);
          if (t == null) {
            return; // revoked meanwhile: that commit was made synchronously
          }
          if (e == null) {
            t.committed(o.offset());
          } else {
            t.commitFailed();
          }
        });
      });
    } catch (RuntimeException e) {
      unanswered = Math.max(0, unanswered - 1);
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
        log.debug("commit of {} failed; kept for when the partitions come back: {}", offsets, e.toString());
        offsets.forEach((tp, o) -> orphaned.merge(tp, o.offset(), Math::max));
        return;
      }
    }
  }
}
