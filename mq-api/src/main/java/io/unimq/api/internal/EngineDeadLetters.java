package io.unimq.api.internal;

import io.unimq.api.DeadLetterSelection;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.Names;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.DeadLetterStore.DeadLetter;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link DeadLetters} of one group over the transport's {@link DeadLetterStore}; replay, selection
 * and paging are here, the store only reads, republishes and removes. Thread-safe as the store is.
 */
final class EngineDeadLetters implements DeadLetters {
  /** Dead letters read, republished and removed at a time. */
  static final int PAGE = 100;

  /** Throws when the client is closed. */
  private final Runnable ensureOpen;
  private final DeadLetterStore store;
  private final String topic;
  private final String group;
  /** Sends a message to its topic, like the client's producer (for {@link #replayTo}). */
  private final Consumer<Message> send;

  EngineDeadLetters(Runnable ensureOpen, DeadLetterStore store, String topic, String group, Consumer<Message> send) {
    this.ensureOpen = ensureOpen;
    this.store = store;
    this.topic = topic;
    this.group = group;
    this.send = send;
  }

  EngineDeadLetters(Runnable ensureOpen, DeadLetterStore store, String topic, String group) {
    this(ensureOpen, store, topic, group, m -> {
      throw new IllegalStateException("no producer");
    });
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

  @Override
  public Page page(String cursor, int max) {
    ensureOpen.run();
    if (max <= 0) {
      throw new MqConfigurationException("a page of dead letters holds 1 or more, was asked for " + max);
    }
    int ask = max == Integer.MAX_VALUE ? max : max + 1;
    List<DeadLetter> letters = cursor == null ? store.read(topic, group, ask) : store.readAfter(topic, group, cursor, ask);
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < Math.min(max, letters.size()); i++) {
      out.add(letters.get(i).message());
    }
    String next = letters.size() > max ? store.cursor(letters.get(max - 1)) : null;
    return new Page(out, next);
  }

  @Override
  public long replay() {
    return replay(DeadLetterSelection.all(), Progress.NONE);
  }

  @Override
  public long purge() {
    ensureOpen.run();
    return store.purge(topic, group);
  }

  @Override
  public long replay(DeadLetterSelection selection, Progress progress) {
    return act(selection, progress, d -> store.republish(topic, group, Headers.stripForReplay(d.message())));
  }

  @Override
  public long replayTo(String target, DeadLetterSelection selection, Progress progress) {
    Names.check("topic", target);
    return act(selection, progress, d -> send.accept(Headers.stripForReplay(d.message()).toBuilder().topic(target).build()));
  }

  @Override
  public long purge(DeadLetterSelection selection, Progress progress) {
    if (selection != null && selection.isAll() && (progress == null || progress == Progress.NONE)) {
      return purge();
    }
    return act(selection, progress, d -> {});
  }

  /**
   * Examines as many as were dead when it began (messages dead-lettered again meanwhile wait for
   * the next call), a page at a time, oldest first: each selected one is handed to {@code action}
   * (a republish) before the page's selected ones are removed, so a failure part-way leaves nothing
   * lost. While nothing has been kept, the selected ones are the oldest and go with
   * {@link DeadLetterStore#remove}; after that with {@link DeadLetterStore#removeChosen}, and the
   * next page is read after the last one kept.
   */
  private long act(DeadLetterSelection selection, Progress progress, Consumer<DeadLetter> action) {
    ensureOpen.run();
    if (selection == null) {
      throw new MqConfigurationException("the dead-letter selection is null; use DeadLetterSelection.all() for every one");
    }
    Progress report = progress == null ? Progress.NONE : progress;
    long total = store.count(topic, group);
    long examined = 0;
    long acted = 0;
    String afterKept = null;
    boolean keptAny = false;
    report.update(0, total, 0);
    while (examined < total && acted < selection.limit()) {
      int n = (int) Math.min(PAGE, total - examined);
      List<DeadLetter> page = afterKept == null ? store.read(topic, group, n) : store.readAfter(topic, group, afterKept, n);
      if (page.isEmpty()) {
        break;
      }
      List<DeadLetter> chosen = new ArrayList<>();
      boolean oldest = !keptAny;
      for (DeadLetter d : page) {
        examined++;
        if (acted + chosen.size() < selection.limit() && selection.matches(d.message())) {
          chosen.add(d);
          oldest &= !keptAny;
        } else {
          keptAny = true;
          afterKept = store.cursor(d);
        }
      }
      for (DeadLetter d : chosen) {
        action.accept(d);
      }
      if (!chosen.isEmpty()) {
        if (oldest) {
          store.remove(topic, group, chosen);
        } else {
          store.removeChosen(topic, group, chosen);
        }
      }
      acted += chosen.size();
      report.update(examined, total, acted);
    }
    return acted;
  }
}
