package io.unimq.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which dead letters a {@link DeadLetters#replay(DeadLetterSelection, DeadLetters.Progress) replay}
 * or {@link DeadLetters#purge(DeadLetterSelection, DeadLetters.Progress) purge} acts on: those that
 * match every condition, oldest first, at most {@link #limit()} of them. Build one with
 * {@link #all()}, {@link #ids}, {@link #header}, {@link #where} or {@link #oldest} and narrow it
 * with {@link #and} and {@link #limit(long)}, for example
 * {@code DeadLetterSelection.header("tenant", "acme").limit(10)}. Immutable and thread-safe when its
 * predicates are. Invalid arguments throw {@link MqConfigurationException}.
 */
public final class DeadLetterSelection {
  private static final DeadLetterSelection ALL = new DeadLetterSelection(List.of(), Long.MAX_VALUE, "all");

  private final List<Predicate<Message>> conditions;
  private final long limit;
  private final String description;

  private DeadLetterSelection(List<Predicate<Message>> conditions, long limit, String description) {
    this.conditions = conditions;
    this.limit = limit;
    this.description = description;
  }

  /** Every dead letter. */
  public static DeadLetterSelection all() {
    return ALL;
  }

  /** The dead letters whose {@link Message#id()} is one of {@code ids} (at least one). */
  public static DeadLetterSelection ids(String... ids) {
    return ids(List.of(ids));
  }

  /** The dead letters whose {@link Message#id()} is one of {@code ids} (at least one). */
  public static DeadLetterSelection ids(java.util.Collection<String> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      throw new MqConfigurationException("a dead-letter selection by id needs at least one id");
    }
    Set<String> set = Set.copyOf(ids);
    return where(m -> set.contains(m.id()), "ids " + set);
  }

  /** The dead letters with header {@code name} equal to {@code value}. */
  public static DeadLetterSelection header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    return where(m -> value.equals(m.header(name)), "header " + name + "=" + value);
  }

  /** The dead letters {@code predicate} accepts (called once per dead letter examined, on the caller's thread). */
  public static DeadLetterSelection where(Predicate<Message> predicate) {
    return where(predicate, "where <predicate>");
  }

  /** The {@code n} oldest dead letters. */
  public static DeadLetterSelection oldest(long n) {
    return ALL.limit(n);
  }

  private static DeadLetterSelection where(Predicate<Message> predicate, String description) {
    Objects.requireNonNull(predicate, "predicate");
    return new DeadLetterSelection(List.of(predicate), Long.MAX_VALUE, description);
  }

  /** Those this selection and {@code other} both select (the smaller limit applies). */
  public DeadLetterSelection and(DeadLetterSelection other) {
    List<Predicate<Message>> both = new ArrayList<>(conditions);
    both.addAll(other.conditions);
    return new DeadLetterSelection(List.copyOf(both), Math.min(limit, other.limit), description + " and " + other.description);
  }

  /** Only the oldest {@code n} (at least 0) of those this selection selects. */
  public DeadLetterSelection limit(long n) {
    if (n < 0) {
      throw new MqConfigurationException("a dead-letter selection's limit must be 0 or more, was " + n);
    }
    return new DeadLetterSelection(conditions, Math.min(limit, n), description + " oldest " + n);
  }

  /** The most this selection selects ({@link Long#MAX_VALUE} when unlimited). */
  public long limit() {
    return limit;
  }

  /** Whether {@code message} meets every condition (the limit aside). */
  public boolean matches(Message message) {
    for (Predicate<Message> c : conditions) {
      if (!c.test(message)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this selects every dead letter (no condition, no limit). */
  public boolean isAll() {
    return conditions.isEmpty() && limit == Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return description;
  }
}
