package com.example.h2q;

import com.example.h2q.internal.H2Transport;
import io.unimq.api.Capability;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code h2q://name[?dir=/path&pollInterval=100ms&maxMessageSize=4194304]}: a sample unimq adapter
 * that keeps messages in a table of an embedded H2 database, one row per message and group.
 * Without {@code dir} the database lives in memory (shared by every client of the same name in one
 * JVM); with it, in the file {@code <dir>/<name>.mv.db}.
 *
 * <p>It declares {@link Capability#DEAD_LETTER} (retry with backoff and dead letters) and
 * {@link Capability#MANUAL_ACK}; not {@code ORDERING}, {@code DELAY} or {@code TRANSACTIONS}, so
 * the compatibility kit skips those areas. Thread-safe; the public no-argument constructor is what
 * {@link java.util.ServiceLoader} needs.
 */
public final class H2QueueProvider implements MqProvider {
  /** The URI scheme. */
  public static final String SCHEME = "h2q";
  /** Default of {@code pollInterval}: how often an idle consumer looks for messages due by now. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
  /** Default of {@code maxMessageSize}: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.DEAD_LETTER, Capability.MANUAL_ACK);
  }

  @Override
  public Set<String> parameters() {
    return Set.of("dir", "pollInterval", "maxMessageSize");
  }

  @Override
  public Transport connect(MqConfig config) {
    String dir = config.string("dir", null);
    // H2 waits 2 s for a row another connection holds, then fails the statement; a consumer's claim can
    // hold rows that long on a loaded machine, and an ack that fails so is a redelivery: wait longer
    String url = (dir == null
        ? "jdbc:h2:mem:" + config.host() + ";DB_CLOSE_DELAY=-1"
        : "jdbc:h2:file:" + dir + "/" + config.host()) + ";LOCK_TIMEOUT=30000";
    return H2Transport.open(url,
        config.duration("pollInterval", DEFAULT_POLL_INTERVAL),
        config.integer("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 1, 64 * 1024 * 1024));
  }
}
