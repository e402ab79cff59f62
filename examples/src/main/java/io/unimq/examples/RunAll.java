package io.unimq.examples;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.api.MqUnsupportedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs every scenario in turn against one broker and exits non-zero if a self-check failed.
 *
 * <pre>
 * mvn -q -pl examples exec:java                                   # memory://examples
 * mvn -q -pl examples exec:java -Dexec.args="kafka://127.0.0.1:19092"
 * </pre>
 */
public final class RunAll {
  private RunAll() {}

  /** Every scenario, by name, in the order they run. */
  public static Map<String, Scenario> scenarios() {
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("UserRegistrationBroadcast", new UserRegistrationBroadcast());
    all.put("PrizeDelivery", new PrizeDelivery());
    all.put("StockUpdateSmoothing", new StockUpdateSmoothing());
    all.put("OrderStatusSequence", new OrderStatusSequence());
    all.put("TransferWithHalfMessage", new TransferWithHalfMessage());
    return all;
  }

  /** Runs them all on {@code uri}; returns the failed ones with the reason (empty: all passed). */
  public static Map<String, String> runAll(String uri) {
    Map<String, String> failures = new LinkedHashMap<>();
    scenarios().forEach((name, scenario) -> {
      long start = System.nanoTime();
      String outcome;
      try {
        outcome = scenario.run(uri) ? "passed" : "FAILED";
      } catch (MqUnsupportedException e) {
        outcome = "skipped (" + e.getMessage() + ")"; // the broker lacks an optional capability
      } catch (Exception e) {
        e.printStackTrace(System.out);
        outcome = "FAILED with " + e;
      }
      if (outcome.startsWith("FAILED")) {
        failures.put(name, outcome);
      }
      System.out.printf("--- %s: %s in %d ms%n", name, outcome, (System.nanoTime() - start) / 1_000_000);
    });
    return failures;
  }

  public static void main(String[] args) {
    String uri = Examples.uri(args);
    // Fail fast, with one clear line, on a bad URI, a missing adapter or a broker that is down.
    try (MqClient probe = Mq.connect(uri)) {
      System.out.println("Running the examples on " + probe.scheme() + "://, which supports " + probe.capabilities());
    } catch (MqException e) {
      System.out.println("Cannot run the examples on " + Examples.redact(uri) + ": " + e.getMessage());
      System.exit(2);
    }
    Map<String, String> failures = runAll(uri);
    System.out.println();
    if (failures.isEmpty()) {
      System.out.println("No scenario failed.");
      return;
    }
    failures.forEach((name, why) -> System.out.println(name + ": " + why));
    System.exit(1);
  }
}
