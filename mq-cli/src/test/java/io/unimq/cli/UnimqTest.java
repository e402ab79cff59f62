package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The commands in this JVM, on memory:// (shared by every client of one name in a process). */
class UnimqTest {
  record Run(int exitCode, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Unimq.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void everyCommandHasHelpAndTheTopHelpListsTheExitCodes() {
    Run top = run("--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("Exit codes:", "3    configuration", "4    connection", "7    not confirmed");
    for (String[] command : new String[][] {{"topics"}, {"groups"}, {"groups", "delete"}, {"lag"}, {"dlq"}, {"dlq", "count"}, {"dlq", "peek"}, {"dlq", "replay"},
        {"dlq", "purge"}, {"tail"}, {"send"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      Run help = run(args);
      assertThat(help.exitCode()).as(String.join(" ", command)).isZero();
      assertThat(help.out()).contains("Usage: unimq " + String.join(" ", command));
    }
  }

  @Test
  void aMissingArgumentOrUnknownOptionIsAUsageError() {
    assertThat(run("lag", "orders").exitCode()).isEqualTo(Unimq.USAGE);
    assertThat(run("send", "orders", "x", "--uri", "memory://u", "--bogus").exitCode()).isEqualTo(Unimq.USAGE);
    assertThat(run("send", "orders", "x", "--uri", "memory://u", "--delay", "soon").err()).contains("'soon' is not a duration");
    assertThat(run("send", "orders", "x", "--uri", "memory://u", "--header", "novalue").exitCode()).isEqualTo(Unimq.USAGE);
    assertThat(run("dlq").exitCode()).isEqualTo(Unimq.USAGE);
    assertThat(run("groups", "--uri", "memory://u").err()).contains("Missing required parameter: 'TOPIC'");
    assertThat(run("groups", "delete", "orders", "--uri", "memory://u").exitCode()).isEqualTo(Unimq.USAGE);
  }

  @Test
  void noUriIsAConfigurationErrorThatSaysHowToGiveOne() {
    Run run = run("lag", "orders", "billing");
    assertThat(run.exitCode()).isEqualTo(Unimq.CONFIGURATION);
    assertThat(run.err()).contains("give --uri or set UNIMQ_URI");
  }

  @Test
  void peekShowsTheFailureHeadersAndReplayWantsConfirmationOutsideATerminal() {
    String uri = "memory://cli-" + UUID.randomUUID();
    try (MqClient client = Mq.connect(uri)) {
      client.subscribe("orders", "billing", SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).build(), d -> {
        throw new IllegalStateException("no credit");
      });
      client.producer().send(Message.builder("orders").key("order-7").body("line one\nline two").build());
      await().atMost(Duration.ofSeconds(10)).until(() -> client.deadLetters("orders", "billing").count() == 1);

      Run peek = run("dlq", "peek", "orders", "billing", "--uri", uri);
      assertThat(peek.exitCode()).isZero();
      assertThat(peek.out()).contains("key      order-7", "unimq-dlq-exception=java.lang.IllegalStateException",
          "unimq-dlq-exception-message=no credit", "body     line one\\nline two");
      assertThat(peek.out()).containsPattern("unimq-dlq-last-failure=\\d+ \\(20\\d\\d-");

      Run unconfirmed = run("dlq", "replay", "orders", "billing", "--uri", uri);
      assertThat(unconfirmed.exitCode()).isEqualTo(Unimq.NOT_CONFIRMED);
      assertThat(unconfirmed.err()).contains("add --yes");
      assertThat(client.deadLetters("orders", "billing").count()).isEqualTo(1);

      Run purged = run("dlq", "purge", "orders", "billing", "--uri", uri, "--yes");
      assertThat(purged.out()).isEqualTo("purged 1 dead letter of orders/billing" + System.lineSeparator());
      assertThat(client.deadLetters("orders", "billing").count()).isZero();
    }
  }

  @Test
  void peekPagesWithACursorAndReplayAndPurgeActOnTheSelectedDeadLetters() throws Exception {
    String uri = "memory://cli-" + UUID.randomUUID();
    try (MqClient client = Mq.connect(uri)) {
      client.subscribe("orders", "billing", SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).build(), d -> {
        throw new IllegalStateException("no credit");
      });
      java.util.List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(client.producer().send(Message.builder("orders").header("tenant", i % 2 == 0 ? "a" : "b").body("o" + i).build()).messageId());
        int dead = i + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> client.deadLetters("orders", "billing").count() == dead);
      }
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

      Run first = run("dlq", "peek", "orders", "billing", "--uri", uri, "--max", "3", "--output", "json");
      assertThat(first.exitCode()).isZero();
      var page = json.readTree(first.out());
      assertThat(page.get("messages")).extracting(m -> m.get("id").asText()).containsExactlyElementsOf(ids.subList(0, 3));
      String next = page.get("next").asText();
      Run second = run("dlq", "peek", "orders", "billing", "--uri", uri, "--max", "3", "--cursor", next, "--output", "json");
      var rest = json.readTree(second.out());
      assertThat(rest.get("messages")).extracting(m -> m.get("id").asText()).containsExactlyElementsOf(ids.subList(3, 5));
      assertThat(rest.get("next").isNull()).isTrue();
      assertThat(run("dlq", "peek", "orders", "billing", "--uri", uri, "--max", "3").out())
          .contains("more: unimq dlq peek orders billing --cursor " + next);
      assertThat(run("dlq", "peek", "orders", "billing", "--uri", uri, "--cursor", "bogus").exitCode()).isEqualTo(Unimq.FAILED);

      Run replayed = run("dlq", "replay", "orders", "billing", "--uri", uri, "--id", ids.get(1), "--id", ids.get(3), "--yes",
          "--to", "audit", "--output", "json");
      assertThat(replayed.exitCode()).isZero();
      assertThat(json.readTree(replayed.out()).get("replayed").asLong()).isEqualTo(2);
      assertThat(json.readTree(replayed.out()).get("to").asText()).isEqualTo("to topic audit");
      assertThat(replayed.err()).contains("replay the dead letters of orders/billing selected by", "done in");
      assertThat(client.deadLetters("orders", "billing").peek(10)).extracting(Message::id)
          .containsExactly(ids.get(0), ids.get(2), ids.get(4));

      Run purged = run("dlq", "purge", "orders", "billing", "--uri", uri, "--header", "tenant=a", "--oldest", "2", "--yes");
      assertThat(purged.out()).isEqualTo("purged 2 dead letters of orders/billing" + System.lineSeparator());
      assertThat(client.deadLetters("orders", "billing").peek(10)).extracting(Message::id).containsExactly(ids.get(4));
      assertThat(run("dlq", "purge", "orders", "billing", "--uri", uri, "--header", "novalue", "--yes").exitCode())
          .isEqualTo(Unimq.USAGE);
      assertThat(run("dlq", "purge", "orders", "billing", "--uri", uri, "--oldest", "0", "--yes").exitCode()).isEqualTo(Unimq.USAGE);
      Run unconfirmed = run("dlq", "replay", "orders", "billing", "--uri", uri, "--oldest", "1");
      assertThat(unconfirmed.exitCode()).isEqualTo(Unimq.NOT_CONFIRMED);
      assertThat(Progress.line("replay", 50, 200, 10, 3)).isEqualTo("replay… [#######.......................] 50/200 examined, 10 acted on, 3 s");
    }
  }

