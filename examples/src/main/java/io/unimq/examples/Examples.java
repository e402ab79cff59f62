package io.unimq.examples;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the scenarios, so that each one reads as its story. */
final class Examples {
  /** Where the scenarios run when no URI is given: the in-process broker. */
  static final String DEFAULT_URI = "memory://examples";
  /** Generous, because real brokers (and CI machines) are slower than memory://. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private Examples() {}

  /** The first argument, or {@link #DEFAULT_URI}. */
  static String uri(String[] args) {
    return args.length > 0 && !args[0].isBlank() ? args[0] : DEFAULT_URI;
  }

  /** {@code base} plus a random suffix: real brokers keep topics, so each run gets fresh ones. */
  static String unique(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether the URI points at the in-process broker. */
  static boolean isMemory(String uri) {
    return uri.startsWith("memory:");
  }

  /** Adds a query parameter to a URI. */
  static String withParameter(String uri, String name, String value) {
    return uri + (uri.contains("?") ? "&" : "?") + name + "=" + value;
  }

  static boolean await(CountDownLatch latch) throws InterruptedException {
    return latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code condition} holds, looking every 20 ms; false after {@link #TIMEOUT}. */
  static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Prints one self-check and returns its result. */
  static boolean check(boolean ok, String what) {
    System.out.println((ok ? "  [ok]     " : "  [FAILED] ") + what);
    return ok;
  }

  static String clock(Instant t) {
    return CLOCK.format(LocalTime.ofInstant(t, ZoneId.systemDefault()));
  }

  static void title(String title, String uri) {
    System.out.println();
    System.out.println("=== " + title + " on " + redact(uri));
  }

  /** The URI without its user and password. */
  static String redact(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  /** What each scenario's main does: run it, and exit non-zero if a check failed. */
  static void main(Scenario scenario, String[] args) throws Exception {
    if (!scenario.run(uri(args))) {
      System.exit(1);
    }
  }
}
