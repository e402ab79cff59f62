package io.unimq.bench;

import io.unimq.bench.drivers.Driver;
import io.unimq.bench.drivers.KafkaNative;
import io.unimq.bench.drivers.RabbitNative;
import io.unimq.bench.drivers.RedisNative;
import io.unimq.bench.drivers.RocketNative;
import io.unimq.spi.MqProvider;
import io.unimq.testbrokers.TestBrokers;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A broker under test: its name, the unimq URI for a partition count, the native driver, and the
 * addresses that must answer. Addresses come from {@link TestBrokers}. Immutable.
 *
 * @param partitioned whether the workload's partition count applies (not to a RabbitMQ group queue)
 */
record Broker(String name, String scheme, boolean partitioned, IntFunction<String> unimqUri, Supplier<Driver> nativeDriver,
    List<String> addresses) {

  static List<Broker> all() {
    return List.of(
        new Broker("kafka", "kafka", true, p -> TestBrokers.kafkaUri() + "?partitions=" + p,
            () -> new KafkaNative(TestBrokers.kafkaBootstrap(), false), List.of(TestBrokers.kafkaBootstrap())),
        // unimq's records carry their message id: judged against native records carrying one too
        new Broker("kafka-id", "kafka", true, p -> TestBrokers.kafkaUri() + "?partitions=" + p,
            () -> new KafkaNative(TestBrokers.kafkaBootstrap(), true), List.of(TestBrokers.kafkaBootstrap())),
        new Broker("rabbitmq", "rabbitmq", false, p -> TestBrokers.rabbitmqUri(),
            () -> new RabbitNative(TestBrokers.rabbitmqHost(), TestBrokers.rabbitmqPort(), TestBrokers.rabbitmqUser(),
                TestBrokers.rabbitmqPassword(), TestBrokers.rabbitmqVirtualHost()),
            List.of(TestBrokers.rabbitmqHost() + ":" + TestBrokers.rabbitmqPort())),
        new Broker("redis", "redis", true, p -> TestBrokers.redisUri() + "?partitions=" + p,
            () -> new RedisNative(TestBrokers.redisHost(), TestBrokers.redisPort()), List.of(TestBrokers.redisHostPort())),
        new Broker("rocketmq", "rocketmq", true, p -> TestBrokers.rocketmqUri() + "&queues=" + p,
            () -> new RocketNative(TestBrokers.rocketmqProxy(), TestBrokers.rocketmqNamesrv()),
            List.of(TestBrokers.rocketmqProxy(), TestBrokers.rocketmqNamesrv())));
  }

  /** Why this broker cannot run here, or null when its adapter is on the classpath and it answers. */
  String unavailableReason() {
    if (!installedSchemes().contains(scheme)) {
      return "no unimq adapter for " + scheme + ":// on the classpath";
    }
    for (String a : addresses) {
      int colon = a.lastIndexOf(':');
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), 1000);
      } catch (Exception e) {
        return "broker does not answer at " + a + " (" + e.getMessage() + ")";
      }
    }
    return null;
  }

  static TreeSet<String> installedSchemes() {
    TreeSet<String> out = new TreeSet<>();
    var it = ServiceLoader.load(MqProvider.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return out;
        }
        out.add(it.next().scheme());
      } catch (ServiceConfigurationError e) {
        // a broken adapter: skip it
      }
    }
  }
}
