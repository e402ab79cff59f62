package io.unimq.rocketmq.internal;

import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.OffsetWrapper;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Topology through the name server and broker ({@code DefaultMQAdminExt}): the four physical topics
 * of a unimq topic, consumer groups (FIFO when ordered, native retry bounded high so that the engine
 * decides), the group's readable dead-letter topic, offsets, lag, and the name server's KV store for
 * the transactional topics of a producer group. Thread-safe.
 */
final class RocketTopology implements AutoCloseable {
  /** Native retries far above any unimq policy: the engine, not the broker, decides to dead-letter. */
  static final int NATIVE_RETRY_MAX_TIMES = 10_000;
  private static final String TX_NAMESPACE = "unimq-tx-topics-";
  private static final int PERM_READ_WRITE = PermName.PERM_READ | PermName.PERM_WRITE;

  private final DefaultMQAdminExt admin;
  private final String namesrv;
  private final String brokerAddr;
  private final String brokerName;
  private final int queues;
  private final int fifoQueues;
  private final long timeoutMillis;
  private final long timerMaxDelayMillis;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  /** The admin client's credentials (null: none) and TLS, for the other remoting clients (the dead-letter reader). */
  private volatile RocketCredentials credentials;
  private volatile boolean tls;

  private RocketTopology(DefaultMQAdminExt admin, String namesrv, BrokerData broker, int queues, int fifoQueues,
      long timeoutMillis, long timerMaxDelayMillis) {
    this.admin = admin;
    this.namesrv = namesrv;
    this.brokerAddr = broker.selectBrokerAddr();
    this.brokerName = broker.getBrokerName();
    this.queues = queues;
    this.fifoQueues = fifoQueues;
    this.timeoutMillis = timeoutMillis;
    this.timerMaxDelayMillis = timerMaxDelayMillis;
  }

  /**
   * Starts the admin client and finds the master broker; fails fast when the name server is down.
   * New FIFO topics get {@code fifoQueues} queues, the others {@code queues}. With {@code credentials} (null: none)
   * every request is signed (ACL); with {@code tls}, remoting runs over TLS (trusting any server certificate unless
   * the JVM's {@code tls.client.*} system properties of RocketMQ's remoting say otherwise).
   */
  static RocketTopology start(String namesrv, int queues, int fifoQueues, Duration timeout, RocketCredentials credentials,
      boolean tls) {
    DefaultMQAdminExt admin = credentials == null ? new DefaultMQAdminExt(timeout.toMillis())
        : new DefaultMQAdminExt(credentials.rpcHook(), timeout.toMillis());
    admin.setUseTLS(tls);
    admin.setNamesrvAddr(namesrv);
    admin.setInstanceName("unimq-admin-" + System.nanoTime());
    admin.setVipChannelEnabled(false);
    try {
      admin.start();
      ClusterInfo info = admin.examineBrokerClusterInfo();
      BrokerData broker = info.getBrokerAddrTable().values().stream()
          .filter(b -> b.selectBrokerAddr() != null).findFirst()
          .orElseThrow(() -> new MqConnectionException("no broker is registered with the name server " + namesrv, null));
      Properties config = admin.getBrokerConfig(broker.selectBrokerAddr());
      long maxDelay = Long.parseLong(config.getProperty("timerMaxDelaySec", "259200")) * 1000L;
      RocketTopology topology = new RocketTopology(admin, namesrv, broker, queues, fifoQueues, timeout.toMillis(), maxDelay);
      topology.credentials = credentials;
      topology.tls = tls;
      return topology;
    } catch (MqException e) {
      admin.shutdown();
      throw e;
    } catch (Exception e) {
      admin.shutdown();
      throw RocketErrors.translate(e, "cannot reach the RocketMQ name server " + namesrv + " or its broker");
    }
  }

  /** A new remoting consumer of {@code group} with the admin client's credentials and TLS. */
  org.apache.rocketmq.client.consumer.DefaultMQPullConsumer newPullConsumer(String group) {
    var c = credentials == null ? new org.apache.rocketmq.client.consumer.DefaultMQPullConsumer(group)
        : new org.apache.rocketmq.client.consumer.DefaultMQPullConsumer(group, credentials.rpcHook());
    c.setUseTLS(tls);
    return c;
  }

  String brokerName() {
    return brokerName;
  }

  String namesrv() {
    return namesrv;
  }

  /** The broker's {@code timerMaxDelaySec}: the longest delay the timer accepts. */
  long timerMaxDelayMillis() {
    return timerMaxDelayMillis;
  }

