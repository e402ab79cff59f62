package io.unimq.spring.boot.autoconfigure;

import io.unimq.api.Capability;
import io.unimq.api.MqClient;
import io.unimq.spring.MqListenerContainer;
import io.unimq.spring.MqListenerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/unimq}: the broker scheme and capabilities, and every listener with its topic,
 * group, state, handled and failed calls, in-flight messages, lag and dead-letter count (read from
 * the broker on each call; an error reading one shows as its message).
 */
@Endpoint(id = "unimq")
public class UnimqEndpoint {

  private final MqClient client;
  private final MqListenerRegistry registry;

  public UnimqEndpoint(MqClient client, MqListenerRegistry registry) {
    this.client = client;
    this.registry = registry;
  }

  @ReadOperation
  public Map<String, Object> unimq() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scheme", client.scheme());
    out.put("capabilities", new TreeSet<>(client.capabilities().stream().map(Enum::name).toList()));
    List<Map<String, Object>> subscriptions = new ArrayList<>();
    for (MqListenerContainer c : registry.containers()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", c.id());
      s.put("topic", c.topic());
      s.put("group", c.group());
      s.put("running", c.isRunning());
      s.put("ordered", c.options().ordered());
      s.put("concurrency", c.options().concurrency());
      s.put("handled", c.handledCount());
      s.put("failed", c.failedCount());
      s.put("inFlight", c.inFlight());
      s.put("lag", read(() -> client.admin().lag(c.topic(), c.group())));
      if (client.supports(Capability.DEAD_LETTER) && c.options().deadLetter()) {
        s.put("deadLetters", read(() -> client.deadLetters(c.topic(), c.group()).count()));
      }
      subscriptions.add(s);
    }
    out.put("subscriptions", subscriptions);
    return out;
  }

  private static Object read(java.util.function.LongSupplier value) {
    try {
      return value.getAsLong();
    } catch (RuntimeException e) {
      return "error: " + e.getMessage();
    }
  }
}
