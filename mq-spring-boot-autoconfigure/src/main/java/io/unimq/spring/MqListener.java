package io.unimq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Subscribes a bean method: one subscription of {@link #group()} on {@link #topic()}, started when
 * the application context is ready and closed, draining in-flight calls, before the rest of the
 * context shuts down.
 *
 * <p>Parameters are bound from the delivery: {@link io.unimq.api.Delivery},
 * {@link io.unimq.api.Message}, {@code byte[]} (the body), {@code String} (the body as UTF-8), or
 * any other type, decoded from the body by the first {@link MqPayloadConverter} that reads the
 * message's {@value MqTemplate#CONTENT_TYPE} header (JSON by Jackson when it is on the classpath).
 * At most one parameter may take the body.
 *
 * <p>Returning normally acks the message; an exception is retried by the subscription's retry
 * policy and, once exhausted, sent to the group's dead letters, exactly as for a
 * {@link io.unimq.api.MessageHandler}. The method is called from up to {@link #concurrency()}
 * threads at once, so it must be thread-safe.
 *
 * <p>Every attribute accepts {@code ${...}} placeholders. Attributes left empty take the values of
 * {@code unimq.subscriptions.<id>.*}, then the unimq defaults; a value set in
 * {@code unimq.subscriptions.<id>.*} overrides the attribute, so operations can tune a listener
 * without a code change.
 *
 * <pre>{@code
 * @MqListener(topic = "orders", group = "billing", ordered = "true")
 * void on(Order order) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MqListener {

  /** The listener's id, also the key of its {@code unimq.subscriptions.<id>} settings; defaults to {@code beanName.methodName}. */
  String id() default "";

  /** The topic to consume; required here or in {@code unimq.subscriptions.<id>.topic}. */
  String topic() default "";

  /** The consumer group; required here or in {@code unimq.subscriptions.<id>.group}. */
  String group() default "";

  /** {@code "true"}: same-key messages one at a time, in send order. Default false. */
  String ordered() default "";

  /** Handler calls running at once. Default {@value io.unimq.api.SubscriptionOptions#DEFAULT_CONCURRENCY}. */
  String concurrency() default "";

  /** Messages fetched but not yet acked, at most. Default {@value io.unimq.api.SubscriptionOptions#DEFAULT_PREFETCH}. */
  String prefetch() default "";

  /** Deliveries in all before the message is dead-lettered. Default {@value io.unimq.api.RetryPolicy#DEFAULT_MAX_ATTEMPTS}. */
  String maxAttempts() default "";

  /** Wait before the first retry, as a Boot duration ({@code 500ms}, {@code 2s}). Default 1 s. */
  String initialBackoff() default "";

  /** {@code "false"}: exhausted messages are logged and dropped instead of dead-lettered. Default true. */
  String deadLetter() default "";

  /**
   * {@code "MANUAL"}: the method acks through a {@link io.unimq.api.Delivery} parameter
   * ({@link io.unimq.api.AckMode#MANUAL}); default {@code AUTO}, acked when the method returns.
   */
  String ackMode() default "";

  /** {@code "false"}: registered but not started with the context (start it through {@link MqListenerRegistry}). */
  String autoStartup() default "";
}
