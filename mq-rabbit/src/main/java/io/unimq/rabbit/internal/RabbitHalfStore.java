package io.unimq.rabbit.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.unimq.api.Message;
import io.unimq.spi.HalfMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emulated half messages on RabbitMQ, for the engine's check-back sweeper. Two durable parts per
 * producer group:
 * <ul>
 *   <li>a <b>ticket queue</b> {@code unimq.$half.<producerGroup>}: one persistent ticket per half
 *       message (the full message plus its check time in {@code x-unimq-check-at});</li>
 *   <li>a <b>marker queue</b> {@code unimq.$half.<producerGroup>.<messageId>} per half message,
 *       holding one message while the half message is pending.</li>
 * </ul>
 * {@link #remove} deletes the marker queue: the deletion's message count (1 or 0) tells atomically
 * whether this call removed it. {@link #claimDue} takes tickets with {@code basic.get} (invisible to
 * other sweepers while unacked): a ticket whose marker is gone is dropped; a due one is re-published
 * with the next check time, then acked and returned; one not yet due is put back in place.
 *
 * <p>Trade-off: a queue per pending half message costs a queue declaration per transaction and a
 * passive check per ticket per sweep; fine for hundreds of pending transactions, not for millions.
 * Tickets are scanned from the head, at most the queue's depth per sweep. Thread-safe.
 */
final class RabbitHalfStore implements HalfMessageStore {
  private static final byte[] MARK = new byte[0];

  private final RabbitTransport transport;
  private final Connection connection;
  private final Set<String> declared = ConcurrentHashMap.newKeySet();

  RabbitHalfStore(RabbitTransport transport, Connection connection) {
    this.transport = transport;
    this.connection = connection;
  }

  private String tickets(String producerGroup) {
    String q = RabbitNames.halfQueue(producerGroup);
    if (declared.add(q)) {
      transport.topology().admin("declare " + q, ch -> {
        transport.topology().declarePlainQueue(ch, q);
        return null;
      });
    }
    return q;
  }

  @Override
  public void put(String producerGroup, Message half, Instant checkAt) {
    String tickets = tickets(producerGroup);
    String marker = RabbitNames.halfMarker(producerGroup, half.id());
    transport.topology().admin("declare " + marker, ch -> {
      transport.topology().declarePlainQueue(ch, marker);
      return null;
    });
    transport.sendToQueue(marker, Message.builder(half.topic()).id(half.id()).body(MARK).build(), Map.of());
    transport.sendToQueue(tickets, half, ticketHeaders(checkAt));
  }

  private static Map<String, Object> ticketHeaders(Instant checkAt) {
    return Map.of(RabbitCodec.CHECK_AT, Long.toString(checkAt.toEpochMilli()));
  }

  @Override
  public boolean remove(String producerGroup, String messageId) {
    String marker = RabbitNames.halfMarker(producerGroup, messageId);
    if (!transport.topology().exists(marker, false)) {
      return false;
    }
    try {
      return transport.topology().admin("remove " + marker, ch -> ch.queueDelete(marker).getMessageCount() > 0);
    } catch (RuntimeException e) {
      if (!transport.topology().exists(marker, false)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max) {
    String tickets = tickets(producerGroup);
    List<Message> out = new ArrayList<>();
    long limit = transport.topology().ready(tickets);
    if (limit <= 0) {
      return out;
    }
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      for (long scanned = 0; scanned < limit && out.size() < max; scanned++) {
        GetResponse r = RabbitErrors.call("take from " + tickets, () -> ch.basicGet(tickets, false));
        if (r == null) {
          break;
        }
        long tag = r.getEnvelope().getDeliveryTag();
        Message half = RabbitCodec.message(null, r.getProps(), r.getBody());
        if (!transport.topology().exists(RabbitNames.halfMarker(producerGroup, half.id()), false)) {
          ack(ch, tag);
        } else if (RabbitCodec.checkAt(r.getProps()) <= now.toEpochMilli()) {
          transport.sendToQueue(tickets, half, ticketHeaders(nextCheckAt));
          ack(ch, tag);
          out.add(half);
        }
        // not yet due: left unacked, back in place when the channel closes
      }
    } finally {
      RabbitErrors.closeQuietly(ch);
    }
    return out;
  }

  private static void ack(Channel ch, long tag) {
    RabbitErrors.io("ack a ticket", () -> ch.basicAck(tag, false));
  }

}
