package io.unimq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.MqClient;
import io.unimq.api.TransactionalProducer;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.MqTemplate;
import io.unimq.spring.boot.autoconfigure.app.DefaultsApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** A user's {@code @SpringBootTest}: runs on memory:// with nothing set, and waits for a listener with the registry's helper. */
@SpringBootTest(classes = DefaultsApp.class)
class DefaultsSpringBootTest {

  @Autowired
  MqClient client;

  @Autowired
  MqTemplate template;

  @Autowired
  MqListenerRegistry listeners;

  @Autowired
  DefaultsApp.Greetings greetings;

  @Autowired
  ApplicationContext context;

  @Test
  void runsOnTheInProcessBrokerAndBindsAPojo() {
    assertThat(client.scheme()).isEqualTo("memory");
    assertThat(context.getBeanProvider(TransactionalProducer.class).getIfAvailable()).isNull();
    template.send("greetings", "k", new DefaultsApp.Greeting("world", 2));
    template.send("greetings", "k", new DefaultsApp.Greeting("again", 1));
    listeners.awaitHandled("greetings", 2, Duration.ofSeconds(10));
    assertThat(greetings.received).containsExactly(new DefaultsApp.Greeting("world", 2), new DefaultsApp.Greeting("again", 1));
  }
}
