package io.unimq.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable message: topic, body, optional key (ordering and partitioning), string headers, a
 * unique time-ordered id (generated if absent; the dedup identity) and an optional due time.
 * Thread-safe. The body array is copied neither in nor out: do not mutate it after building.
 *
 * <pre>{@code
 * Message m = Message.builder("orders").key("order-42").header("type", "created")
 *     .body("{...}").delay(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class Message {
  /** Prefix of header names that unimq reserves for itself. */
  public static final String RESERVED_HEADER_PREFIX = "unimq-";

  /**
   * The id's text. An id held as bits (generated, or read in its 16-byte form) is formatted on first
   * use only, since most handlers never ask: a benign race, as every thread formats the same text.
   */
  private String id;
  /** The id's 128 bits when {@link #idBits}. */
  private final long idMsb;
  private final long idLsb;
  private final boolean idBits;
  private final String topic;
  private final String key;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Instant deliverAt;

  private Message(Builder b) {
    if (b.id != null) {
      this.id = b.id;
      this.idMsb = 0;
      this.idLsb = 0;
      this.idBits = false;
    } else if (b.idBits) {
      this.idMsb = b.idMsb;
      this.idLsb = b.idLsb;
      this.idBits = true;
    } else {
      this.idMsb = Uuids.nextMsb();
      this.idLsb = Uuids.nextLsb();
      this.idBits = true;
    }
    this.topic = b.topic;
    this.key = b.key;
    this.headers = b.headers == null || b.headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.body = b.body;
    this.deliverAt = b.deliverAt;
  }

  public static Builder builder(String topic) {
    return new Builder().topic(topic);
  }

  /** A copy to change; the id is kept unless replaced. */
  public Builder toBuilder() {
    Builder b = new Builder();
    if (idBits) {
      b.idBits(idMsb, idLsb);
    } else {
      b.id = id;
    }
    b.topic = topic;
    b.key = key;
    if (!headers.isEmpty()) {
      b.headers = new LinkedHashMap<>(headers);
    }
    b.body = body;
    b.deliverAt = deliverAt;
    return b;
  }

  public String id() {
    String text = id;
    if (text == null) {
      text = Uuids.format(idMsb, idLsb);
      id = text;
    }
    return text;
  }

  /**
   * True when the id is a UUID: every generated id is, and so is one given as canonical lower-case
   * UUID text. Such an id has a 128-bit form ({@link #idMostSignificantBits()},
   * {@link #idLeastSignificantBits()}, {@link Builder#id(long, long)}) that adapters may write as
   * 16 bytes instead of 36 characters; reading it formats and parses nothing for a generated id.
   */
  public boolean hasUuidId() {
    return idBits || Uuids.isCanonical(id);
  }

  /**
   * The high 64 bits of the id, as {@link java.util.UUID#getMostSignificantBits()}.
   *
   * @throws MqInvalidMessageException when the id is not a UUID ({@link #hasUuidId()} is false)
   */
  public long idMostSignificantBits() {
    if (idBits) {
      return idMsb;
    }
    return Uuids.msb(uuidText());
  }

  /**
   * The low 64 bits of the id, as {@link java.util.UUID#getLeastSignificantBits()}.
   *
   * @throws MqInvalidMessageException when the id is not a UUID ({@link #hasUuidId()} is false)
   */
  public long idLeastSignificantBits() {
    if (idBits) {
      return idLsb;
    }
    return Uuids.lsb(uuidText());
  }

  private String uuidText() {
    if (!Uuids.isCanonical(id)) {
      throw new MqInvalidMessageException("message id '" + id + "' is not a UUID and has no 128-bit form; check hasUuidId() first");
    }
    return id;
  }

  /** True when the id is held as its 128 bits (generated, or set from them) and not yet formatted. */
  boolean idHeldAsBits() {
    return idBits;
  }

  long rawMsb() {
    return idMsb;
  }

  long rawLsb() {
    return idLsb;
  }

  public String topic() {
    return topic;
  }

  /** The ordering key, or null. */
  public String key() {
    return key;
  }

  public Optional<String> keyOptional() {
    return Optional.ofNullable(key);
  }

  /** Unmodifiable headers, user and {@code unimq-} ones. */
  public Map<String, String> headers() {
    return headers;
  }

  public String header(String name) {
    return headers.get(name);
  }

  public byte[] body() {
    return body;
  }

  public String bodyAsString() {
    return body == null ? null : new String(body, StandardCharsets.UTF_8);
  }

  /** When the message becomes visible to consumers, or null for immediately. */
  public Instant deliverAt() {
    return deliverAt;
  }

  /** Approximate wire size used for the maximum-size check: body, key, topic and headers. */
  public int approximateSize() {
    long size = (body == null ? 0 : body.length) + utf8Length(topic) + utf8Length(key) + (idBits ? 36 : utf8Length(id));
    for (Map.Entry<String, String> e : headers.entrySet()) {
      size += utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  private static int utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Message)) {
      return false;
    }
    Message m = (Message) o;
    boolean sameId = idBits && m.idBits ? idMsb == m.idMsb && idLsb == m.idLsb : id().equals(m.id());
    return sameId && Objects.equals(topic, m.topic) && Objects.equals(key, m.key)
        && headers.equals(m.headers) && Arrays.equals(body, m.body) && Objects.equals(deliverAt, m.deliverAt);
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return "Message{id=" + id() + ", topic=" + topic + ", key=" + key + ", headers=" + headers
        + ", body=" + (body == null ? "null" : body.length + " bytes")
        + (deliverAt == null ? "" : ", deliverAt=" + deliverAt) + '}';
  }

  /** Builds a {@link Message}. Not thread-safe. */
  public static final class Builder {
    private String id;
    private long idMsb;
    private long idLsb;
    private boolean idBits;
    private String topic;
    private String key;
    /** Created on the first header: most messages have none. */
    private Map<String, String> headers;
    private byte[] body;
    private Instant deliverAt;

    private Builder() {}

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Sets the id; leave unset to get a unique time-ordered one. */
    public Builder id(String id) {
      this.id = id;
      this.idBits = false;
      return this;
    }

    /**
     * Sets the id to the UUID with these 128 bits (see {@link Message#hasUuidId()}), without
     * formatting it: its text is made on the first {@link Message#id()}.
     */
    public Builder id(long mostSignificantBits, long leastSignificantBits) {
      return idBits(mostSignificantBits, leastSignificantBits);
    }

    private Builder idBits(long msb, long lsb) {
      this.id = null;
      this.idMsb = msb;
      this.idLsb = lsb;
      this.idBits = true;
      return this;
    }

    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /**
     * Adds or replaces a header.
     *
     * @throws MqInvalidMessageException a null name or value
     */
    public Builder header(String name, String value) {
      if (name == null) {
        throw new MqInvalidMessageException("header name is null (value '" + value + "'); give every header a non-empty name");
      }
      if (value == null) {
        throw new MqInvalidMessageException("value of header '" + name + "' is null; give an empty string, or leave the header out");
      }
      if (headers == null) {
        headers = new LinkedHashMap<>();
      }
      headers.put(name, value);
      return this;
    }

    /**
     * Adds every entry of {@code all}.
     *
     * @throws MqInvalidMessageException a null map, or a null name or value in it
     */
    public Builder headers(Map<String, String> all) {
      if (all == null) {
        throw new MqInvalidMessageException("headers map is null; pass an empty map, or leave headers(...) out");
      }
      all.forEach(this::header);
      return this;
    }

    public Builder removeHeader(String name) {
      if (headers != null) {
        headers.remove(name);
      }
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    /** UTF-8 body. */
    public Builder body(String body) {
      this.body = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    public Builder deliverAt(Instant at) {
      this.deliverAt = at;
      return this;
    }

    /**
     * Due {@code delay} from now (null: immediately).
     *
     * @throws MqInvalidMessageException a delay so long that the due time is past what an
     *     {@link Instant} holds
     */
    public Builder delay(Duration delay) {
      try {
        this.deliverAt = delay == null ? null : Instant.now().plus(delay);
      } catch (java.time.DateTimeException | ArithmeticException e) {
        throw new MqInvalidMessageException("delay " + delay + " is beyond any date; give a delay the broker supports"
            + " (see its adapter's README), for example Duration.ofHours(1)");
      }
      return this;
    }

    /** Builds without validating; validation happens when it is sent. */
    public Message build() {
      return new Message(this);
    }
  }
}
