package io.unimq.outbox.internal;

import io.unimq.api.Message;
import java.time.Instant;

/** One pending outbox row, as locked by a relay. Immutable. */
record OutboxRow(long seq, String id, String topic, String key, String headers, byte[] body, Instant deliverAt) {
  Message toMessage() {
    return Message.builder(topic).id(id).key(key).headers(HeaderCodec.decode(headers))
        .body(body == null ? new byte[0] : body).deliverAt(deliverAt).build();
  }
}
