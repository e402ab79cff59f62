package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.DeadLetterSelection;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqException;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineDeadLettersTest {
  /** A store of one group: dead letters in a list, republished messages recorded. */
  static class ListStore implements DeadLetterStore {
    final List<Message> dead = new ArrayList<>();
    final List<Message> republished = new ArrayList<>();
    final List<Integer> reads = new ArrayList<>();
    /** Dead-letters each republished message again at once, as a handler that still fails would. */
    boolean failAgain;

    @Override
    public long count(String topic, String group) {
      return dead.size();
    }

    @Override
    public List<DeadLetter> read(String topic, String group, int max) {
      reads.add(max);
      List<DeadLetter> out = new ArrayList<>();
      for (int i = 0; i < Math.min(max, dead.size()); i++) {
        out.add(new DeadLetter(dead.get(i), dead.get(i)));
      }
      return out;
    }

    @Override
    public void republish(String topic, String group, Message message) {
      republished.add(message);
      if (failAgain) {
        dead.add(message.toBuilder().header(Headers.DLQ_ATTEMPTS, "5").build());
      }
    }

    @Override
    public void remove(String topic, String group, List<DeadLetter> letters) {
      letters.forEach(d -> dead.remove((Message) d.position()));
    }

    @Override
    public long purge(String topic, String group) {
      int n = dead.size();
      dead.clear();
      return n;
    }
  }

  private static Message dead(int i) {
    return Message.builder("t").key("k" + i).body("m" + i).header("user", "u").header(Headers.ATTEMPT, "5")
        .header(Headers.FIRST_FAILURE, "1").header(Headers.DLQ_GROUP, "g").header(Headers.DLQ_EXCEPTION, "E").build();
  }

  @Test
  void replayRepublishesEachStrippedOfRetryAndDeadLetterHeadersAPageAtATimeThenRemovesIt() {
    ListStore store = new ListStore();
    for (int i = 0; i < 250; i++) {
      store.dead.add(dead(i));
    }
    List<Message> before = List.copyOf(store.dead);
    assertThat(new EngineDeadLetters(() -> {}, store, "t", "g").replay()).isEqualTo(250);
    assertThat(store.dead).isEmpty();
    assertThat(store.reads).containsExactly(EngineDeadLetters.PAGE, EngineDeadLetters.PAGE, 50);
    assertThat(store.republished).extracting(Message::id).containsExactlyElementsOf(before.stream().map(Message::id).toList());
    assertThat(store.republished).allSatisfy(m -> assertThat(m.headers()).containsOnlyKeys("user"));
  }

  @Test
  void replayStopsAtTheDeadLettersCountedWhenItBegan() {
    ListStore store = new ListStore();
    store.failAgain = true;
    for (int i = 0; i < 3; i++) {
      store.dead.add(dead(i));
    }
    assertThat(new EngineDeadLetters(() -> {}, store, "t", "g").replay()).isEqualTo(3);
    assertThat(store.republished).hasSize(3);
    assertThat(store.dead).as("dead again during the replay: left for the next one").hasSize(3);
  }

  @Test
  void peekReadsWithoutRemovingAndPurgeEmpties() {
    ListStore store = new ListStore();
    store.dead.add(dead(1));
    store.dead.add(dead(2));
    EngineDeadLetters dl = new EngineDeadLetters(() -> {}, store, "t", "g");
    assertThat(dl.peek(1)).extracting(Message::bodyAsString).containsExactly("m1");
    assertThat(dl.peek(0)).isEmpty();
    assertThat(dl.count()).isEqualTo(2);
    assertThat(dl.purge()).isEqualTo(2);
    assertThat(dl.count()).isZero();
    assertThat(dl.replay()).isZero();
  }

  /** A ListStore that removes chosen letters anywhere and records which call removed them. */
  static final class ChoosingStore extends ListStore {
    final List<String> removals = new ArrayList<>();

    @Override
    public void remove(String topic, String group, List<DeadLetter> letters) {
      removals.add("remove " + letters.size());
      super.remove(topic, group, letters);
    }

    @Override
    public void removeChosen(String topic, String group, List<DeadLetter> letters) {
      removals.add("removeChosen " + letters.size());
      super.remove(topic, group, letters);
    }
  }

  @Test
  void aSelectionStreamsPageByPageRemovesTheOldestWithRemoveAndTheOthersWithRemoveChosenAndReportsProgress() {
    ChoosingStore store = new ChoosingStore();
    for (int i = 0; i < 250; i++) {
      store.dead.add(dead(i));
    }
    List<long[]> reports = new ArrayList<>();
    // the first 10 and then every tenth: 10 oldest by remove, the rest after a kept one by removeChosen
    long n = new EngineDeadLetters(() -> {}, store, "t", "g").replay(
        DeadLetterSelection.where(m -> {
          int i = Integer.parseInt(m.bodyAsString().substring(1));
          return i < 10 || i % 10 == 0;
        }), (done, total, acted) -> reports.add(new long[] {done, total, acted}));
    assertThat(n).isEqualTo(10 + 24);
    assertThat(store.dead).hasSize(250 - 34);
    assertThat(store.removals).containsExactly("removeChosen 19", "removeChosen 10", "removeChosen 5");
    assertThat(reports).extracting(r -> r[0]).containsExactly(0L, 100L, 200L, 250L);
    assertThat(reports.get(reports.size() - 1)).containsExactly(250, 250, 34);
  }

  @Test
  void theOldestGoWithRemoveAndALimitStopsEarly() {
    ChoosingStore store = new ChoosingStore();
    for (int i = 0; i < 250; i++) {
      store.dead.add(dead(i));
    }
    assertThat(new EngineDeadLetters(() -> {}, store, "t", "g").purge(DeadLetterSelection.oldest(120), null)).isEqualTo(120);
    assertThat(store.removals).containsExactly("remove 100", "remove 20");
    assertThat(store.dead.get(0).bodyAsString()).isEqualTo("m120");
    assertThat(store.republished).isEmpty();
  }

  @Test
  void replayToSendsToTheOtherTopicStrippedAndRemoves() {
    ChoosingStore store = new ChoosingStore();
    store.dead.add(dead(1));
    store.dead.add(dead(2));
    List<Message> sent = new ArrayList<>();
    EngineDeadLetters dl = new EngineDeadLetters(() -> {}, store, "t", "g", sent::add);
    assertThat(dl.replayTo("audit", DeadLetterSelection.ids(store.dead.get(1).id()), null)).isEqualTo(1);
    assertThat(sent).singleElement().satisfies(m -> {
      assertThat(m.topic()).isEqualTo("audit");
      assertThat(m.headers()).containsOnlyKeys("user");
      assertThat(m.bodyAsString()).isEqualTo("m2");
    });
    assertThat(store.dead).extracting(Message::bodyAsString).containsExactly("m1");
    assertThatThrownBy(() -> dl.replayTo("bad topic!", DeadLetterSelection.all(), null)).isInstanceOf(MqException.class);
  }

  @Test
  void aStoreThatCannotRemoveChosenOnesRefusesWithAnMqException() {
    ListStore store = new ListStore();
    store.dead.add(dead(1));
    store.dead.add(dead(2));
    EngineDeadLetters dl = new EngineDeadLetters(() -> {}, store, "t", "g");
    assertThatThrownBy(() -> dl.purge(DeadLetterSelection.ids(store.dead.get(1).id()), null))
        .isInstanceOf(MqException.class).hasMessageContaining("cannot remove chosen dead letters");
    assertThat(store.dead).hasSize(2);
    assertThat(dl.purge(DeadLetterSelection.oldest(1), null)).as("the oldest: through remove").isEqualTo(1);
  }

  @Test
  void pagesFollowTheCursorToTheEnd() {
    ListStore store = new ListStore();
    for (int i = 0; i < 5; i++) {
      store.dead.add(dead(i));
    }
    EngineDeadLetters dl = new EngineDeadLetters(() -> {}, store, "t", "g");
    DeadLetters.Page first = dl.page(null, 2);
    assertThat(first.messages()).extracting(Message::bodyAsString).containsExactly("m0", "m1");
    DeadLetters.Page second = dl.page(first.next(), 2);
    assertThat(second.messages()).extracting(Message::bodyAsString).containsExactly("m2", "m3");
    DeadLetters.Page last = dl.page(second.next(), 2);
    assertThat(last.messages()).extracting(Message::bodyAsString).containsExactly("m4");
    assertThat(last.next()).isNull();
    assertThatThrownBy(() -> dl.page("nope", 2)).isInstanceOf(MqException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> dl.page(null, 0)).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> DeadLetterSelection.oldest(-1)).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> DeadLetterSelection.ids(List.of())).isInstanceOf(MqConfigurationException.class);
  }
}
