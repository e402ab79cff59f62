package io.unimq.api.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The unsettled deliveries of a subscription, for close to release: a slot table, with an overflow
 * set for entries that find no free slot. One thread at a time adds (the subscription's leader);
 * any thread removes. With at most half the slots taken, which the subscription's sizing ensures,
 * an add takes a step or two from where the last one ended, and neither add nor remove allocates
 * (a set would cost a hash-table insertion and removal per message). Thread-safe under that
 * single-adder rule.
 *
 * <p>Entries in the overflow set are compared by {@code equals}/{@code hashCode}: give them identity
 * semantics.
 */
final class InFlightTable<E> {
  private final AtomicReferenceArray<E> slots;
  /** Where the adder looks for a free slot next; adder only. */
  private int cursor;
  /** Entries that found no free slot (more unsettled than the slots: not expected, but never lost). */
  private final Set<E> overflow = ConcurrentHashMap.newKeySet();

  /** A table of {@code capacity} slots (at least 1). */
  InFlightTable(int capacity) {
    this.slots = new AtomicReferenceArray<>(Math.max(1, capacity));
  }

  /** Adds {@code entry}; returns its slot, or -1 when it went to the overflow set. Single adder. */
  int add(E entry) {
    int n = slots.length();
    for (int i = 0; i < n; i++) {
      int slot = cursor;
      cursor = slot + 1 == n ? 0 : slot + 1;
      if (slots.get(slot) == null) {
        slots.set(slot, entry);
        return slot;
      }
    }
    overflow.add(entry);
    return -1;
  }

  /** Removes {@code entry}, added at {@code slot} (as {@link #add} returned). Any thread; once per add. */
  void remove(E entry, int slot) {
    if (slot >= 0) {
      slots.setRelease(slot, null); // the slot is this entry's until cleared, so a plain write does
    } else {
      overflow.remove(entry);
    }
  }

  /** Hands every entry present to {@code action}; entries added or removed meanwhile may be missed or seen. */
  void forEach(Consumer<? super E> action) {
    for (int i = 0; i < slots.length(); i++) {
      E e = slots.get(i);
      if (e != null) {
        action.accept(e);
      }
    }
    for (E e : overflow) {
      action.accept(e);
    }
  }

  /** Entries present (a snapshot that may be stale); for tests and diagnostics. */
  int size() {
    int n = overflow.size();
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }
}
