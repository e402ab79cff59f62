package io.unimq.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * unimq settings under {@code unimq.*}. Environment variables bind as usual: {@code UNIMQ_URI},
 * {@code UNIMQ_SUBSCRIPTIONS_<ID>_CONCURRENCY}.
 */
@ConfigurationProperties("unimq")
public class UnimqProperties {

  /**
   * The broker URI, for example kafka://127.0.0.1:9092?partitions=8, rabbitmq://guest:guest@host:5672/
   * or redis://host:6379. The default is the in-process broker (memory:// is memory://default): it
   * needs nothing installed, is shared by the clients of one JVM, and keeps nothing after it stops.
   */
  private String uri = "memory://";

  /**
   * Client options, appended to the URI as its parameters: for example unimq.parameters.sendTimeout=10s or
   * unimq.parameters[kafka.linger.ms]=5 (vendor client settings take the scheme as prefix).
   */
  private Map<String, String> parameters = new LinkedHashMap<>();

  /** Settings of each @MqListener, by listener id; a value set here overrides the annotation's. */
  private Map<String, Subscription> subscriptions = new LinkedHashMap<>();

  private final Listener listener = new Listener();

  private final Transactions transactions = new Transactions();

  private final Outbox outbox = new Outbox();

  private final Health health = new Health();

  private final Tracing tracing = new Tracing();

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public Map<String, String> getParameters() {
    return parameters;
  }

  public void setParameters(Map<String, String> parameters) {
    this.parameters = parameters;
  }

  public Map<String, Subscription> getSubscriptions() {
    return subscriptions;
  }

  public void setSubscriptions(Map<String, Subscription> subscriptions) {
    this.subscriptions = subscriptions;
  }

  public Listener getListener() {
    return listener;
  }

  public Transactions getTransactions() {
    return transactions;
  }

  public Outbox getOutbox() {
    return outbox;
  }

  public Health getHealth() {
    return health;
  }

  public Tracing getTracing() {
    return tracing;
  }

  /** One listener's subscription; unset values fall back to the annotation, then to unimq's defaults. */
  public static class Subscription {

    /** The topic to consume. */
    private String topic;

    /** The consumer group. */
    private String group;

    /** Same-key messages one at a time, in send order. */
    private Boolean ordered;

    /** Handler calls running at once (1 to 1024). */
    private Integer concurrency;

    /** Messages fetched but not yet acked, at most. */
    private Integer prefetch;

    /** Whether exhausted messages go to the group's dead letters (otherwise they are logged and dropped). */
    private Boolean deadLetter;

    /** How long stopping the listener waits for in-flight calls. */
    private Duration drainTimeout;

    /** Whether the listener starts with the application context. */
    private Boolean autoStartup;

    private final Retry retry = new Retry();

    public String getTopic() {
      return topic;
    }

    public void setTopic(String topic) {
      this.topic = topic;
    }

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public Boolean getOrdered() {
      return ordered;
    }

    public void setOrdered(Boolean ordered) {
      this.ordered = ordered;
    }

    public Integer getConcurrency() {
      return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    public Integer getPrefetch() {
      return prefetch;
    }

    public void setPrefetch(Integer prefetch) {
      this.prefetch = prefetch;
    }

    public Boolean getDeadLetter() {
      return deadLetter;
    }

    public void setDeadLetter(Boolean deadLetter) {
      this.deadLetter = deadLetter;
    }

    public Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }

    public Boolean getAutoStartup() {
      return autoStartup;
    }

    public void setAutoStartup(Boolean autoStartup) {
      this.autoStartup = autoStartup;
    }

    public Retry getRetry() {
      return retry;
    }
  }

  /** Retry policy of a subscription: at most max-attempts deliveries, waiting initial-backoff x multiplier^(n-1), capped. */
  public static class Retry {

    /** Deliveries in all before the message is dead-lettered (1: no retry). */
    private Integer maxAttempts;

    /** Wait before the first retry. */
    private Duration initialBackoff;

    /** Growth of the wait per retry (at least 1.0). */
    private Double multiplier;

    /** Longest wait between retries. */
    private Duration maxBackoff;

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Double getMultiplier() {
      return multiplier;
    }

    public void setMultiplier(Double multiplier) {
      this.multiplier = multiplier;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** All listeners. */
  public static class Listener {

    /** Whether @MqListener methods start with the application context. */
    private boolean autoStartup = true;

    public boolean isAutoStartup() {
      return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }
  }

  /** The TransactionalProducer bean, created when a TransactionChecker bean exists. */
  public static class Transactions {

    /** Producer group of the half messages; the checker answers for every half message of the group. */
    private String producerGroup = "unimq-tx";

    public String getProducerGroup() {
      return producerGroup;
    }

    public void setProducerGroup(String producerGroup) {
      this.producerGroup = producerGroup;
    }
  }

  /** The transactional outbox, set up when mq-outbox is on the classpath and a DataSource bean exists. */
  public static class Outbox {

    /** Whether to set up the outbox and its relay. */
    private boolean enabled = true;

    /** Whether to create the outbox tables (CREATE TABLE IF NOT EXISTS) on start. */
    private boolean createSchema = true;

    /** Names the relay in thread names, logs and the outbox meter tag. */
    private String name = "default";

    /** Pause between live passes of the relay once pending rows are drained. */
    private Duration interval = Duration.ofMillis(200);

    /** How long a row stays pending before the compensation sweep sends it again. */
    private Duration sweepDelay = Duration.ofSeconds(30);

    /** Rows per relay transaction. */
    private int batchSize = 500;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isCreateSchema() {
      return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getSweepDelay() {
      return sweepDelay;
    }

    public void setSweepDelay(Duration sweepDelay) {
      this.sweepDelay = sweepDelay;
    }

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }
  }

  /** The unimq health indicator. */
  public static class Health {

    /** Topic whose lag the health check reads (a round trip to the broker), for the group unimq-health. */
    private String topic = "unimq-health";

    /** How long the health check waits for the broker before reporting DOWN. */
    private Duration timeout = Duration.ofSeconds(5);

    public String getTopic() {
      return topic;
    }

    public void setTopic(String topic) {
      this.topic = topic;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** Micrometer Observation of sends and listener calls (spans when Boot's tracing is set up). */
  public static class Tracing {

    /** Whether sends and listener calls are observed, propagating the trace in the traceparent header. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
