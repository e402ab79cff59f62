package io.unimq.spring.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.AckMode;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spring.MqListener;
import io.unimq.spring.MqListenerContainer;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.MqPayloadConverter;
import io.unimq.spring.internal.ListenerMethodInvoker;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link MqListener} methods on beans and registers their containers with the
 * {@link MqListenerRegistry}, once every singleton exists (so that a listener bean may itself define
 * beans the client or the tracing needs); methods of beans created later register at once.
 */
class MqListenerAnnotationProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

  private record Found(Object bean, String beanName, Method method, MqListener annotation) {}

  private ConfigurableBeanFactory beanFactory;
  private final List<Found> pending = new ArrayList<>();
  private boolean singletonsReady;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ConfigurableBeanFactory) beanFactory;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (type.getName().startsWith("java.") || type.getName().startsWith("org.springframework.")) {
      return bean;
    }
    Map<Method, MqListener> methods = MethodIntrospector.selectMethods(type,
        (MethodIntrospector.MetadataLookup<MqListener>) m -> AnnotatedElementUtils.findMergedAnnotation(m, MqListener.class));
    methods.forEach((method, annotation) -> {
      Found found = new Found(bean, beanName, AopUtils.selectInvocableMethod(method, bean.getClass()), annotation);
      synchronized (pending) {
        if (!singletonsReady) {
          pending.add(found);
          return;
        }
      }
      register(found.bean(), found.beanName(), found.method(), found.annotation());
    });
    return bean;
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<Found> all;
    synchronized (pending) {
      singletonsReady = true;
      all = List.copyOf(pending);
      pending.clear();
    }
    all.forEach(f -> register(f.bean(), f.beanName(), f.method(), f.annotation()));
  }

  @SuppressWarnings("unchecked")
  private void register(Object bean, String beanName, Method method, MqListener a) {
    UnimqProperties properties = beanFactory.getBean(UnimqProperties.class);
    MqClient client = beanFactory.getBean(MqClient.class);
    MqListenerRegistry registry = beanFactory.getBean(MqListenerRegistry.class);
    List<MqPayloadConverter> converters = (List<MqPayloadConverter>) beanFactory.getBean(UnimqAutoConfiguration.CONVERTERS);
    ObservationRegistry observations = properties.getTracing().isEnabled()
        ? beanFactory.getBeanProvider(ObservationRegistry.class).getIfAvailable() : null;

    String id = text(a.id());
    if (id == null) {
      id = beanName + "-" + method.getName();
    }
    UnimqProperties.Subscription s = properties.getSubscriptions().getOrDefault(id, new UnimqProperties.Subscription());
    String where = "@MqListener '" + id + "' (" + method + ")";
    String topic = first(s.getTopic(), text(a.topic()));
    String group = first(s.getGroup(), text(a.group()));
    if (topic == null || group == null) {
      throw new MqConfigurationException(where + " has no " + (topic == null ? "topic" : "group")
          + ": set it in the annotation or in unimq.subscriptions." + id + "." + (topic == null ? "topic" : "group"));
    }
    SubscriptionOptions.Builder o = SubscriptionOptions.builder();
    Boolean ordered = first(s.getOrdered(), value(a.ordered(), Boolean::valueOf));
    if (ordered != null) {
      o.ordered(ordered);
    }
    Integer concurrency = first(s.getConcurrency(), value(a.concurrency(), Integer::valueOf));
    if (concurrency != null) {
      o.concurrency(concurrency);
    }
    Integer prefetch = first(s.getPrefetch(), value(a.prefetch(), Integer::valueOf));
    if (prefetch != null) {
      o.prefetch(prefetch);
    }
    Boolean deadLetter = first(s.getDeadLetter(), value(a.deadLetter(), Boolean::valueOf));
    if (deadLetter != null) {
      o.deadLetter(deadLetter);
    }
    AckMode ackMode = value(a.ackMode(), v -> AckMode.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
    if (ackMode != null) {
      o.ackMode(ackMode);
    }
    if (s.getDrainTimeout() != null) {
      o.drainTimeout(s.getDrainTimeout());
    }
    RetryPolicy.Builder r = RetryPolicy.builder();
    UnimqProperties.Retry retry = s.getRetry();
    Integer maxAttempts = first(retry.getMaxAttempts(), value(a.maxAttempts(), Integer::valueOf));
    if (maxAttempts != null) {
      r.maxAttempts(maxAttempts);
    }
    Duration initialBackoff = first(retry.getInitialBackoff(), value(a.initialBackoff(), DurationStyle::detectAndParse));
    if (initialBackoff != null) {
      r.initialBackoff(initialBackoff);
    }
    if (retry.getMultiplier() != null) {
      r.multiplier(retry.getMultiplier());
    }
    if (retry.getMaxBackoff() != null) {
      r.maxBackoff(retry.getMaxBackoff());
    }
    o.retryPolicy(r.build());
    Boolean autoStartup = first(s.getAutoStartup(), value(a.autoStartup(), Boolean::valueOf));
    boolean start = autoStartup != null ? autoStartup : properties.getListener().isAutoStartup();

    ListenerMethodInvoker invoker = new ListenerMethodInvoker(id, bean, method, converters, observations, client.scheme());
    registry.register(new MqListenerContainer(id, topic, group, o.build(), start, invoker, client));
  }

  private String text(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    String resolved = beanFactory.resolveEmbeddedValue(raw);
    return resolved == null || resolved.isEmpty() ? null : resolved;
  }

  private <T> T value(String raw, Function<String, T> parse) {
    String t = text(raw);
    if (t == null) {
      return null;
    }
    try {
      return parse.apply(t.trim());
    } catch (RuntimeException e) {
      throw new MqConfigurationException("@MqListener attribute value '" + t + "' is not valid: " + e.getMessage(), e);
    }
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }
}
