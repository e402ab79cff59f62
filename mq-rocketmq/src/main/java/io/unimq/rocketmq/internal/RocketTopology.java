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
 * Topology through the name servers and brokers ({@code DefaultMQAdminExt}): the four physical topics
 * of a unimq topic, consumer groups (FIFO when ordered, native retry bounded high so that the engine
 * decides), the group's readable dead-letter topic, offsets, lag, and the name server's KV store for
 * the transactional topics of a producer group. Thread-safe.
 *
 * <p>On a cluster of several broker groups, topics and groups are created on the master of every group
 * the name servers list, so that the proxies route sends to all of them and sends go on while one group
 * is down. A group whose master is down when a topic is declared gets it later: the master list is read
 * again every {@link #REFRESH_MILLIS} ms, and a master that was missed or is new makes the next
 * declaration create what is missing on it. A consumer group's dead-letter topic lives on one broker
 * group only, the home group (the first master by broker name when the client connects), where it is read.
 */
final class RocketTopology implements AutoCloseable {
  /** Native retries far above any unimq policy: the engine, not the broker, decides to dead-letter. */
  static final int NATIVE_RETRY_MAX_TIMES = 10_000;
  private static final String TX_NAMESPACE = "unimq-tx-topics-";
  private static final int PERM_READ_WRITE = PermName.PERM_READ | PermName.PERM_WRITE;
  /** How often the masters are listed again. */
  static final long REFRESH_MILLIS = 10_000;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RocketTopology.class);

  /** The master of one broker group. */
  record Master(String name, String addr) {}

  private final DefaultMQAdminExt admin;
  private final String namesrv;
  private final String brokerAddr;
  private final String brokerName;
  private volatile List<Master> masters;
  /** Set when a declaration missed a master (down): the next refresh forgets what was declared. */
  private volatile boolean incomplete;
  private final java.util.concurrent.ScheduledExecutorService refresher;
  private final int queues;
  private final int fifoQueues;
  private final long timeoutMillis;
  private final long timerMaxDelayMillis;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  /** The admin client's credentials (null: none) and TLS, for the other remoting clients (the dead-letter reader). */
  private volatile RocketCredentials credentials;
  private volatile boolean tls;
  /** The proxies' remoting endpoints, asked for a group's connections. */
  private volatile List<String> proxyRemoting = List.of();
  /** Proxy remoting endpoints that did not answer, until when they are not asked (System.nanoTime). */
  private final Map<String, Long> silentProxies = new ConcurrentHashMap<>();

  private RocketTopology(DefaultMQAdminExt admin, String namesrv, List<Master> masters, int queues, int fifoQueues,
      long timeoutMillis, long timerMaxDelayMillis) {
    this.admin = admin;
    this.namesrv = namesrv;
    this.masters = masters;
    this.brokerAddr = masters.get(0).addr();
    this.brokerName = masters.get(0).name();
    this.queues = queues;
    this.fifoQueues = fifoQueues;
    this.timeoutMillis = timeoutMillis;
    this.timerMaxDelayMillis = timerMaxDelayMillis;
    this.refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "unimq-rocketmq-masters");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleWithFixedDelay(this::refreshMasters, REFRESH_MILLIS, REFRESH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The master of every broker group the name servers list, sorted by broker name. */
  private static List<Master> listMasters(DefaultMQAdminExt admin) throws Exception {
    ClusterInfo info = admin.examineBrokerClusterInfo();
    List<Master> out = new ArrayList<>();
    for (BrokerData b : info.getBrokerAddrTable().values()) {
      String addr = b.getBrokerAddrs() == null ? null : b.getBrokerAddrs().get(org.apache.rocketmq.common.MixAll.MASTER_ID);
      if (addr != null) {
        out.add(new Master(b.getBrokerName(), addr));
      }
    }
    out.sort(java.util.Comparator.comparing(Master::name));
    return List.copyOf(out);
  }

  /** Lists the masters again; a new master, or a declaration that missed one, makes the next declarations check every master. */
  void refreshMasters() {
    try {
      List<Master> now = listMasters(admin);
      if (now.isEmpty()) {
        return; // the name servers are unreachable or restarting: keep the last list
      }
      boolean added = !new java.util.HashSet<>(masters).containsAll(now);
      masters = now;
      if (added || incomplete) {
        incomplete = false;
        topics.clear();
        groups.removeIf(k -> !k.startsWith("cursor\u0000"));
      }
    } catch (Exception e) {
      log.debug("could not list the RocketMQ masters: {}", e.toString());
    }
  }

  /** The masters of the broker groups, as last listed. */
  List<Master> masters() {
    return masters;
  }

  /**
   * Runs {@code c} on every master; fails only when it failed on all of them (then with the first
   * failure). A master that failed while others did not is logged and retried after the next refresh.
   */
  private void onEveryMaster(String what, MasterCall c) throws Exception {
    Exception first = null;
    int ok = 0;
    for (Master m : masters) {
      try {
        c.run(m);
        ok++;
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
        log.warn("could not {} on the RocketMQ broker group {} ({}): {}; retried once the group answers", what, m.name(), m.addr(),
            e.toString());
      }
    }
    if (ok == 0 && first != null) {
      throw first;
    }
    if (first != null) {
      incomplete = true;
    }
  }

  interface MasterCall {
    void run(Master m) throws Exception;
  }

  /**
   * Starts the admin client and finds the master broker; fails fast when the name server is down.
   * New FIFO topics get {@code fifoQueues} queues, the others {@code queues}. With {@code credentials} (null: none)
   * every request is signed (ACL); with {@code tls}, remoting runs over TLS (trusting any server certificate unless
   * the JVM's {@code tls.client.*} system properties of RocketMQ's remoting say otherwise).
   */
  static RocketTopology start(String namesrv, int queues, int fifoQueues, Duration timeout, RocketCredentials credentials,
      boolean tls, List<String> proxyRemoting) {
    DefaultMQAdminExt admin = credentials == null ? new DefaultMQAdminExt(timeout.toMillis())
        : new DefaultMQAdminExt(credentials.rpcHook(), timeout.toMillis());
    admin.setUseTLS(tls);
    admin.setNamesrvAddr(namesrv);
    admin.setInstanceName("unimq-admin-" + System.nanoTime());
    admin.setVipChannelEnabled(false);
    try {
      admin.start();
      List<Master> masters = listMasters(admin);
      if (masters.isEmpty()) {
        throw new MqConnectionException("no broker master is registered with the name server(s) " + namesrv, null);
      }
      Properties config = admin.getBrokerConfig(masters.get(0).addr());
      long maxDelay = Long.parseLong(config.getProperty("timerMaxDelaySec", "259200")) * 1000L;
      RocketTopology topology = new RocketTopology(admin, namesrv, masters, queues, fifoQueues, timeout.toMillis(), maxDelay);
      topology.credentials = credentials;
      topology.tls = tls;
      topology.proxyRemoting = List.copyOf(proxyRemoting);
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

  /** The home broker group: where this client reads and keeps dead letters. */
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
      onEveryMaster("create the topics of '" + logical + "'", m -> {
        List<TopicConfig> missing = new ArrayList<>();
        for (PhysicalTopic p : PhysicalTopic.values()) {
          if (!topicExists(m.addr(), p.of(logical))) {
            missing.add(topicConfig(p.of(logical), p == PhysicalTopic.FIFO ? fifoQueues : queues, p.messageType()));
          }
        }
        if (!missing.isEmpty()) {
          admin.createAndUpdateTopicConfigList(m.addr(), missing);
        }
      });
      return null;
    });
    topics.add(logical);
  }

  /** Whether {@code topic} exists on any master. */
  boolean topicExists(String topic) throws Exception {
    Exception first = null;
    for (Master m : masters) {
      try {
        if (topicExists(m.addr(), topic)) {
          return true;
        }
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    return false;
  }

  private boolean topicExists(String addr, String topic) throws Exception {
    try {
      return admin.examineTopicConfig(addr, topic) != null;
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
      // DLQ first, so that dead letters never meet the broker's write-only default; on the home group only
      if (!topicExists(brokerAddr, PhysicalTopic.deadLetterTopic(group))) {
        admin.createAndUpdateTopicConfig(brokerAddr, topicConfig(PhysicalTopic.deadLetterTopic(group), 1, "NORMAL"));
      }
      onEveryMaster("declare the group '" + group + "'", m -> {
        SubscriptionGroupConfig existing = examineGroup(m.addr(), group);
        if (existing == null) {
          admin.createAndUpdateSubscriptionGroupConfig(m.addr(), groupConfig(group, ordered));
          positionAtEnd(m.addr(), group, logical);
        } else if (ordered && !existing.isConsumeMessageOrderly()) {
          existing.setConsumeMessageOrderly(true);
          admin.createAndUpdateSubscriptionGroupConfig(m.addr(), existing);
        }
      });
      return null;
    });
    groups.add(cacheKey);
  }

  private SubscriptionGroupConfig examineGroup(String addr, String group) throws Exception {
    try {
      return admin.examineSubscriptionGroupConfig(addr, group);
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

  private void positionAtEnd(String addr, String group, String logical) throws Exception {
    for (PhysicalTopic p : PhysicalTopic.values()) {
      TopicStatsTable stats = admin.examineTopicStats(addr, p.of(logical));
      for (Map.Entry<MessageQueue, TopicOffset> e : stats.getOffsetTable().entrySet()) {
        admin.updateConsumeOffset(addr, group, e.getKey(), e.getValue().getMaxOffset());
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
      long[] n = {0};
      onEveryMaster("read the lag of '" + group + "'", m -> {
        ConsumeStats stats = admin.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
            .getConsumeStats(m.addr(), group, list, timeoutMillis);
        for (OffsetWrapper w : stats.getOffsetTable().values()) {
          n[0] += Math.max(0, w.getBrokerOffset() - w.getConsumerOffset());
        }
      });
      return n[0];
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

  /** The consumer groups with offsets on {@code physicalTopic}, asked of every master. */
  Set<String> consumersOf(String physicalTopic) {
    return call("list the groups of " + physicalTopic, () -> {
      Set<String> out = new java.util.TreeSet<>();
      onEveryMaster("list the groups of " + physicalTopic, m -> out.addAll(admin.getDefaultMQAdminExtImpl().getMqClientInstance()
          .getMQClientAPIImpl().queryTopicConsumeByWho(m.addr(), physicalTopic, timeoutMillis).getGroupList()));
      return out;
    });
  }

  /**
   * The client connections of {@code group}, asked of every master and every proxy's remoting
   * endpoint (the most any of them knows: behind proxies in Cluster mode only the proxies know the
   * gRPC consumers): 0 when they answer that the group has no consumer online,
   * {@link io.unimq.api.GroupInfo#UNKNOWN} when none can be asked.
   */
  int connections(String group) {
    int best = io.unimq.api.GroupInfo.UNKNOWN;
    for (Master m : masters) {
      best = Math.max(best, connections(m.addr(), group));
    }
    for (String proxy : proxyRemoting) {
      Long until = silentProxies.get(proxy);
      if (until != null && System.nanoTime() - until < 0) {
        continue; // did not answer lately: not asked again for a minute, so that listing stays fast
      }
      int n = connections(proxy, group);
      if (n == io.unimq.api.GroupInfo.UNKNOWN) {
        silentProxies.put(proxy, System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1));
      } else {
        silentProxies.remove(proxy);
      }
      best = Math.max(best, n);
    }
    return best;
  }

  private int connections(String addr, String group) {
    try {
      return admin.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
          .getConsumerConnectionList(addr, group, timeoutMillis).getConnectionSet().size();
    } catch (org.apache.rocketmq.client.exception.MQBrokerException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return io.unimq.api.GroupInfo.UNKNOWN;
    } catch (Exception e) {
      return io.unimq.api.GroupInfo.UNKNOWN;
    }
  }

  /** The topics {@code group} has offsets on, asked of every master. */
  Set<String> topicsOf(String group) {
    return call("list the topics of group '" + group + "'", () -> {
      Set<String> out = new java.util.TreeSet<>();
      onEveryMaster("list the topics of group '" + group + "'", m -> out.addAll(admin.getDefaultMQAdminExtImpl().getMqClientInstance()
          .getMQClientAPIImpl().queryTopicsByConsumer(m.addr(), group, timeoutMillis).getTopicList()));
      return out;
    });
  }

  /** Deletes the consumer group and its offsets, and forgets that it was declared. */
  void deleteGroup(String group) {
    call("delete the group '" + group + "'", () -> {
      onEveryMaster("delete the group '" + group + "'", m -> admin.deleteSubscriptionGroup(m.addr(), group, true));
      return null;
    });
    groups.removeIf(k -> k.contains("\u0000" + group + "\u0000"));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    admin.shutdown();
  }

  private String masterAddrs() {
    return masters.stream().map(Master::addr).toList().toString();
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
      throw RocketErrors.translate(e, "could not " + what + " on the RocketMQ broker(s) " + masterAddrs() + " (name server " + namesrv + ")");
    }
  }
}
