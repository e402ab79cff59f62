package io.unimq.outbox;

import io.unimq.spi.MqProvider;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The broker of one test. memory:// cannot be stopped, so its outage is simulated by refusing sends
 * in {@link TestProducer}. A real broker (Redis Streams, RabbitMQ) is shared with other users of the
 * machine, so the relay reaches it through a {@link TcpProxy} that the test cuts: a real outage for
 * this test's producer only. The consumer connects directly.
 *
 * @param consumerUri the URI the consumer (the prize service) connects with
 * @param producerUri the URI the relay's producer connects with
 * @param cut makes the broker unreachable for the relay
 * @param restore brings it back
 */
record TestBroker(String consumerUri, String producerUri, Consumer<TestProducer> cut, Consumer<TestProducer> restore,
    Runnable closer) implements AutoCloseable {

  @Override
  public void close() {
    closer.run();
  }

  static TestBroker memory() {
    String uri = "memory://outbox-" + UUID.randomUUID();
    return new TestBroker(uri, uri, p -> p.down(true), p -> p.down(false), () -> {});
  }

  static TestBroker redis() {
    return proxied(TestBrokers.redisUri());
  }

  static TestBroker rabbitmq() {
    String uri = TestBrokers.rabbitmqUri();
    return proxied(uri.contains("managementPort=") ? uri
        : uri + (uri.contains("?") ? "&" : "?") + "managementPort=" + TestBrokers.rabbitmqManagementPort());
  }

  /** {@code uri} through a proxy; fails (never skips) when the adapter is not on the classpath or the broker is down. */
  private static TestBroker proxied(String uri) {
    URI u = URI.create(uri);
    if (!adapterPresent(u.getScheme())) {
      throw new IllegalStateException("io.unimq adapter for " + u.getScheme() + ":// is not on the test classpath");
    }
    if (!reachable(u.getHost(), u.getPort())) {
      throw new IllegalStateException(u.getScheme() + " broker at " + u.getHost() + ":" + u.getPort()
          + " is not up: run scripts/brokers up " + (u.getScheme().equals("redis") ? "redis" : "rabbitmq"));
    }
    TcpProxy proxy = new TcpProxy(u.getHost(), u.getPort());
    String viaProxy = uri.replace(u.getHost() + ":" + u.getPort(), "127.0.0.1:" + proxy.port());
    return new TestBroker(uri, viaProxy, p -> proxy.cut(), p -> proxy.restore(), proxy::close);
  }

  private static boolean adapterPresent(String scheme) {
    for (MqProvider p : ServiceLoader.load(MqProvider.class)) {
      if (p.scheme().equals(scheme)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
