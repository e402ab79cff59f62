package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.tck.Recorder.Received;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Produce} area's rules: what is sent arrives unchanged. Run as {@link
 * MqCompatibilityKit.Produce}.
 */
abstract class ProduceArea extends KitArea {
  ProduceArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("prod");
  final String group = name("prod-g");
  final Recorder r = recorder();

  Received roundTrip(Message m) {
    client().subscribe(topic, group, options(), r.handler("c"));
    send(client(), m);
    r.awaitIds(List.of(m.id()), DELIVERY);
    return r.of(m.id()).get(0);
  }

  @Test
  @DisplayName("[PROD-1] required: body, key, headers and id survive the round trip")
  void bodyKeyHeadersAndIdSurviveTheRoundTrip() {
    Message sent = Message.builder(topic).key("customer-7").header("type", "created").header("empty", "")
        .body("{\"order\":42}").build();
    Received got = roundTrip(sent);
    assertThat(got.id()).isEqualTo(sent.id());
    assertThat(got.topic()).isEqualTo(topic);
    assertThat(got.group()).isEqualTo(group);
    assertThat(got.key()).isEqualTo("customer-7");
    assertThat(got.message().body()).isEqualTo(sent.body());
    assertThat(userHeaders(got.message())).containsExactlyInAnyOrderEntriesOf(Map.of("type", "created", "empty", ""));
    assertThat(got.attempt()).isEqualTo(1);
  }

  @Test
  @DisplayName("[PROD-2] required: an empty body arrives as an empty body")
  void anEmptyBodyArrivesEmpty() {
    Received got = roundTrip(Message.builder(topic).body(new byte[0]).build());
    assertThat(got.message().body()).as("body").isNotNull().isEmpty();
  }

  @Test
  @DisplayName("[PROD-3] optional (maxMessageSize ≥ 1 MiB + 4 KiB): a 1 MiB body arrives intact")
  void aOneMebibyteBodyArrivesIntact() {
    int size = 1 << 20;
    requires(client().maxMessageSize() >= size + 4096,
        () -> client().scheme() + ":// declares a maximum message size of " + client().maxMessageSize() + " bytes");
    byte[] body = new byte[size];
    new Random(42).nextBytes(body);
    Received got = roundTrip(Message.builder(topic).body(body).build());
    assertThat(got.message().body()).as("body length").hasSize(size);
    assertThat(java.util.Arrays.equals(body, got.message().body())).as("1 MiB body identical byte for byte").isTrue();
  }

  @Test
  @DisplayName("[PROD-4] required: unicode in body, key and header values survives")
  void unicodeBodyKeyAndHeaderValuesSurvive() {
    String text = "héllo wörld — 你好 — Привет — 🚀";
    Received got = roundTrip(Message.builder(topic).key("clé-🔑").header("note", "ünïcödé ✓ 日本 🎉").body(text).build());
    assertThat(got.body()).isEqualTo(text);
    assertThat(got.key()).isEqualTo("clé-🔑");
    assertThat(got.header("note")).isEqualTo("ünïcödé ✓ 日本 🎉");
  }

  @Test
  @DisplayName("[PROD-5] required: sendAsync completes with a receipt carrying the message id")
  void sendAsyncCompletesWithAReceiptCarryingTheId() throws Exception {
    client().subscribe(topic, group, options(), r.handler("c"));
    Message m = Message.builder(topic).body("async").build();
    SendReceipt receipt = client().producer().sendAsync(m).toCompletableFuture()
        .get(scaled(DELIVERY).toMillis(), TimeUnit.MILLISECONDS);
    assertThat(receipt.messageId()).isEqualTo(m.id());
    assertThat(receipt.topic()).isEqualTo(topic);
    r.awaitIds(List.of(m.id()), DELIVERY);
  }

  @Test
  @DisplayName("[PROD-6] required: a batch send delivers every message and returns one receipt each, in order")
  void aBatchSendDeliversEveryMessage() {
    client().subscribe(topic, group, options(), r.handler("c"));
    List<Message> batch = IntStream.range(0, 50).mapToObj(i -> message(topic, "batch", i).build()).collect(Collectors.toList());
    List<SendReceipt> receipts = client().producer().sendBatch(batch);
    List<String> ids = batch.stream().map(Message::id).collect(Collectors.toList());
    assertThat(receipts).extracting(SendReceipt::messageId).containsExactlyElementsOf(ids);
    r.awaitIds(ids, DELIVERY);
    assertThat(r.distinctIds()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  @DisplayName("[PROD-7] required: an id set by the user is kept")
  void anIdSetByTheUserIsKept() {
    String id = "order-42-" + name("id");
    Received got = roundTrip(Message.builder(topic).id(id).body("mine").build());
    assertThat(got.id()).isEqualTo(id);
  }

  @Test
  @DisplayName("[PROD-8] required: generated ids are unique and time-ordered for sequential sends")
  void generatedIdsAreUniqueAndTimeOrdered() {
    List<String> built = IntStream.range(0, 10_000).mapToObj(i -> Message.builder(topic).body("x").build().id())
        .collect(Collectors.toList());
    assertThat(built).doesNotHaveDuplicates().isSorted();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(client().producer().send(Message.builder(topic).body("x" + i).build()).messageId());
    }
    assertThat(sent).doesNotHaveDuplicates().isSorted();
    assertThat(sent.get(0)).as("an id generated after another").isGreaterThan(built.get(built.size() - 1));
  }

  @Test
  @DisplayName("[PROD-9] required: ids generated on many threads at once are unique")
  void idsGeneratedConcurrentlyAreUnique() {
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int th = 0; th < 8; th++) {
      futures.add(inBackground(() -> IntStream.range(0, 5_000)
          .mapToObj(i -> Message.builder(topic).body("x").build().id()).collect(Collectors.toList())));
    }
    List<String> all = new ArrayList<>();
    futures.forEach(f -> all.addAll(join(f, DELIVERY)));
    assertThat(all).hasSize(40_000).doesNotHaveDuplicates();
  }
}
