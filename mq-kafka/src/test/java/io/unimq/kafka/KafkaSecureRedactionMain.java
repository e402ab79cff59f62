package io.unimq.kafka;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link KafkaSecureIT} in a JVM of its own at DEBUG: a failing connect (wrong password), then a working
 * SASL_SSL client and a mutual-TLS client each sending and receiving; prints every exception, message,
 * {@code toString()} and health it sees. Args: secured URI, wrong-password URI, mutual-TLS URI, topic.
 */
final class KafkaSecureRedactionMain {
  private KafkaSecureRedactionMain() {}

  public static void main(String[] args) throws Exception {
    try {
      Mq.connect(args[1]).close();
      System.out.println("UNEXPECTED: the wrong password connected");
      System.exit(2);
    } catch (RuntimeException e) {
      System.out.println("failing connect: " + e);
      for (Throwable t = e; t != null; t = t.getCause()) {
        System.out.println("  cause: " + t + " / " + t.getMessage());
      }
    }
    for (String uri : new String[] {args[0], args[2]}) {
      try (MqClient c = Mq.connect(uri)) {
        System.out.println("client: " + c + " health: " + c.health());
        CountDownLatch got = new CountDownLatch(1);
        Subscription s = c.subscribe(args[3], args[3] + "-g", d -> got.countDown());
        c.producer().send(Message.builder(args[3]).body("hello").build());
        if (!got.await(60, TimeUnit.SECONDS)) {
          System.out.println("UNEXPECTED: nothing received");
          System.exit(3);
        }
        System.out.println("subscription: " + s + " lag: " + c.admin().lag(args[3], args[3] + "-g"));
        s.close(Duration.ofSeconds(5));
      }
    }
    System.out.println("REDACTION-RUN-DONE");
    System.out.flush();
    System.exit(0);
  }
}
