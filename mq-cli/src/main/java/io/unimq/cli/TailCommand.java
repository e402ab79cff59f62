package io.unimq.cli;

import io.unimq.api.Delivery;
import io.unimq.api.Capability;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unimq tail TOPIC}: a temporary group of its own, printing what arrives. */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {"Prints each message published to TOPIC from now on, as it arrives, until Ctrl-C, --max or --timeout.",
        "It reads through a new group of its own (unimq-tail-<random>), so real groups lose nothing and see nothing of it,"
            + " and deletes that group on exit (where it cannot, it prints what is left and how to remove it)."})
final class TailCommand extends Connected {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "0", description = "Stop after N messages (default: no limit).")
  long max;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
      description = "Stop after this long: 30s, 5m, PT1H (default: never). With --max, ending by timeout before N"
          + " messages exits with code 6.")
  Duration timeout;

  @Option(names = "--preview", paramLabel = "CHARS", defaultValue = "200",
      description = "Characters of each body shown in a table (default: ${DEFAULT-VALUE}).")
  int preview;

  static String temporaryGroup() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return "unimq-tail-" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public Integer call() throws InterruptedException {
    if (max < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max must not be negative, was " + max);
    }
    PrintWriter out = out();
    PrintWriter err = err();
    String group = temporaryGroup();
    AtomicLong received = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    MqClient client = common.connect();
    AtomicBoolean closed = new AtomicBoolean();
    AtomicReference<Subscription> running = new AtomicReference<>();
    Runnable cleanUp = () -> {
      if (closed.compareAndSet(false, true)) {
        String fate = removeGroup(client, running.get(), group);
        client.close(Duration.ofSeconds(2));
        err.println("tail: " + received.get() + " message" + (received.get() == 1 ? "" : "s") + "; " + fate);
        err.flush();
      }
    };
    Thread hook = new Thread(cleanUp, "unimq-tail-close");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      client.admin().declareGroup(topic, group);
      SubscriptionOptions options = SubscriptionOptions.builder().concurrency(1).retryPolicy(RetryPolicy.NONE)
          .deadLetter(false).drainTimeout(Duration.ofSeconds(2)).build();
      Subscription subscription = client.subscribe(topic, group, options, delivery -> {
        synchronized (out) {
          long n = received.get();
          if (max > 0 && n >= max) {
            return;
          }
          print(out, delivery);
          if (received.incrementAndGet() == max) {
            done.countDown();
          }
        }
      });
      running.set(subscription);
      err.println("tail: reading " + topic + " on " + common.printableUri() + " as temporary group " + subscription.group()
          + (max > 0 ? ", until " + max + " message" + (max == 1 ? "" : "s") : "")
          + (timeout != null ? ", for at most " + timeout.toString().substring(2).toLowerCase() : "")
          + " (Ctrl-C to stop)");
      err.flush();
      boolean reachedMax = timeout == null ? await(done) : done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return max > 0 && !reachedMax ? Unimq.TIMEOUT : Unimq.OK;
    } finally {
      cleanUp.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // Ctrl-C: the hook has run
      }
    }
  }

  private static boolean await(CountDownLatch done) throws InterruptedException {
    done.await();
    return true;
  }

  private void print(PrintWriter out, Delivery delivery) {
    if (common.json()) {
      out.println(Output.json(Output.message(delivery.message())));
    } else {
      StringBuilder line = new StringBuilder(delivery.id());
      line.append("  key=").append(delivery.key() == null ? "-" : delivery.key());
      for (Map.Entry<String, String> h : Output.sorted(delivery.headers()).entrySet()) {
        line.append("  ").append(h.getKey()).append('=').append(Output.oneLine(h.getValue(), 80));
      }
      line.append("  ").append(Output.preview(delivery.body(), preview));
      out.println(line);
    }
    out.flush();
  }

  /** Closes the subscription and deletes the temporary group; what became of the group. */
  private String removeGroup(MqClient client, Subscription subscription, String group) {
    try {
      if (subscription != null) {
        subscription.close(Duration.ofSeconds(2));
      }
      if (!client.supports(Capability.LISTING)) {
        return leftBehind(client.scheme(), topic, group);
      }
      client.admin().deleteGroup(topic, group);
      return "temporary group " + group + " deleted";
    } catch (RuntimeException e) {
      return leftBehind(client.scheme(), topic, group) + " (deleting it failed: " + e.getMessage() + ")";
    }
  }

  /** What the temporary group leaves on each broker where it could not be deleted, and how to remove it. */
  static String leftBehind(String scheme, String topic, String group) {
    return switch (scheme) {
      case "memory" -> "temporary group " + group + " ends with this process";
      case "rabbitmq" -> "left behind: durable queue unimq." + topic + "." + group + ", which keeps receiving every message of the"
          + " topic; delete it: rabbitmqctl delete_queue unimq." + topic + "." + group;
      case "redis" -> "left behind: consumer group " + group + " on the topic's streams, which holds back their trimming;"
          + " remove it: XGROUP DESTROY unimq:{" + topic + "}:p:<i> " + group + " for each partition i, and on unimq:{" + topic + "}:r:"
          + group;
      case "kafka" -> "left behind: consumer group " + group + " (committed offsets only, no messages; Kafka drops them after"
          + " offsets.retention.minutes); delete it now: kafka-consumer-groups.sh --delete --group " + group;
      case "rocketmq" -> "left behind: subscription group " + group + " (offsets only, no messages); delete it:"
          + " mqadmin deleteSubGroup -g " + group;
      default -> "left behind: group " + group + " on the broker (its adapter cannot delete groups)";
    };
  }
}
