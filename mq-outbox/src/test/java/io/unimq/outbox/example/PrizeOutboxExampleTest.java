package io.unimq.outbox.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrizeOutboxExampleTest {
  @Test
  @DisplayName("the prize example delivers every committed award once and never the rolled-back one")
  void deliversEveryCommittedAwardOnce() throws Exception {
    PrizeOutboxExample.Result r = PrizeOutboxExample.run("memory://prizes-" + UUID.randomUUID(),
        "jdbc:h2:mem:prizes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    assertThat(r.awarded()).isEqualTo(5);
    assertThat(r.delivered()).isEqualTo(5);
    assertThat(r.duplicatesSkipped()).isEqualTo(1);
  }
}
