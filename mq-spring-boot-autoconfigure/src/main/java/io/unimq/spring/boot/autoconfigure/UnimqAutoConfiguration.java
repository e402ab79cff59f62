package io.unimq.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Producer;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionalProducer;
import io.unimq.spring.MqClientBuilderCustomizer;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.MqPayloadConverter;
import io.unimq.spring.MqTemplate;
import io.unimq.spring.internal.Converters;
import io.unimq.spring.internal.JsonConverter;
import io.unimq.spring.internal.ObservedProducer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The unimq client ({@code unimq.uri}, {@code memory://} by default), its producer, an
 * {@link MqTemplate}, the {@link MqListenerRegistry} running {@code @MqListener} methods, and a
 * {@link TransactionalProducer} when a {@link TransactionChecker} bean exists. Meters go to the
 * application's {@code MeterRegistry}; sends and listener calls are observed through its
 * {@code ObservationRegistry}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
    "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@EnableConfigurationProperties(UnimqProperties.class)
public class UnimqAutoConfiguration {

  /** The bean name of the ordered list of payload converters (user beans first, then the built-in ones). */
  public static final String CONVERTERS = "unimqPayloadConverters";

  /** Closed after the beans that use it; the listeners have stopped before, as a lifecycle. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  MqClient mqClient(UnimqProperties properties, ObjectProvider<MqClientBuilderCustomizer> customizers) {
    Mq.Builder builder = Mq.builder(brokerUri(properties.getUri(), properties.getParameters()));
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.connect();
  }

  /**
   * The URI with {@code parameters} appended; {@code memory://} alone (or with parameters only) names
   * the in-process broker {@code default}.
   */
  static String brokerUri(String uri, Map<String, String> parameters) {
    if (uri != null && uri.startsWith("memory://") && (uri.length() == 9 || uri.charAt(9) == '?')) {
      uri = "memory://default" + uri.substring(9);
    }
    if (uri == null || parameters.isEmpty()) {
      return uri;
    }
    StringBuilder b = new StringBuilder(uri);
    char separator = uri.indexOf('?') < 0 ? '?' : '&';
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      b.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      separator = '&';
    }
    return b.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  /** The client's shared producer (observed when tracing is on); closed by the client, not as a bean. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  Producer mqProducer(MqClient client, UnimqProperties properties, ObjectProvider<ObservationRegistry> observations) {
    ObservationRegistry registry = observations.getIfAvailable();
    if (properties.getTracing().isEnabled() && registry != null && !registry.isNoop()) {
      return new ObservedProducer(client.producer(), registry, client.scheme());
    }
    return client.producer();
  }

  @Bean(CONVERTERS)
  List<MqPayloadConverter> unimqPayloadConverters(ObjectProvider<MqPayloadConverter> custom,
      ObjectProvider<JsonMapperHolder> json) {
    List<MqPayloadConverter> all = new ArrayList<>();
    custom.orderedStream().forEach(all::add);
    all.add(Converters.text());
    all.add(Converters.bytes());
    JsonMapperHolder holder = json.getIfAvailable();
    if (holder != null) {
      all.add(holder.converter);
    }
    return List.copyOf(all);
  }

  @Bean
  @ConditionalOnMissingBean
  MqTemplate mqTemplate(Producer producer, @Qualifier(CONVERTERS) List<MqPayloadConverter> converters) {
    return new MqTemplate(producer, converters);
  }

  @Bean
  @ConditionalOnMissingBean
  MqListenerRegistry mqListenerRegistry() {
    return new MqListenerRegistry();
  }

  @Bean
  static MqListenerAnnotationProcessor mqListenerAnnotationProcessor() {
    return new MqListenerAnnotationProcessor();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnBean(TransactionChecker.class)
  @ConditionalOnMissingBean
  TransactionalProducer mqTransactionalProducer(MqClient client, TransactionChecker checker, UnimqProperties properties) {
    return client.transactionalProducer(properties.getTransactions().getProducerGroup(), checker);
  }

  /** The JSON converter, by the application's Jackson {@code JsonMapper} (or a default one). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JsonMapper.class)
  static class JsonConfiguration {
    @Bean
    JsonMapperHolder unimqJsonConverter(ObjectProvider<JsonMapper> mapper) {
      return new JsonMapperHolder(JsonConverter.json(mapper.getIfAvailable(() -> JsonMapper.builder().findAndAddModules().build())));
    }
  }

  /** Meters in the application's registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {
    @Bean
    MqClientBuilderCustomizer unimqMeterRegistryCustomizer(MeterRegistry registry) {
      return builder -> builder.meterRegistry(registry);
    }
  }

  /**
   * With tracing on and an {@code ObservationRegistry}, the starter's observations make the send and
   * process spans: the client makes no OpenTelemetry spans of its own, so that each operation has one.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  static class ObservationSpansConfiguration {
    @Bean
    MqClientBuilderCustomizer unimqObservationSpansCustomizer(UnimqProperties properties,
        ObjectProvider<ObservationRegistry> observations) {
      return builder -> {
        ObservationRegistry registry = observations.getIfAvailable();
        if (properties.getTracing().isEnabled() && registry != null && !registry.isNoop()) {
          builder.openTelemetrySpans(false);
        }
      };
    }
  }

  /** Holds the JSON converter under a type of its own, so it is not mistaken for an application's converter bean. */
  static final class JsonMapperHolder {
    final MqPayloadConverter converter;

    JsonMapperHolder(MqPayloadConverter converter) {
      this.converter = converter;
    }
  }
}
