package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineDeadLettersTest {
  /** A store of one group: dead letters in a list, republished messages recorded. */
  static final class ListStore implements DeadLetterStore {
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
}
