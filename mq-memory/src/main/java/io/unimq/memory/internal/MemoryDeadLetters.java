package io.unimq.memory.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import java.util.List;

/**
 * The dead letters of each group of one {@link MemoryBroker}, kept in the group in the order they
 * died; a letter's position (and cursor) is a sequence number, so reading after a cursor and
 * removing chosen letters touch only those. Republish puts the message back into the group's ready
 * messages. Thread-safe (every call is under the group's lock).
 */
final class MemoryDeadLetters implements DeadLetterStore {
  private final MemoryBroker broker;

  MemoryDeadLetters(MemoryBroker broker) {
    this.broker = broker;
  }

  @Override
  public long count(String topic, String group) {
    return broker.group(topic, group).deadCount();
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    return broker.group(topic, group).readDead(0, max);
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    return broker.group(topic, group).readDead(DeadLetterStore.numericCursor(cursor, topic, group), max);
  }

  @Override
  public void removeChosen(String topic, String group, List<DeadLetter> letters) {
    remove(topic, group, letters);
  }

  @Override
  public void republish(String topic, String group, Message message) {
    broker.group(topic, group).enqueue(message);
  }

  @Override
  public void remove(String topic, String group, List<DeadLetter> letters) {
    broker.group(topic, group).removeDead(letters);
  }

  @Override
  public long purge(String topic, String group) {
    return broker.group(topic, group).purgeDead();
  }
}
