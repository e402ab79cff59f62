package io.unimq.memory.internal;

import io.unimq.api.Message;
import io.unimq.spi.HalfMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Half messages in memory, shared by every client of one broker name. Thread-safe. */
final class MemoryHalfStore implements HalfMessageStore {
  private record Half(Message message, Instant checkAt) {}

  private final Map<String, Map<String, Half>> groups = new ConcurrentHashMap<>();

  private Map<String, Half> group(String producerGroup) {
    return groups.computeIfAbsent(producerGroup, g -> new ConcurrentHashMap<>());
  }

  @Override
  public void put(String producerGroup, Message half, Instant checkAt) {
    group(producerGroup).put(half.id(), new Half(half, checkAt));
  }

  @Override
  public boolean remove(String producerGroup, String messageId) {
    return group(producerGroup).remove(messageId) != null;
  }

  @Override
  public synchronized List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max) {
    List<Message> out = new ArrayList<>();
    for (Map.Entry<String, Half> e : group(producerGroup).entrySet()) {
      if (out.size() >= max) {
        break;
      }
      if (!e.getValue().checkAt().isAfter(now)) {
        if (group(producerGroup).replace(e.getKey(), e.getValue(), new Half(e.getValue().message(), nextCheckAt))) {
          out.add(e.getValue().message());
        }
      }
    }
    return out;
  }
}
