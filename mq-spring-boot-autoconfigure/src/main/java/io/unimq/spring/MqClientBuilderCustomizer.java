package io.unimq.spring;

import io.unimq.api.Mq;

/** Adjusts the {@link Mq.Builder} of the auto-configured client before it connects. Declare as a bean. */
@FunctionalInterface
public interface MqClientBuilderCustomizer {
  void customize(Mq.Builder builder);
}
