package io.unimq.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.outbox.Outbox;
import io.unimq.spring.internal.MqObservations;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes messages into the outbox table on the connection of the current Spring transaction, so
 * they commit or roll back with the business rows; the auto-configured
 * {@link io.unimq.outbox.OutboxRelay} publishes them once committed. Thread-safe.
 *
 * <pre>{@code
 * @Transactional
 * public void place(Order order) {
 *   jdbc.update("insert into orders ...");
 *   outbox.write("orders", order.id(), order);
 * }
 * }</pre>
 */
public class TransactionalOutbox {

  private final DataSource dataSource;
  private final List<MqPayloadConverter> converters;
  private final ObservationRegistry observations;
  private final String scheme;

  public TransactionalOutbox(DataSource dataSource, List<MqPayloadConverter> converters, ObservationRegistry observations,
      String scheme) {
    this.dataSource = dataSource;
    this.converters = List.copyOf(converters);
    this.observations = observations;
    this.scheme = scheme;
  }

  /** Writes {@code payload} (with its content type) for {@code topic} and key {@code key}; returns the message id. */
  public String write(String topic, String key, Object payload) {
    return write(MqTemplate.message(converters, topic, key, payload).build());
  }

  /**
   * Writes {@code message}; returns its id.
   *
   * @throws MqConfigurationException no Spring transaction is active: the row would commit on its own
   * @throws io.unimq.api.MqInvalidMessageException bad topic, key or headers, or a null body
   * @throws io.unimq.outbox.OutboxException the insert failed
   */
  public String write(Message message) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new MqConfigurationException("TransactionalOutbox.write needs an active transaction (for example a @Transactional"
          + " method) so that the message commits with the business rows; message for topic " + message.topic());
    }
    Message traced = message;
    Observation observation = null;
    if (observations != null && !observations.isNoop()) {
      Message.Builder carrier = message.toBuilder();
      observation = MqObservations.startSend(observations, scheme, carrier, message);
      traced = carrier.build();
    }
    Connection c = DataSourceUtils.getConnection(dataSource);
    try {
      return Outbox.write(c, traced);
    } catch (RuntimeException e) {
      if (observation != null) {
        observation.error(e);
      }
      throw e;
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
      if (observation != null) {
        observation.stop();
      }
    }
  }
}
