package io.unimq.spring.internal;

import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.spring.MqPayloadConverter;
import io.unimq.spring.MqTemplate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Function;
import org.springframework.util.ReflectionUtils;

/**
 * Calls an {@code @MqListener} method with arguments bound from the delivery. The method's own
 * exception is rethrown as is, so the subscription's retry policy sees it. Thread-safe.
 */
public final class ListenerMethodInvoker implements MessageHandler {

  private final String id;
  private final Object bean;
  private final Method method;
  private final List<Function<Delivery, Object>> arguments;
  private final ObservationRegistry observations;
  private final String scheme;

  public ListenerMethodInvoker(String id, Object bean, Method method, List<MqPayloadConverter> converters,
      ObservationRegistry observations, String scheme) {
    this.id = id;
    this.bean = bean;
    this.method = method;
    this.observations = observations;
    this.scheme = scheme;
    ReflectionUtils.makeAccessible(method);
    Class<?>[] types = method.getParameterTypes();
    Type[] generic = method.getGenericParameterTypes();
    int bodies = 0;
    this.arguments = new java.util.ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type == Delivery.class) {
        arguments.add(d -> d);
      } else if (type == Message.class) {
        arguments.add(Delivery::message);
      } else {
        bodies++;
        if (type == byte[].class) {
          arguments.add(Delivery::body);
        } else if (type == String.class) {
          arguments.add(Delivery::bodyAsString);
        } else {
          Type target = generic[i];
          arguments.add(d -> decode(converters, d, type, target));
        }
      }
    }
    if (bodies > 1) {
      throw new MqConfigurationException("@MqListener method " + method + " has " + bodies + " parameters that take the body;"
          + " keep one, plus Delivery or Message parameters for the rest");
    }
  }

  private Object decode(List<MqPayloadConverter> converters, Delivery d, Class<?> type, Type target) {
    String contentType = d.header(MqTemplate.CONTENT_TYPE);
    for (MqPayloadConverter c : converters) {
      if (c.canRead(contentType, type)) {
        return d.body() == null ? null : c.read(d.body(), target);
      }
    }
    throw new MqInvalidMessageException("listener '" + id + "': no MqPayloadConverter reads content type " + contentType
        + " into " + target.getTypeName() + " (message " + d.id() + "); declare an MqPayloadConverter bean for it");
  }

  @Override
  public void handle(Delivery delivery) throws Exception {
    Object[] args = new Object[arguments.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = arguments.get(i).apply(delivery);
    }
    if (observations == null || observations.isNoop()) {
      invoke(args);
    } else {
      MqObservations.process(observations, scheme, id, delivery).observeChecked(() -> invoke(args));
    }
  }

  private void invoke(Object[] args) throws Exception {
    try {
      method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
