package io.unimq.rabbit.internal;

import io.unimq.api.GroupInfo;
import io.unimq.api.MqConnectionException;
import io.unimq.spi.TopologyListing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Topics and groups from the management HTTP API (AMQP cannot list): a topic is an exchange
 * {@code unimq.<topic>}, a group a queue {@code unimq.<topic>.<group>} or its partitions
 * {@code unimq.<topic>.<group>.p<i>}; its members are the most consumers on one of those queues.
 * Deleting a group deletes those queues (not its dead-letter queue) over AMQP. Thread-safe.
 */
final class RabbitListing implements TopologyListing {
  private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern CONSUMERS = Pattern.compile("\"consumers\"\\s*:\\s*(\\d+)");
  private static final Pattern PORTABLE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern PARTITION = Pattern.compile("p\\d+");

  private final RabbitTransport transport;

  RabbitListing(RabbitTransport transport) {
    this.transport = transport;
  }

  /** The objects of a management API listing: name and consumers (0 when absent). */
  private Map<String, Integer> list(String what) {
    String body;
    try {
      body = transport.management().get("/" + what + "/<vhost>?columns=name,consumers");
    } catch (IOException e) {
      throw new MqConnectionException("cannot list the " + what + " of RabbitMQ: the management API is needed ("
          + e.getMessage() + "); enable the rabbitmq_management plugin or set managementPort or management", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MqConnectionException("interrupted while listing the " + what + " of RabbitMQ", e);
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    if (body == null) {
      return out;
    }
    Matcher o = OBJECT.matcher(body);
    while (o.find()) {
      Matcher n = NAME.matcher(o.group());
      if (n.find()) {
        Matcher c = CONSUMERS.matcher(o.group());
        out.put(n.group(1), c.find() ? Integer.parseInt(c.group(1)) : 0);
      }
    }
    return out;
  }

  @Override
  public List<String> topics() {
    List<String> out = new ArrayList<>();
    for (String name : list("exchanges").keySet()) {
      if (name.startsWith("unimq.") && PORTABLE.matcher(name.substring(6)).matches()) {
        out.add(name.substring(6));
      }
    }
    return out;
  }

  @Override
  public List<GroupInfo> groups(String topic) {
    String prefix = "unimq." + topic + ".";
    Map<String, Integer> members = new LinkedHashMap<>();
    list("queues").forEach((name, consumers) -> {
      if (!name.startsWith(prefix)) {
        return;
      }
      String[] rest = name.substring(prefix.length()).split("\\.", -1);
      boolean group = rest.length == 1 || rest.length == 2 && PARTITION.matcher(rest[1]).matches();
      if (group && PORTABLE.matcher(rest[0]).matches()) {
        members.merge(rest[0], consumers, Math::max);
      }
    });
    List<GroupInfo> out = new ArrayList<>();
    members.forEach((g, n) -> out.add(new GroupInfo(g, n, transport.lag(topic, g))));
    return out;
  }

  @Override
  public void deleteGroup(String topic, String group) {
    List<String> queues = transport.topology().layout(topic, group).queues(topic, group);
    transport.topology().admin("delete group " + topic + "/" + group, ch -> {
      for (String q : queues) {
        ch.queueDelete(q);
      }
      return null;
    });
  }
}
