package io.unimq.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.MqClient;
import io.unimq.outbox.Dialect;
import io.unimq.outbox.OutboxException;
import io.unimq.outbox.OutboxRelay;
import io.unimq.outbox.OutboxSchema;
import io.unimq.spring.MqPayloadConverter;
import io.unimq.spring.TransactionalOutbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * With mq-outbox on the classpath and a {@link DataSource} bean: the outbox tables (unless
 * {@code unimq.outbox.create-schema=false}), a {@link TransactionalOutbox} writing in the current
 * transaction, and an {@link OutboxRelay} publishing through the client's producer, started with the
 * context and closed on shutdown after the listeners.
 */
@AutoConfiguration(after = UnimqAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({OutboxRelay.class, DataSourceUtils.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "unimq.outbox", name = "enabled", matchIfMissing = true)
public class UnimqOutboxAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  TransactionalOutbox transactionalOutbox(DataSource dataSource, UnimqProperties properties,
      @Qualifier(UnimqAutoConfiguration.CONVERTERS) List<MqPayloadConverter> converters,
      ObjectProvider<ObservationRegistry> observations, MqClient client) {
    if (properties.getOutbox().isCreateSchema()) {
      try (Connection c = dataSource.getConnection()) {
        OutboxSchema.create(c, Dialect.of(c));
      } catch (SQLException e) {
        throw new OutboxException("cannot create the outbox tables: " + e.getMessage(), e);
      }
    }
    ObservationRegistry registry = properties.getTracing().isEnabled() ? observations.getIfAvailable() : null;
    return new TransactionalOutbox(dataSource, converters, registry, client.scheme());
  }

  /** Built here, started and closed by {@link #outboxRelayLifecycle}. Sends through the client's producer, unobserved: the trace context was written with the row. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  OutboxRelay outboxRelay(DataSource dataSource, MqClient client, UnimqProperties properties, TransactionalOutbox schemaFirst,
      ObjectProvider<MeterRegistryHolder> meters) {
    UnimqProperties.Outbox o = properties.getOutbox();
    OutboxRelay.Builder b = OutboxRelay.builder(dataSource, client.producer()).name(o.getName()).interval(o.getInterval())
        .sweepDelay(o.getSweepDelay()).batchSize(o.getBatchSize());
    MeterRegistryHolder holder = meters.getIfAvailable();
    if (holder != null) {
      b.meterRegistry(holder.registry);
    }
    return b.build();
  }

  @Bean
  SmartLifecycle outboxRelayLifecycle(OutboxRelay relay) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        relay.start();
        running = true;
      }

      @Override
      public void stop() {
        running = false;
        relay.close();
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        return io.unimq.spring.MqListenerRegistry.PHASE - 1;
      }
    };
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class Metrics {
    @Bean
    MeterRegistryHolder unimqOutboxMeterRegistry(MeterRegistry registry) {
      return new MeterRegistryHolder(registry);
    }
  }

  static final class MeterRegistryHolder {
    final Object registry;

    MeterRegistryHolder(Object registry) {
      this.registry = registry;
    }
  }
}
