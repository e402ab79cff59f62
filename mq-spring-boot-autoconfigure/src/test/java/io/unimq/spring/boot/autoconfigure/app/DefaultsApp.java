package io.unimq.spring.boot.autoconfigure.app;

import io.unimq.spring.MqListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** A Boot application as a user writes one: the starter, one listener, no unimq property. */
@SpringBootApplication
public class DefaultsApp {

  public record Greeting(String to, int times) {}

  @Component
  public static class Greetings {
    public final List<Greeting> received = new CopyOnWriteArrayList<>();

    @MqListener(id = "greetings", topic = "greetings", group = "app")
    public void on(Greeting greeting) {
      received.add(greeting);
    }
  }
}