  /**
   * Creates those of the four physical topics of {@code logical} that do not exist yet. An existing
   * topic keeps its queue count and type: the first client fixes them (resizing a FIFO topic would
   * move keys to other queues while messages are in flight). Idempotent.
   */
  void declareTopic(String logical) {
    if (topics.contains(logical)) {
      return;
    }
    call("create the topics of '" + logical + "'", () -> {
      List<TopicConfig> missing = new ArrayList<>();
      for (PhysicalTopic p : PhysicalTopic.values()) {
        if (!topicExists(p.of(logical))) {
          missing.add(topicConfig(p.of(logical), p == PhysicalTopic.FIFO ? fifoQueues : queues, p.messageType()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createAndUpdateTopicConfigList(brokerAddr, missing);
      }
      return null;
    });
    topics.add(logical);
  }

  boolean topicExists(String topic) throws Exception {
    try {
      return admin.examineTopicConfig(brokerAddr, topic) != null;
    } catch (org.apache.rocketmq.client.exception.MQBrokerException e) {
      if (e.getResponseCode() == org.apache.rocketmq.remoting.protocol.ResponseCode.TOPIC_NOT_EXIST) {
        return false;
      }
      throw e;
    }
  }

  private static TopicConfig topicConfig(String name, int queues, String messageType) {
    TopicConfig c = new TopicConfig(name, queues, queues, PERM_READ_WRITE);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("+message.type", messageType);
    c.setAttributes(attributes);
    return c;
  }

  /**
   * Creates the consumer group if it does not exist, positioned at the end of every physical topic of
   * {@code logical} (a new group must not see older messages, which the broker would otherwise hand
   * out while they are in memory), with its readable dead-letter topic. An existing group is left
   * where it is, made FIFO if {@code ordered}.
   */
  void declareGroup(String logical, String group, boolean ordered) {
    String cacheKey = logical + '\u0000' + group + '\u0000' + ordered;
    if (groups.contains(cacheKey)) {
      return;
    }
    declareTopic(logical);
    call("declare the group '" + group + "'", () -> {
      SubscriptionGroupConfig existing = examineGroup(group);
      if (existing == null) {
        // DLQ first, so that dead letters never meet the broker's write-only default
        admin.createAndUpdateTopicConfig(brokerAddr, topicConfig(PhysicalTopic.deadLetterTopic(group), 1, "NORMAL"));
        admin.createAndUpdateSubscriptionGroupConfig(brokerAddr, groupConfig(group, ordered));
        positionAtEnd(group, logical);
      } else if (ordered && !existing.isConsumeMessageOrderly()) {
        existing.setConsumeMessageOrderly(true);
        admin.createAndUpdateSubscriptionGroupConfig(brokerAddr, existing);
      }
      return null;
    });
    groups.add(cacheKey);
  }

  private SubscriptionGroupConfig examineGroup(String group) throws Exception {
    try {
      return admin.examineSubscriptionGroupConfig(brokerAddr, group);
    } catch (org.apache.rocketmq.client.exception.MQBrokerException e) {
      return null;
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("not exist")) {
        return null;
      }
      throw e;
    }
  }

  static SubscriptionGroupConfig groupConfig(String group, boolean ordered) {
    SubscriptionGroupConfig c = new SubscriptionGroupConfig();
    c.setGroupName(group);
    c.setConsumeMessageOrderly(ordered);
    // no group retry policy: it drives push consumers only; a SimpleConsumer's message comes back
    // when its invisible time ends, which each retry sets to the engine's backoff
    c.setRetryMaxTimes(NATIVE_RETRY_MAX_TIMES);
    return c;
  }

  private void positionAtEnd(String group, String logical) throws Exception {
    for (PhysicalTopic p : PhysicalTopic.values()) {
      TopicStatsTable stats = admin.examineTopicStats(brokerAddr, p.of(logical));
      for (Map.Entry<MessageQueue, TopicOffset> e : stats.getOffsetTable().entrySet()) {
        admin.updateConsumeOffset(brokerAddr, group, e.getKey(), e.getValue().getMaxOffset());
      }
    }
  }

  /**
   * Messages of the group's physical and pop-retry topics not yet handed out: broker offset minus
   * consumer offset. Asked with an explicit topic list, which the broker answers without checking
   * the group's (per-client, changing) subscription.
   */
  long backlog(String logical, String group) {
    List<String> list = new ArrayList<>();
    for (PhysicalTopic p : PhysicalTopic.values()) {
      list.add(p.of(logical));
      list.add("%RETRY%" + group + "_" + p.of(logical));
    }
    return call("read the lag of '" + group + "'", () -> {
      ConsumeStats stats = admin.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
          .getConsumeStats(brokerAddr, group, list, timeoutMillis);
      long n = 0;
      for (OffsetWrapper w : stats.getOffsetTable().values()) {
        n += Math.max(0, w.getBrokerOffset() - w.getConsumerOffset());
      }
      return n;
    });
  }

  /** The committed offset of {@code group} on queue 0 of {@code topic} (0 when none). */
  long committedOffset(String group, String topic) {
    return call("read an offset of '" + group + "'", () -> {
      ConsumeStats stats = admin.examineConsumeStats(brokerAddr, group, topic, timeoutMillis);
      return stats.getOffsetTable().values().stream().mapToLong(OffsetWrapper::getConsumerOffset).max().orElse(0L);
    });
  }

  long maxOffset(MessageQueue mq) {
    return call("read the end of " + mq.getTopic(), () -> admin.maxOffset(mq));
  }

  /** Creates {@code group} as a plain group if missing (cursor groups have no consumers) and commits an offset. */
  void commitOffset(String group, MessageQueue mq, long offset) {
    call("commit an offset of '" + group + "'", () -> {
      if (groups.add("cursor\u0000" + group)) {
        admin.createAndUpdateSubscriptionGroupConfig(brokerAddr, groupConfig(group, false));
      }
      admin.updateConsumeOffset(brokerAddr, group, mq, offset);
      return null;
    });
  }

  /** Records durably (name server KV) that {@code producerGroup} sends half messages to {@code txTopic}. */
  void recordTransactionalTopic(String producerGroup, String txTopic) {
    call("record a transactional topic", () -> {
      admin.createAndUpdateKvConfig(TX_NAMESPACE + producerGroup, txTopic, "1");
      return null;
    });
  }

  /** The transactional topics recorded for {@code producerGroup}, from any process. */
  Set<String> transactionalTopics(String producerGroup) {
    try {
      KVTable table = admin.getKVListByNamespace(TX_NAMESPACE + producerGroup);
      return Set.copyOf(table.getTable().keySet());
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(RocketTopology.class).debug("no transactional topics for {}: {}", producerGroup, e.toString());
      return Set.of(); // namespace not found: nothing recorded yet
    }
  }

  DefaultMQAdminExt admin() {
    return admin;
  }

  /** The consumer groups with offsets on {@code physicalTopic}, asked of the broker. */
  Set<String> consumersOf(String physicalTopic) {
    return call("list the groups of " + physicalTopic, () -> admin.getDefaultMQAdminExtImpl().getMqClientInstance()
        .getMQClientAPIImpl().queryTopicConsumeByWho(brokerAddr, physicalTopic, timeoutMillis).getGroupList());
  }

  /**
   * The client connections of {@code group}, asked of the broker: 0 when it answers that the group
   * has no consumer online, {@link io.unimq.api.GroupInfo#UNKNOWN} when it cannot be asked.
   */
  int connections(String group) {
    try {
      return admin.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
          .getConsumerConnectionList(brokerAddr, group, timeoutMillis).getConnectionSet().size();
    } catch (org.apache.rocketmq.client.exception.MQBrokerException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return io.unimq.api.GroupInfo.UNKNOWN;
    } catch (Exception e) {
      return io.unimq.api.GroupInfo.UNKNOWN;
    }
  }

  /** The topics {@code group} has offsets on, asked of the broker. */
  Set<String> topicsOf(String group) {
    return call("list the topics of group '" + group + "'", () -> admin.getDefaultMQAdminExtImpl().getMqClientInstance()
        .getMQClientAPIImpl().queryTopicsByConsumer(brokerAddr, group, timeoutMillis).getTopicList());
  }

  /** Deletes the consumer group and its offsets, and forgets that it was declared. */
  void deleteGroup(String group) {
    call("delete the group '" + group + "'", () -> {
      admin.deleteSubscriptionGroup(brokerAddr, group, true);
      return null;
    });
    groups.removeIf(k -> k.contains("\u0000" + group + "\u0000"));
  }

  @Override
  public void close() {
    admin.shutdown();
  }

  interface AdminCall<T> {
    T run() throws Exception;
  }

  <T> T call(String what, AdminCall<T> c) {
    try {
      return c.run();
    } catch (MqException e) {
      throw e;
    } catch (InterruptedException e) {
      throw RocketErrors.interrupted(e, what);
    } catch (Exception e) {
      throw RocketErrors.translate(e, "could not " + what + " on the RocketMQ broker " + brokerAddr + " (name server " + namesrv + ")");
    }
  }
}
