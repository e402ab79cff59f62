package io.unimq.redis.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a stream consumer group. Unordered, it reads every partition stream of the topic plus
 * the group's retry stream; ordered, the partitions it holds a lease on (see {@link PartitionLeases})
 * plus the retry stream. A poll runs {@link Scripts#FETCH} when it has work (ordered reads from lease
 * cursors, and about once a second reclaiming entries idle past the lease with XAUTOCLAIM), reads a
 * backlog with one pipelined XREADGROUP per stream whose counts add up to what is asked, and only
 * when nothing waits blocks in {@code XREADGROUP BLOCK} over every stream on its own connection;
 * {@link #wakeup()} ends the block with {@code CLIENT UNBLOCK}. The entries it holds pending at the
 * broker (read, and not yet acked, retried, dead-lettered or released there) never exceed the
 * prefetch: every read asks for no more than what is left. Entries it holds are kept from being
 * reclaimed by refreshing their idle time every third of the lease, and one reclaimed from itself
 * while still held is not handed out again. Acks are asynchronous and batched ({@link XackBatcher},
 * which sends an unanswered XACK again) on this consumer's own connection, ahead of its next read,
 * so the server frees their room before that read takes more; {@link #close()} waits for those queued. {@link #poll} runs on one
 * thread; settlement and {@link #wakeup()} are thread-safe.
 */
final class RedisConsumer implements TransportConsumer {
  private static final Logger log = LoggerFactory.getLogger(RedisConsumer.class);
  /** Idle time given to released entries: far past any lease, so another consumer reclaims them at once. */
  private static final long RELEASED_IDLE_MS = Duration.ofDays(365).toMillis();
  /** How long close waits for queued acks. */
  private static final Duration ACK_DRAIN = Duration.ofSeconds(5);
  /** Longest a poll waits for acks in flight when the prefetch is used up at the broker. */
  private static final Duration ACK_WAIT = Duration.ofMillis(50);
  /** Most reads on their way at once. */
  private static final int MAX_AHEAD = 4;

  private final RedisTransport transport;
  private final String topic;
  private final String group;
  private final String me;
  /** Most entries this consumer holds pending at once: read, and not yet acked, retried, dead-lettered or released. */
  private final int prefetch;
  /**
   * Most entries one read asks for: a quarter of the prefetch (at least one), so that several reads
   * are on their way while what came earlier is handled. A read of all of it would wait for all of
   * it to be settled, and the broker's fsync before each reply would set the pace.
   */
  private final int readSize;
  private final List<String> partitionStreams;
  private final String retryStream;
  private final PartitionLeases leases;
  private final RedisConnector.Conn connection;
  private final RedisClusterCommands<String, byte[]> blocking;
  /** The same connection, for the read sent ahead. */
  private final RedisClusterAsyncCommands<String, byte[]> reader;
  /**
   * Reads sent ahead while earlier batches are handled, oldest first (unordered only; poll slot
   * only): their entries join {@link #inFlight} as soon as they arrive, so they are refreshed like
   * the rest.
   */
  private final ArrayDeque<CompletableFuture<List<InboundMessage>>> readingAhead = new ArrayDeque<>();
  /** Entries asked for by {@link #readingAhead} and not yet counted in {@link #owned}. */
  private final AtomicInteger aheadAsked = new AtomicInteger();
  /** Entries read by this consumer and not yet settled at the broker (the size of {@link #inFlight}). */
  private final AtomicInteger owned = new AtomicInteger();
  /**
   * Entries of {@link #owned} whose XACK is sent on this consumer's connection and not yet answered:
   * the server applies it before any read sent later, so they no longer count against the prefetch.
   */
  private final AtomicInteger released = new AtomicInteger();
  /**
   * The server's id of this consumer's connection, for CLIENT UNBLOCK. On a cluster, asked of the
   * master serving the topic right before each blocking read (the master may change).
   */
  private volatile CompletableFuture<Long> clientId;
  private final long leaseMs;
  private final long reclaimEveryMs;
  private final Map<String, Set<String>> inFlight = new ConcurrentHashMap<>();
  private final ArrayDeque<RedisInbound> surplus = new ArrayDeque<>();
  /** Streams whose last pipelined read found nothing new (see {@link #shares}). */
  private final Set<String> quiet = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> refresher;
  private final XackBatcher acks;
  private volatile boolean closed;
  private volatile boolean wakeup;
  /** The last read filled what it asked of some stream: the next poll reads again without blocking. */
  private volatile boolean backlog;
  private long nextReclaim;
  private int rotation;

  RedisConsumer(RedisTransport transport, ConsumerSpec spec, int partitions) {
    this.transport = transport;
    this.topic = spec.topic();
    this.group = spec.group();
    // the name without its group prefix: Redis scopes consumer names to the group already, and the
    // name is written (and fsynced) with every entry read, as the XCLAIM that XREADGROUP propagates
    this.me = spec.consumerId().startsWith(group + "-") && spec.consumerId().length() > group.length() + 1
        ? spec.consumerId().substring(group.length() + 1) : spec.consumerId();
    this.prefetch = spec.prefetch();
    this.readSize = Math.max(1, prefetch / 4);
    this.partitionStreams = Keys.partitions(topic, partitions);
    this.retryStream = Keys.retry(topic, group);
    this.leaseMs = transport.settings.lease().toMillis();
    this.reclaimEveryMs = Math.min(1000, leaseMs / 4);
    this.connection = transport.dedicatedConnection();
    this.blocking = connection.sync();
    this.reader = connection.async();
    this.blocking.setTimeout(transport.settings.requestTimeout().plusSeconds(5));
    this.clientId = connection.cluster() ? new CompletableFuture<>() : CompletableFuture.completedFuture(blocking.clientId());
    this.leases = spec.ordered()
        ? new PartitionLeases(transport, topic, group, me, partitions, s -> inFlight.getOrDefault(s, Set.of()).size())
        : null;
    if (leases != null) {
      leases.rebalance(true);
    }
    this.acks = new XackBatcher(reader, transport.async(), group, this::settled, released::addAndGet);
    this.refresher = transport.every(Duration.ofMillis(leaseMs / 3), this::refresh);
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    List<InboundMessage> out = new ArrayList<>();
    if (closed || max <= 0) {
      return out;
    }
    if (!surplus.isEmpty()) {
      while (!surplus.isEmpty() && out.size() < max) {
        out.add(surplus.poll());
      }
      return out;
    }
    try {
      acks.flush(); // the XACKs queued so far go ahead of this poll's reads, on the same connection
      if (leases != null) {
        leases.rebalance(false);
      }
      if (leases == null && backlog && !closed) {
        readAhead(false); // the room settled since the last poll is read while the older reads arrive
      }
      if (!readingAhead.isEmpty()) {
        takeReadAhead(out); // sent earlier: its entries come first
      }
      // the script (reclaim, lease cursors) only when it has work; a backlog is read with one
      // XREADGROUP per stream, pipelined, their counts adding up to what is left; otherwise one
      // XREADGROUP over every stream, which blocks only when nothing waits
      boolean script = leases != null || System.currentTimeMillis() >= nextReclaim;
      int room = room(max);
      if (out.isEmpty() && room > 0 && (script || backlog)) {
        if (script) {
          fetch(room, out);
        } else {
          readNow(room, out);
        }
      }
      if (out.isEmpty()) {
        room = room(max);
        if (room <= 0) {
          // what the engine settled is still being acked: reading now would hold more than the
          // prefetch pending at the broker, so wait (briefly) for the acks instead
          acks.awaitRound(timeout.compareTo(ACK_WAIT) < 0 ? timeout : ACK_WAIT);
          return out;
        }
        block(room, wakeup || closed ? Duration.ZERO : timeout, out);
      }
      acks.flush();
      if (leases == null && !out.isEmpty() && !closed) {
        readAhead(true);
      }
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
    wakeup = false;
    if (out.size() > max) {
      List<InboundMessage> extra = out.subList(max, out.size());
      extra.forEach(d -> surplus.add((RedisInbound) d));
      extra.clear();
    }
    return out;
  }

  /** What a read may ask for: what the engine has room for, and what keeps this consumer's pending entries within the prefetch. */
  private int room(int max) {
    return Math.min(max, unasked());
  }

  /** What the prefetch leaves once the reads on their way are answered. */
  private int unasked() {
    int asked = aheadAsked.get(); // before owned: read-ahead entries are counted in owned before asked drops
    return held(prefetch) - asked;
  }

  /**
   * Sends the next reads now, while what was read is handled: reads arrive back to back instead of
   * one fsync turn plus the handling apart (the connection keeps replies in order). Together they ask
   * for no more than the prefetch leaves, so the broker never holds more than that for us; each asks
   * for {@link #readSize} at most, and one smaller read goes out only when none is on its way
   * ({@code always}) or when it takes all that is left.
   */
  private void readAhead(boolean always) {
    int left = unasked();
    while (left > 0 && readingAhead.size() < MAX_AHEAD
        && (left >= readSize || always && readingAhead.isEmpty())) {
      int n = Math.min(left, readSize);
      aheadAsked.addAndGet(n);
      readingAhead.add((System.currentTimeMillis() >= nextReclaim ? fetchAsync(n) : readAsync(n))
          .whenComplete((r, e) -> aheadAsked.addAndGet(-n)));
      left -= n;
    }
  }

  /** {@code of} less the entries this consumer holds pending at the broker once the XACKs sent on its connection are applied. */
  private int held(int of) {
    int n = owned.get(); // before released: an answered XACK leaves released first, then owned
    return of - n + released.get();
  }

  /** The oldest read sent ahead: waits for it (a non-blocking read: one round trip at most) and takes its entries. */
  private void takeReadAhead(List<InboundMessage> out) throws InterruptedException {
    take(readingAhead.poll(), out);
  }

  private void take(CompletableFuture<List<InboundMessage>> f, List<InboundMessage> out) throws InterruptedException {
    try {
      out.addAll(f.get(transport.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      throw transport.wrap(e.getCause());
    } catch (TimeoutException e) {
      throw transport.wrap(e);
    }
  }

  /** Streams and read positions: '>' for new entries, or a cursor into this consumer's own pending entries. */
  private List<String[]> positions() {
    List<String[]> streams = new ArrayList<>();
    if (leases == null) {
      partitionStreams.forEach(s -> streams.add(new String[] {s, ">"}));
    } else {
      for (PartitionLeases.Held h : leases.readable()) {
        String cursor = h.cursor;
        streams.add(new String[] {h.stream, cursor == null ? ">" : cursor});
      }
    }
    streams.add(new String[] {retryStream, ">"});
    Collections.rotate(streams, rotation++ % streams.size());
    return streams;
  }

  private void fetch(int max, List<InboundMessage> out) {
    List<String> keys = new ArrayList<>();
    List<Object> args = fetchArgs(max, keys);
    acceptFetched(Scripts.FETCH.run(blocking, ScriptOutputType.MULTI, keys, args), max, out);
  }

  /** {@link #fetch}, pipelined on this consumer's connection: its entries are accepted as soon as they arrive. */
  private CompletableFuture<List<InboundMessage>> fetchAsync(int max) {
    List<String> keys = new ArrayList<>();
    List<Object> args = fetchArgs(max, keys);
    return Scripts.FETCH.<List<Object>>runAsync(reader, ScriptOutputType.MULTI, keys, args).thenApply(result -> {
      List<InboundMessage> got = new ArrayList<>();
      acceptFetched(result, max, got);
      return got;
    });
  }

  /** The arguments of {@link Scripts#FETCH} for a read of {@code max} in all; fills {@code keys}. */
  private List<Object> fetchArgs(int max, List<String> keys) {
    List<String[]> streams = positions();
    long now = System.currentTimeMillis();
    long reclaimIdle = 0;
    if (now >= nextReclaim) {
      reclaimIdle = leaseMs;
      nextReclaim = now + reclaimEveryMs;
    }
    List<Object> args = new ArrayList<>(List.of(group, me, max, reclaimIdle));
    for (String[] s : streams) {
      keys.add(s[0]);
      args.add(s[1]);
    }
    return args;
  }

  /** {@link #readAsync}, waited for (a non-blocking read: one round trip). */
  private void readNow(int max, List<InboundMessage> out) throws InterruptedException {
    take(readAsync(max), out);
  }

  /**
   * New entries of every stream read unordered, {@code max} at most in all, without the script
   * (whose replies cost the server far more than the reads): one XREADGROUP per stream, pipelined
   * on this consumer's connection, each with its share of {@code max} (see {@link #shares}).
   */
  private CompletableFuture<List<InboundMessage>> readAsync(int max) {
    List<String> streams = new ArrayList<>();
    for (String[] s : positions()) {
      if (streams.size() < max) {
        streams.add(s[0]);
      }
    }
    int[] shares = shares(streams, max);
    List<CompletableFuture<List<StreamMessage<String, byte[]>>>> reads = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      reads.add(reader.xreadgroup(Consumer.from(group, me), XReadArgs.Builder.count(shares[i]),
          StreamOffset.lastConsumed(streams.get(i))).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<InboundMessage> got = new ArrayList<>();
      boolean full = false;
      for (int i = 0; i < streams.size(); i++) {
        List<StreamMessage<String, byte[]>> read = reads.get(i).join();
        if (read.isEmpty()) {
          quiet.add(streams.get(i));
        } else {
          quiet.remove(streams.get(i));
        }
        full |= read.size() >= shares[i];
        for (StreamMessage<String, byte[]> m : read) {
          accept(m.getStream(), m.getId(), m.getBody(), got);
        }
      }
      backlog = full;
      return got;
    });
  }

  /**
   * Splits {@code max} (at least one per stream) over {@code streams}: a stream whose last read
   * found nothing gets a small share, the others split the rest evenly, so a backlog on one
   * stream is read in large batches while the others are still looked at every time.
   */
  private int[] shares(List<String> streams, int max) {
    int n = streams.size();
    int[] shares = new int[n];
    int small = Math.max(1, max / (4 * n));
    int active = 0;
    for (String s : streams) {
      if (!quiet.contains(s)) {
        active++;
      }
    }
    int rest = max - small * (n - active);
    if (active == 0 || rest < active) {
      active = n; // nothing read lately, or too little room to favour anyone: equal shares
      rest = max;
      small = 0;
    }
    int each = rest / active;
    int extra = rest % active;
    for (int i = 0; i < n; i++) {
      if (small > 0 && quiet.contains(streams.get(i))) {
        shares[i] = small;
      } else {
        shares[i] = each + (extra-- > 0 ? 1 : 0);
      }
    }
    return shares;
  }

  /** Accepts what {@link Scripts#FETCH} read for a total of {@code max}. */
  private void acceptFetched(List<Object> result, int max, List<InboundMessage> out) {
    int before = out.size();
    for (Object o : result) {
      List<?> perStream = (List<?>) o;
      String stream = Lua.string(perStream.get(0));
      List<?> entries = (List<?>) perStream.get(1);
      long asked = (Long) perStream.get(2);
      String last = null;
      for (Object e : entries) {
        List<?> entry = (List<?>) e;
        last = Lua.string(entry.get(0));
        List<?> flat = (List<?>) entry.get(1);
        Map<String, byte[]> fields = null;
        if (flat != null) {
          fields = new LinkedHashMap<>();
          for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(Lua.string(flat.get(i)), (byte[]) flat.get(i + 1));
          }
        }
        accept(stream, last, fields, out);
      }
      if (leases != null) {
        advance(stream, last, entries.size() < asked);
      }
    }
    backlog = out.size() - before >= max; // a full read: more may wait, read again without blocking
  }

  private void advance(String stream, String last, boolean exhausted) {
    for (PartitionLeases.Held h : leases.readable()) {
      if (h.stream.equals(stream) && h.cursor != null) {
        h.cursor = exhausted ? null : last;
      }
    }
  }

  /**
   * XREADGROUP's COUNT applies to each stream, so a read of {@code max} in all asks each of its
   * streams for an equal share (and covers only {@code max} streams when there are more).
   */
  private void block(int max, Duration timeout, List<InboundMessage> out) {
    StreamOffset<String>[] offsets = readPositions(max);
    if (offsets.length == 0) {
      return;
    }
    int each = max / offsets.length;
    boolean blocks = timeout.toMillis() > 0;
    XReadArgs args = blocks ? XReadArgs.Builder.block(timeout.toMillis()).count(each) : XReadArgs.Builder.count(each);
    // acks settled while the read waits would queue behind it on this connection: they go on the shared one
    acks.readerBlocked(blocks);
    if (connection.cluster()) {
      clientId = connection.nodeFor(retryStream).async().clientId().toCompletableFuture(); // ahead of the read, same node connection
    }
    try {
      accept(blocking.xreadgroup(Consumer.from(group, me), args, offsets), each, out);
    } finally {
      acks.readerBlocked(false);
    }
  }

  /** The streams a plain read covers (those read from their new entries on, '>'), at most {@code max} of them. */
  @SuppressWarnings("unchecked")
  private StreamOffset<String>[] readPositions(int max) {
    List<StreamOffset<String>> offsets = new ArrayList<>();
    for (String[] s : positions()) {
      if (s[1].equals(">") && offsets.size() < max) {
        offsets.add(StreamOffset.lastConsumed(s[0]));
      }
    }
    return offsets.toArray(new StreamOffset[0]);
  }

  /** Accepts what a read of {@code each} per stream returned; a stream that filled its share has more: the next poll reads again without blocking. */
  private void accept(List<StreamMessage<String, byte[]>> read, int each, List<InboundMessage> out) {
    if (read != null) {
      Map<String, Integer> perStream = new java.util.HashMap<>();
      for (StreamMessage<String, byte[]> m : read) {
        if (perStream.merge(m.getStream(), 1, Integer::sum) >= each) {
          backlog = true;
        }
        accept(m.getStream(), m.getId(), m.getBody(), out);
      }
    }
  }

  /**
   * Every entry is delivered: unimq's own, a native producer's (its fields mapped by
   * {@link RedisCodec#decode(String, String, String, Map)}), even one with an unreadable envelope.
   * Only an entry that no longer exists (trimmed or deleted while pending: no fields) is acknowledged.
   */
  private void accept(String stream, String entryId, Map<String, byte[]> fields, List<InboundMessage> out) {
    if (fields == null || fields.isEmpty()) {
      log.debug("entry {} of {} was deleted while pending; acknowledging it", entryId, stream);
      acks.add(stream, entryId);
      return;
    }
    if (!inFlight.computeIfAbsent(stream, s -> ConcurrentHashMap.newKeySet()).add(entryId)) {
      // reclaimed from ourselves (its idle time outran a refresh, say during a broker pause) while
      // its delivery is still being handled or acked: that delivery settles it
      return;
    }
    owned.incrementAndGet();
    Message message = RedisCodec.decode(topic, stream, entryId, fields);
    if (message.headers().containsKey(RedisCodec.UNREADABLE)) {
      log.warn("entry {} of {} has an unreadable unimq envelope; delivering its bytes as the body with header {}",
          entryId, stream, RedisCodec.UNREADABLE);
    }
    out.add(new RedisInbound(this, stream, entryId, message));
  }

  private void settled(RedisInbound d) {
    settled(d.stream, d.entryId);
  }

  private void settled(String stream, String entryId) {
    Set<String> ids = inFlight.get(stream);
    if (ids != null && ids.remove(entryId)) {
      owned.decrementAndGet();
    }
  }

  /** Queues the XACK and returns; the entry stays in flight (kept from reclaim) until the XACK completes. */
  void ack(RedisInbound d) {
    acks.add(d.stream, d.entryId);
  }

  void retryLater(RedisInbound d, Message next, Duration delay) {
    try {
      byte[] blob = RedisCodec.packedFields(next);
      transport.schedule(topic, "r:" + group, retryStream, next, blob, Math.max(0, delay.toMillis()), true,
          d.stream, group, d.entryId).join();
    } catch (RuntimeException e) {
      throw transport.wrap(e);
    } finally {
      settled(d);
    }
  }

  void deadLetter(RedisInbound d, Message dead) {
    try {
      transport.script(Scripts.DEAD_LETTER, ScriptOutputType.INTEGER, List.of(Keys.deadLetters(topic, group), d.stream),
          List.of(RedisCodec.encode(dead), group, d.entryId));
    } finally {
      settled(d);
    }
  }

  void release(RedisInbound d) {
    try {
      setIdle(d.stream, List.of(d.entryId), RELEASED_IDLE_MS);
    } finally {
      settled(d);
    }
  }

  private void setIdle(String stream, List<String> ids, long idleMs) {
    if (ids.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>(List.of(group, me, idleMs));
    args.addAll(ids);
    transport.script(Scripts.SET_IDLE, ScriptOutputType.INTEGER, List.of(stream), args);
  }

  /** Keeps in-flight entries from being reclaimed and renews partition leases. */
  private void refresh() {
    for (Map.Entry<String, Set<String>> e : inFlight.entrySet()) {
      setIdle(e.getKey(), List.copyOf(e.getValue()), 0);
    }
    if (leases != null) {
      leases.renew();
    }
  }

  /** Waits for the acks queued so far when this consumer reads {@code topic} for {@code group} (any group when null): read-your-acks for lag and trimming. */
  void flushAcks(String topic, String group) {
    if (!this.topic.equals(topic) || group != null && !this.group.equals(group)) {
      return;
    }
    try {
      acks.drain(transport.settings.requestTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void wakeup() {
    wakeup = true;
    CompletableFuture<Long> id = clientId;
    if (id.isDone() && !id.isCompletedExceptionally()) {
      transport.unblock(retryStream, id.join());
    }
  }

  /** What a crashed process leaves behind: no release, no lease hand-over, no more refreshes (tests). */
  void abandon() {
    closed = true;
    refresher.cancel(false);
    acks.discard();
    connection.close();
    transport.forget(this);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    refresher.cancel(false);
    try {
      while (!readingAhead.isEmpty()) {
        List<InboundMessage> ahead = new ArrayList<>();
        takeReadAhead(ahead); // read for this consumer: released below with the rest
        ahead.forEach(d -> surplus.add((RedisInbound) d));
      }
      for (RedisInbound d : List.copyOf(surplus)) {
        d.release();
      }
      surplus.clear();
      if (!acks.drain(ACK_DRAIN)) {
        log.warn("acks of consumer {} of {}/{} still pending at close; those entries are redelivered after the lease", me, topic, group);
      }
      acks.discard();
      for (Map.Entry<String, Set<String>> e : inFlight.entrySet()) {
        setIdle(e.getKey(), List.copyOf(e.getValue()), RELEASED_IDLE_MS);
      }
      if (leases != null) {
        leases.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("closing consumer {} of {}/{} cleanly failed; its entries return after the lease: {}", me, topic, group, e.toString());
    } finally {
      connection.close();
      transport.forget(this);
    }
  }
}
