package com.example.bomconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One message sent and received on each broker, through the adapters as a user's build resolves them.
 * The real brokers' URIs come from the environment ({@code scripts/brokers env} prints them); a missing
 * one fails the test rather than skipping it. Each connects with {@code connectTimeout=30s}: this checks what
 * the build resolves, and CI starts other topologies while it runs.
 */
class EveryBrokerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "UNIMQ_RABBITMQ_URI", "UNIMQ_KAFKA_URI", "UNIMQ_REDIS_URI", "UNIMQ_ROCKETMQ_URI"})
  void sendsAndReceivesOneMessage(String broker) throws Exception {
    String uri = broker.equals("memory") ? "memory://bom-consumer" : System.getenv(broker);
    assertNotNull(uri, broker + " is not set: run eval \"$(scripts/brokers env)\" first");
    if (!broker.equals("memory")) {
      // this checks what a user's build resolves, not how fast a broker answers: CI starts other brokers meanwhile
      uri += (uri.contains("?") ? "&" : "?") + "connectTimeout=30s";
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String topic = "bom-consumer-" + suffix;
    String body = "hello from " + broker + " " + suffix;
    BlockingQueue<String> received = new LinkedBlockingQueue<>();

    try (MqClient client = Mq.connect(uri)) {
      client.subscribe(topic, "bom-consumer-" + suffix, delivery -> received.add(delivery.bodyAsString()));
      client.producer().send(Message.builder(topic).body(body).build());

      String got = received.poll(120, TimeUnit.SECONDS);
      assertEquals(body, got, "the one message sent on " + uri);
    }
    assertTrue(received.isEmpty(), "exactly one delivery");
  }
}
