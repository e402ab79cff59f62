package io.unimq.rabbit;

import io.unimq.api.Capability;
import io.unimq.rabbit.internal.RabbitSettings;
import io.unimq.rabbit.internal.RabbitTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code rabbitmq://user:pass@host:port/vhost?partitions=4&managementPort=15672} (or {@code amqps://...} for
 * TLS): unimq over
 * RabbitMQ 3.x with the AMQP 0-9-1 Java client. The vhost is the URI path, URL-encoded
 * ({@code %2F} is "/", the default when the path is empty); the port defaults to 5672.
 *
 * <h2>Clusters</h2>
 * {@code rabbitmq://user:pass@h1:5672,h2:5672,h3:5672/vhost}: every node's address; each connection goes to
 * one of them and, when its node fails, recovers on another. The management API is at {@code managementPort}
 * on every host, or at {@code management=h1:m1,h2:m2}; its calls move to another node when one fails. On a
 * cluster (several hosts in the URI, or several nodes in the management API's {@code /api/nodes}) of RabbitMQ
 * 3.10 or later every queue unimq declares is a quorum queue, replicated on the nodes; {@code queueType}
 * chooses explicitly. A queue that exists with the other type is an {@code MqConfigurationException} naming
 * it and how to migrate; unimq never re-declares it.
 *
 * <h2>Topology (names are stable; see the module's README.md)</h2>
 * <ul>
 *   <li>Topic {@code T}: durable direct exchange {@code unimq.T}. A message is published with its
 *       slot as routing key: {@code hash(key) mod 64} in decimal ({@code "0"} to {@code "63"}), a
 *       random slot when it has no key; persistent (delivery mode 2), {@code mandatory}.</li>
 *   <li>Group {@code G}: durable queue {@code unimq.T.G} bound with each of the 64 slot keys, so every
 *       group gets each message once (fanout) and the group's consumers share it (work queue).</li>
 *   <li>Ordered group: {@code N} durable queues {@code unimq.T.G.p0 .. p(N-1)} with
 *       {@code x-single-active-consumer}; slot {@code s} is bound to partition {@code s mod N}, so a
 *       key always lands in one partition, consumed by one subscription at a time, in order.
 *       {@code N} is the {@code partitions} parameter (default 4, at most 64) of the client that
 *       declares the group first; later clients use what exists.</li>
 *   <li>Dead letters of {@code G}: durable queue {@code unimq.T.G.dlq}.</li>
 *   <li>Delay ladder (shared by the vhost): quorum queues {@code unimq.$qdelay.<2^k ms>} (k = 0..27) with
 *       {@code x-message-ttl}, at-least-once dead-lettering and a dead-letter exchange {@code
 *       unimq.$qdelay.<2^k ms>.next} that routes to the next level of the delay's binary decomposition,
 *       then through {@code unimq.$qdelay.due} to the target (the topic's exchange for delayed publishes,
 *       the group queue for retries), so a broker crash mid-hop loses nothing. Delays up to 2^28 - 1 ms
 *       (about 74.5 h); never early; typically a few ms late per hop. Before RabbitMQ 3.10, or with
 *       {@code delayLadder=classic}, the same of classic queues under {@code unimq.$delay} (at most once).</li>
 *   <li>Half messages of producer group {@code P}: ticket queue {@code unimq.$half.P} and one marker
 *       queue {@code unimq.$half.P.<messageId>} per pending transaction.</li>
 * </ul>
 *
 * <h2>Outcomes worth knowing</h2>
 * A message published to a topic that has no group yet is returned by the broker (mandatory
 * publish): the send still completes normally, since no group existed to keep it, and the return is
 * logged at debug level. A delayed message is routed when it becomes due, to the groups that exist
 * then. Lag is the ready count (AMQP, exact) plus the unacknowledged count of the management API
 * ({@code managementPort}), which RabbitMQ refreshes every few seconds.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code partitions} (1-64, default 4): partition queues of an ordered group.</li>
 *   <li>{@code managementPort} (default 15672): the management HTTP API's port on every host, for lag and listing.</li>
 *   <li>{@code management} ({@code h1:m1,h2:m2,...}): the management API's nodes; wins over {@code managementPort}.</li>
 *   <li>{@code queueType} ({@code quorum} or {@code classic}; default quorum on a cluster of 3.10 or later,
 *       classic otherwise): the type of every queue unimq declares, except the delay ladder's.</li>
 *   <li>{@code delayLadder} ({@code quorum} or {@code classic}; default quorum on RabbitMQ 3.10 or later,
 *       classic before): the type of the delay ladder's queues (retries, delayed sends); classic ones
 *       dead-letter at most once, so a message moving through the ladder can be lost if the broker crashes.</li>
 *   <li>{@code confirmWindow} (default 1024): outstanding publisher confirms before a send waits.</li>
 *   <li>{@code maxMessageSize} (bytes, default 16 MiB): larger messages are rejected before the network.</li>
 *   <li>{@code recoveryInterval} (default 1s): between reconnection attempts.</li>
 *   <li>TLS and credentials (README, "Security: TLS and credentials"): {@code tls} (default false;
 *       true for {@code amqps://}, whose default port is 5671), {@code trustStore} + {@code trustStorePassword}
 *       or {@code caFile}, {@code keyStore} + {@code keyStorePassword} (client certificate),
 *       {@code verifyHostname} (default true). With TLS the management API is reached over HTTPS with the
 *       same trust. Authentication is PLAIN with the URI's user and password.</li>
 *   <li>{@code rabbitmq.<setting>}: the client's {@code requestedHeartbeat}, {@code requestedChannelMax},
 *       {@code requestedFrameMax}, {@code handshakeTimeout}, {@code shutdownTimeout},
 *       {@code channelRpcTimeout}, {@code workPoolTimeout} (integers; timeouts in ms).</li>
 * </ul>
 * The core parameters apply as on every scheme: {@code connectTimeout} (default 5s: the TCP connect
 * and AMQP handshake; a broker that is down fails fast with {@code MqConnectionException}),
 * {@code sendTimeout}, {@code sendRetries}, {@code txCheckInterval}.
 *
 * <p>Thread-safe, stateless.
 */
public final class RabbitProvider implements MqProvider {
  @Override
  public String scheme() {
    return "rabbitmq";
  }

  /** {@code amqps://}: {@code rabbitmq://} with {@code tls=true} (default port 5671). */
  @Override
  public Set<String> tlsSchemes() {
    return Set.of("amqps");
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return RabbitSettings.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new RabbitTransport(RabbitSettings.from(config));
  }
}