  @Test
  void groupsAreListedAsATableAndDeletedOnlyWhenConfirmed() {
    String uri = "memory://cli-" + UUID.randomUUID();
    try (MqClient client = Mq.connect(uri)) {
      client.admin().declareGroup("orders", "billing");
      client.admin().declareGroup("orders", "audit");
      client.producer().send(Message.builder("orders").body("o1").build());

      assertThat(run("topics", "--uri", uri).out()).isEqualTo("TOPIC" + System.lineSeparator() + "orders" + System.lineSeparator());
      assertThat(run("groups", "orders", "--uri", uri).out()).isEqualTo(String.join(System.lineSeparator(),
          "GROUP    MEMBERS  LAG", "audit    0        1", "billing  0        1", ""));

      Run unconfirmed = run("groups", "delete", "orders", "billing", "--uri", uri);
      assertThat(unconfirmed.exitCode()).isEqualTo(Unimq.NOT_CONFIRMED);
      assertThat(unconfirmed.err()).contains("add --yes to delete group billing of orders");
      assertThat(client.admin().groups("orders")).hasSize(2);

      Run deleted = run("groups", "delete", "orders", "billing", "--uri", uri, "--yes");
      assertThat(deleted.exitCode()).isZero();
      assertThat(deleted.out()).isEqualTo("deleted group billing of orders (1 waiting message dropped)" + System.lineSeparator());
      assertThat(client.admin().groups("orders")).extracting(io.unimq.api.GroupInfo::name).containsExactly("audit");
    }
  }

  @Test
  void thePasswordGoesIntoTheUriEncodedAndOnlyOnce() {
    assertThat(Uris.withPassword("rabbitmq://ops@h:5672/%2F?x=1", "p@ss w/rd")).isEqualTo("rabbitmq://ops:p%40ss%20w%2Frd@h:5672/%2F?x=1");
    assertThat(Uris.withPassword("redis://h:6379/0", "pw")).isEqualTo("redis://:pw@h:6379/0");
    assertThatThrownBy(() -> Uris.withPassword("rabbitmq://ops:old@h/", "new"))
        .isInstanceOf(CliException.class).hasMessageContaining("rabbitmq://ops:****@h/").hasMessageNotContaining("old@");
    assertThat(Uris.redact("cannot reach rabbitmq://ops:pw@h:5672/ now")).isEqualTo("cannot reach rabbitmq://ops:****@h:5672/ now");
  }

  @Test
  void durationsAreWrittenAsInUris() {
    Durations d = new Durations();
    assertThat(d.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(d.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.convert("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> d.convert("-PT1S")).isInstanceOf(CommandLine.TypeConversionException.class);
  }
}
