package io.unimq.api.internal;

import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.DeadLetterStore.DeadLetter;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DeadLetters} of one group over the transport's {@link DeadLetterStore}; replay is here,
 * the store only reads, republishes and removes. Thread-safe as the store is.
 */
final class EngineDeadLetters implements DeadLetters {
  /** Dead letters read, republished and removed at a time. */
  static final int PAGE = 100;

  /** Throws when the client is closed. */
  private final Runnable ensureOpen;
  private final DeadLetterStore store;
  private final String topic;
  private final String group;

  EngineDeadLetters(Runnable ensureOpen, DeadLetterStore store, String topic, String group) {
    this.ensureOpen = ensureOpen;
    this.store = store;
    this.topic = topic;
    this.group = group;
  }

  @Override
  public long count() {
    ensureOpen.run();
    return store.count(topic, group);
  }

  @Override
  public List<Message> peek(int max) {
    ensureOpen.run();
    List<Message> out = new ArrayList<>();
    if (max <= 0) {
      return out;
    }
    for (DeadLetter d : store.read(topic, group, max)) {
      out.add(d.message());
    }
    return out;
  }

  /**
   * Replays as many as were dead when it began (messages dead-lettered again meanwhile wait for the
   * next replay), a page at a time: each republished, stripped of its retry and dead-letter
   * headers, before the page is removed, so a failure part-way leaves nothing lost.
   */
  @Override
  public long replay() {
    ensureOpen.run();
    long limit = store.count(topic, group);
    long replayed = 0;
    while (replayed < limit) {
      List<DeadLetter> page = store.read(topic, group, (int) Math.min(PAGE, limit - replayed));
      if (page.isEmpty()) {
        break;
      }
      for (DeadLetter d : page) {
        store.republish(topic, group, Headers.stripForReplay(d.message()));
      }
      store.remove(topic, group, page);
      replayed += page.size();
    }
    return replayed;
  }

  @Override
  public long purge() {
    ensureOpen.run();
    return store.purge(topic, group);
  }
}
