package io.unimq.testbrokers;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Captures everything logged through slf4j-simple (the tests' binding) at DEBUG and above, for
 * redaction tests: while open, every logger (unimq's and the vendor client's, existing and new) logs
 * at DEBUG, and what is written to {@code System.err} (slf4j-simple's target) is also kept here.
 * {@link #close()} restores the levels and {@code System.err}. One at a time per JVM; not thread-safe
 * to open or close concurrently.
 */
public final class LogCapture implements AutoCloseable {
  private static final int DEBUG = 10; // org.slf4j.spi.LocationAwareLogger.DEBUG_INT
  private static final String[] PREFIXES = {"io.unimq", "com.rabbitmq", "io.lettuce", "io.netty", "reactor",
      "org.apache.kafka", "org.apache.rocketmq", "io.grpc"};

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream originalErr = System.err;
  private final Map<Object, Integer> originalLevels = new java.util.IdentityHashMap<>();
  private final Map<String, String> originalProperties = new java.util.HashMap<>();

  private LogCapture() {}

  /**
   * Starts capturing.
   *
   * @throws IllegalStateException the slf4j binding is not slf4j-simple
   */
  public static LogCapture start() {
    LogCapture c = new LogCapture();
    Object factory = factory();
    if (!factory.getClass().getName().equals("org.slf4j.simple.SimpleLoggerFactory")) {
      throw new IllegalStateException("LogCapture needs slf4j-simple as the test binding, found " + factory.getClass().getName());
    }
    for (String p : PREFIXES) { // loggers created from now on
      String key = "org.slf4j.simpleLogger.log." + p;
      c.originalProperties.put(key, System.getProperty(key));
      System.setProperty(key, "debug");
    }
    for (Object l : loggers(factory).values()) { // loggers that exist already
      c.originalLevels.put(l, level(l));
      setLevel(l, DEBUG);
    }
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (c.buffer) {
          c.buffer.write(b);
        }
        c.originalErr.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (c.buffer) {
          c.buffer.write(b, off, len);
        }
        c.originalErr.write(b, off, len);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    return c;
  }

  /** Everything logged since {@link #start()}. */
  public String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(originalErr);
    originalProperties.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
    // loggers created while capturing go back to INFO with the rest
    Object factory = factory();
    for (Object l : loggers(factory).values()) {
      setLevel(l, originalLevels.getOrDefault(l, defaultLevel()));
    }
  }

  private static int defaultLevel() { // slf4j-simple's defaultLogLevel, INFO when unset
    String v = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info").trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "trace" -> 0;
      case "debug" -> 10;
      case "warn" -> 30;
      case "error" -> 40;
      case "off" -> 50;
      default -> 20;
    };
  }

  private static Object factory() { // by reflection: this module needs nothing but the JDK at compile time
    try {
      return Class.forName("org.slf4j.LoggerFactory").getMethod("getILoggerFactory").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("LogCapture needs slf4j on the test class path", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> loggers(Object factory) {
    try {
      Field f = factory.getClass().getDeclaredField("loggerMap");
      f.setAccessible(true);
      return (Map<String, Object>) f.get(factory);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("slf4j-simple's SimpleLoggerFactory has no loggerMap: another version?", e);
    }
  }

  private static Field levelField(Object l) throws NoSuchFieldException {
    Field f = l.getClass().getDeclaredField("currentLogLevel");
    f.setAccessible(true);
    return f;
  }

  private static int level(Object l) {
    try {
      return levelField(l).getInt(l);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("slf4j-simple's SimpleLogger has no currentLogLevel: another version?", e);
    }
  }

  private static void setLevel(Object l, int level) {
    try {
      levelField(l).setInt(l, level);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("slf4j-simple's SimpleLogger has no currentLogLevel: another version?", e);
    }
  }
}
