package io.unimq.spring.boot.autoconfigure;

import io.unimq.api.MqClient;
import io.unimq.spring.MqListenerRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code unimq} health indicator and the {@code /actuator/unimq} endpoint, when the actuator is present. */
@AutoConfiguration(after = UnimqAutoConfiguration.class)
@ConditionalOnBean(MqClient.class)
public class UnimqActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("unimq")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "unimqHealthIndicator")
    UnimqHealthIndicator unimqHealthIndicator(MqClient client, UnimqProperties properties) {
      return new UnimqHealthIndicator(client, properties.getHealth().getTopic(), properties.getHealth().getTimeout());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  @ConditionalOnAvailableEndpoint(UnimqEndpoint.class)
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    UnimqEndpoint unimqEndpoint(MqClient client, MqListenerRegistry registry) {
      return new UnimqEndpoint(client, registry);
    }
  }
}
