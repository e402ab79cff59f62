package io.unimq.api.internal;

import io.unimq.api.LocalTransaction;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqClosedException;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import io.unimq.spi.TransactionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Half message, local transaction, outcome: over native or emulated {@link TransactionSupport}. */
final class EngineTransactionalProducer implements TransactionalProducer {
  private static final Logger log = LoggerFactory.getLogger(EngineTransactionalProducer.class);
  private final EngineClient client;
  private final String producerGroup;
  private final TransactionSupport support;
  private final AutoCloseable registration;
  private volatile boolean closed;

  EngineTransactionalProducer(EngineClient client, String producerGroup, TransactionSupport support, TransactionChecker checker) {
    this.client = client;
    this.producerGroup = producerGroup;
    this.support = support;
    this.registration = support.register(producerGroup, checker);
  }

  @Override
  public String producerGroup() {
    return producerGroup;
  }

  @Override
  public TransactionState sendInTransaction(Message message, LocalTransaction localTransaction) {
    if (closed) {
      throw new MqClosedException("transactional producer of group '" + producerGroup + "' is closed");
    }
    if (localTransaction == null) {
      throw new MqConfigurationException("local transaction is null; pass the work to run while the message is half-sent");
    }
    Message m = client.engineProducer().prepare(message);
    TransactionSupport.Half half = support.prepare(producerGroup, m);
    TransactionState state;
    try {
      state = localTransaction.execute(m);
      if (state == null) {
        state = TransactionState.UNKNOWN;
      }
    } catch (Exception e) {
      log.warn("local transaction for message {} threw; its outcome is left to the checker of group '{}': {}", m.id(), producerGroup, e.toString());
      state = TransactionState.UNKNOWN;
    }
    switch (state) {
      case COMMIT -> half.commit();
      case ROLLBACK -> half.rollback();
      default -> { }
    }
    return state;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      registration.close();
    } catch (Exception e) {
      log.warn("unregistering the checker of group '{}' failed: {}", producerGroup, e.toString());
    }
    client.forget(this);
  }
}
