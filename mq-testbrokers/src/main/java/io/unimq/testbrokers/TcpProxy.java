package io.unimq.testbrokers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a shared broker, so that a test can take the broker away from its own
 * clients only: {@link #cut()} resets every connection and refuses new ones, {@link #restore()}
 * listens again on the same port; {@link #capBandwidth(long)} slows every connection down. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private volatile long bytesPerSecond;

  /** A proxy to {@code targetHost:targetPort} on a free loopback port. */
  public TcpProxy(String targetHost, int targetPort) {
    this(targetHost, targetPort, 0);
  }

  /**
   * A proxy to {@code targetHost:targetPort} on loopback port {@code listenPort} (0: a free one): a
   * fixed port for a broker that tells its clients where to connect, such as Kafka's listener
   * advertised at {@code KAFKA_PROXY_PORT}.
   */
  public TcpProxy(String targetHost, int targetPort, int listenPort) {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.server = listen(listenPort);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  public int port() {
    return port;
  }

  /** The broker is gone for this proxy's clients: connections reset, new ones refused. */
  public synchronized void cut() {
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  /** The broker is back. */
  public synchronized void restore() {
    if (server.isClosed()) {
      server = listen(port);
      acceptLoop(server);
    }
  }

  /**
   * At most {@code bytesPerSecond} bytes per second per connection and direction from now on
   * (0 = no cap), for existing connections too.
   */
  public void capBandwidth(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be 0 (no cap) or more, not " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  /** {@code uri} with its first {@code host:port} (after {@code ://} and any user info) replaced by this proxy's. */
  public String through(String uri) {
    int scheme = uri.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#,".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    int at = uri.lastIndexOf('@', end - 1);
    if (at >= start) {
      start = at + 1;
    }
    return uri.substring(0, start) + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + uri.substring(end);
  }

  @Override
  public void close() {
    cut();
  }

  private static ServerSocket listen(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptLoop(ServerSocket s) {
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket upstream = new Socket();
          upstream.connect(target, 2_000);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          // closed or upstream refused: the client sees a reset
        }
      }
    }, "tcp-proxy-accept-" + port);
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf, 0, chunk())) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
          long cap = bytesPerSecond;
          if (cap > 0) {
            Thread.sleep(Math.max(1, n * 1000L / cap));
          }
        }
      } catch (IOException e) {
        // one side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private int chunk() {
    long cap = bytesPerSecond;
    // under a cap, small reads so that the pace is even
    return cap > 0 ? (int) Math.max(256, Math.min(16 * 1024, cap / 10)) : 16 * 1024;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // best effort
    }
  }
}
