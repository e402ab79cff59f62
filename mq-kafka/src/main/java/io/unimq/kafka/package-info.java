/**
 * The {@code kafka://} adapter. URI: {@code kafka://host:port[?name=value&...]}, parameters:
 *
 * <ul>
 *   <li>{@code partitions} (8): partitions of a topic the adapter creates; the key picks the partition.
 *       Messages without a key stay on one partition until its batch ({@code batchSize} bytes) is
 *       full, or for the linger, whichever comes first: full batches go out at once at high rates,
 *       and at low rates consecutive messages still go round the partitions (and members).
 *   <li>{@code maxMessageSize} (2097152): the largest message; topics get {@code max.message.bytes}
 *       and the producer {@code max.request.size} of this plus 64 KiB framing.
 *   <li>{@code linger} (5ms), {@code batchSize} (131072): producer batching.
 *   <li>{@code sessionTimeout} (10s), {@code heartbeatInterval} (1s): group membership.
 *   <li>{@code connectTimeout} (5s): how long connecting waits for the cluster before failing.
 *   <li>{@code revokeDrain} (2s): how long a member giving up a partition waits for its in-flight
 *       handlers before it commits what finished and lets the rest be redelivered.
 *   <li>{@code kafka.<setting>}: any Kafka client setting, passed to the producer, consumers and admin.
 *       Consumers use the operating system's socket receive buffer ({@code receive.buffer.bytes=-1})
 *       instead of Kafka's fixed 64 KiB, which on a fast link made fetches wait out TCP
 *       retransmissions (200 ms, several times a second).
 *   <li>{@code sendTimeout} (30s) and {@code sendRetries} (3), the engine's: the producer's
 *       {@code delivery.timeout.ms} is their budget, {@code sendTimeout × (sendRetries + 1)} (at
 *       least linger + 10 s). The idempotent producer retries a send that long, the same record (the
 *       broker drops duplicates), and then fails it; the engine does not retry it again. A send that
 *       cannot even start (no metadata within {@code max.block.ms}, 10 s, as while the cluster is
 *       down) is retried by the engine as on other brokers. The adapter's own sends on handler
 *       threads (a retry or dead-letter move, a half message) wait at most {@code sendTimeout} for
 *       the ack, then fail (the message is redelivered and moved again; the record may still land,
 *       with the same id).
 * </ul>
 *
 * <p>Records carry the message id in a header: a generated id (a canonical UUID) as 16 bytes under
 * the empty key, any other id as UTF-8 under {@code unimq-kafka-id}. Builds before the 16-byte form
 * wrote every id as text; their records are still read, but they cannot read the 16-byte form:
 * upgrade a topic's consumers before its producers.
 *
 * <p>Kafka topics used for a unimq topic {@code t} and group {@code g}: {@code t}, {@code t.delay}
 * (future {@code deliverAt}), {@code t.g.retry} (retries and delayed records on their last hops),
 * {@code t.g.dlq} (dead letters, read position kept by group {@code unimq.dlq.t.g}), and
 * {@code unimq.half.<producerGroup>} (compacted, half messages). Lag counts {@code t}, {@code t.delay}
 * and {@code t.g.retry}: waiting, scheduled and in-flight messages alike.
 *
 * <p>A subscription's handler threads poll the Kafka consumer themselves, in turn, as a plain Kafka
 * consumer loop does; while all of them are busy nobody polls. So, as with any Kafka consumer, a
 * member whose every handler thread is stuck for longer than {@code max.poll.interval.ms} (Kafka's
 * default 5 minutes) leaves the group and its messages are redelivered to another member: raise it
 * with {@code kafka.max.poll.interval.ms} for handlers that long. Settled offsets are committed at
 * most every 50 ms (and on revocation and close), so a crashed member's successor may see up to
 * that much again.
 */
package io.unimq.kafka;
