package io.unimq.tck;

import io.unimq.api.IdempotencyStore;
import io.unimq.api.MqClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault kit: what an adapter does when the broker or the network fails under load. An adapter's
 * test extends this class, says how to connect and how to inject each fault (usually with its test
 * launcher's broker control and a TCP proxy between client and broker), and declares the faults it
 * cannot inject, with the reason:
 *
 * <pre>{@code
 * class RabbitFaultKitTest extends MqFaultKit {
 *   static final TcpProxy proxy = new TcpProxy(host, port);
 *   protected String broker() { return "rabbitmq"; }
 *   protected MqClient connect() { return Mq.connect(uriThrough(proxy)); }
 *   protected void restartBroker() { BrokerControl.restart("rabbitmq"); }
 *   ...
 *   protected Map<Fault, String> skipped() { return Map.of(Fault.DISK_FULL, "why"); }
 * }
 * }</pre>
 *
 * <p>Each fault is one test ({@code [FLT-n]} in its display name). A run starts a workload (one
 * producer sending with confirms at a steady rate; an unordered group of 4 handler threads behind
 * {@link io.unimq.api.Idempotent} in which some messages fail their first attempts on purpose and
 * are retried by policy; an ordered group; delayed messages due while the fault lasts; half messages
 * whose local transaction commits, rolls back or is left to the checker, where the adapter declares
 * {@code TRANSACTIONS}), injects the
 * fault, keeps producing until sends and consumption have resumed, waits until every confirmed
 * message arrived, and counts what happened in a {@link FaultLedger}. The test fails when a
 * confirmed send was lost by either group, when a side effect behind {@code Idempotent} ran twice,
 * when a delayed message came early, or when a half message was not delivered exactly as its local
 * transaction decided; the failure prints the seed and the ledger. Every run writes
 * its ledger as JSON to {@link #reportDirectory()}, from which {@code scripts/fault-matrix} makes
 * {@code docs/reliability.md}.
 *
 * <p>Settings (system properties): {@code unimq.fault.mode} = {@code short} (default: one run of
 * each fault, 8 s faults, 40 messages/s) or {@code full} (3 runs
 * of every fault with different seeds, 20 s faults, 100 messages/s); {@code unimq.fault.faults}
 * chooses faults by id (comma-separated, e.g. {@code restart,pause}); {@code unimq.fault.runs}
 * overrides the number of runs;
 * {@code unimq.fault.seed} the first seed (to reproduce a failed run). A fault is skipped only when
 * {@link #skipped()} declares it; a fault whose hook is not overridden and not declared fails.
 *
 * <p>A test against a cluster topology injects {@link Fault#NODE_KILL} instead: it overrides
 * {@link #leadingNode(String, String)}, {@link #killNode(String)} and {@link #startNodes()} and returns
 * {@code EnumSet.of(Fault.NODE_KILL)} from {@link #faults(Set)}; its ledger also names the node killed
 * and the longest stall of confirmations and of deliveries from the kill on.
 *
 * <p>The kit breaks a broker other tests may use: do not run it in parallel with other tests of
 * the same broker.
 */
public abstract class MqFaultKit {
  private static final Logger log = LoggerFactory.getLogger(MqFaultKit.class);
  public static final String MODE = "unimq.fault.mode";
  public static final String RUNS = "unimq.fault.runs";
  public static final String SEED = "unimq.fault.seed";
  public static final String FAULTS = "unimq.fault.faults";

  /** The faults the kit injects, each one test. */
  public enum Fault {
    /** The broker is stopped cleanly and started again. */
    RESTART("restart", "graceful broker restart"),
    /** The broker's processes get SIGKILL, then the broker is started again. */
    KILL("kill", "broker kill -9, then start"),
    /** The broker gets SIGSTOP for the fault duration, then SIGCONT: connections stay open, nothing answers. */
    PAUSE("pause", "broker paused (SIGSTOP), then resumed"),
    /** Every connection between the clients and the broker is reset and new ones refused, then restored. */
    NETWORK_CUT("network-cut", "network between client and broker cut, then restored"),
    /** The connections between the clients and the broker carry at most {@link #BANDWIDTH_CAP} bytes/s each way. */
    BANDWIDTH("bandwidth", "bandwidth between client and broker capped, then freed"),
    /** The broker's disk is full (or the broker believes it is), then freed. */
    DISK_FULL("disk-full", "broker disk full, then freed"),
    /**
     * On a cluster topology: the node that leads the workload's topic (partition leader, quorum queue
     * leader, master) gets SIGKILL; the fault lasts while the cluster serves without it, then the node is
     * started again. Injected only by a test that chooses it in {@link MqFaultKit#faults(Set)}.
     */
    NODE_KILL("node-kill", "cluster node that leads killed (kill -9), then started again");

    private final String id;
    private final String description;

    Fault(String id, String description) {
      this.id = id;
      this.description = description;
    }

    /** The fault's name in reports, e.g. {@code network-cut}. */
    public String id() {
      return id;
    }

    public String description() {
      return description;
    }
  }

  /** The bandwidth cap of {@link Fault#BANDWIDTH}, bytes per second per connection and direction. */
  public static final long BANDWIDTH_CAP = 16 * 1024;

  /** How long phases of a run last: short for CI, full for the published matrix. */
  public record Settings(String mode, int runs, Set<Fault> faults, Duration warmup, Duration faultDuration,
      Duration after, int rate, Duration resumeTimeout, Duration settleTimeout, Duration drainTimeout) {
    static Settings fromSystemProperties() {
      String mode = System.getProperty(MODE, "short").trim().toLowerCase(Locale.ROOT);
      Settings s = switch (mode) {
        case "short" -> new Settings("short", 1, EnumSet.allOf(Fault.class),
            Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(2), 40,
            Duration.ofSeconds(90), Duration.ofSeconds(60), Duration.ofSeconds(90));
        case "full" -> new Settings("full", 3, EnumSet.allOf(Fault.class), Duration.ofSeconds(5), Duration.ofSeconds(20),
            Duration.ofSeconds(5), 100, Duration.ofSeconds(120), Duration.ofSeconds(90), Duration.ofSeconds(180));
        default -> throw new IllegalArgumentException(MODE + "=" + mode + " is not short or full");
      };
      String runs = System.getProperty(RUNS);
      String faults = System.getProperty(FAULTS);
      int n = runs != null && !runs.isBlank() ? Integer.parseInt(runs.trim()) : s.runs;
      Set<Fault> chosen = s.faults;
      if (faults != null && !faults.isBlank()) {
        chosen = EnumSet.noneOf(Fault.class);
        for (String f : faults.split(",")) {
          chosen.add(Arrays.stream(Fault.values()).filter(x -> x.id().equals(f.trim())).findFirst()
              .orElseThrow(() -> new IllegalArgumentException(FAULTS + ": unknown fault '" + f.trim() + "', known: "
                  + Arrays.stream(Fault.values()).map(Fault::id).toList())));
        }
      }
      return new Settings(s.mode, n, chosen, s.warmup, s.faultDuration, s.after, s.rate, s.resumeTimeout,
          s.settleTimeout, s.drainTimeout);
    }

    Settings withFaults(Set<Fault> chosen) {
      return new Settings(mode, runs, chosen, warmup, faultDuration, after, rate, resumeTimeout, settleTimeout,
          drainTimeout);
    }
  }

  // ---------------------------------------------------------------- hooks for adapters

  /** The broker's name in reports and in {@code docs/reliability.md}, e.g. the URI scheme. */
  protected abstract String broker();

  /**
   * A new client of the broker under test, through the network the test controls when it injects
   * {@link Fault#NETWORK_CUT} or {@link Fault#BANDWIDTH}. Each call returns a new client; the kit
   * closes them after each run.
   */
  protected abstract MqClient connect();

  /**
   * A new client for a run of {@code fault}; by default {@link #connect()}. A test that injects a fault
   * on a broker of its own (for {@link Fault#DISK_FULL}, a broker whose data is on a small disk) returns
   * a client of that broker here, starting it if needed.
   */
  protected MqClient connect(Fault fault) {
    return connect();
  }

  /**
   * The faults this test injects when {@value #FAULTS} does not choose: by default the mode's faults of
   * one broker ({@link Fault#NODE_KILL} needs a cluster and is never among them). A test against a cluster
   * topology returns {@code EnumSet.of(Fault.NODE_KILL)}.
   */
  protected Set<Fault> faults(Set<Fault> modeFaults) {
    Set<Fault> oneBroker = modeFaults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(modeFaults);
    oneBroker.remove(Fault.NODE_KILL);
    return oneBroker;
  }

  /** Faults this adapter's test cannot inject, each with the reason shown in the matrix. */
  protected Map<Fault, String> skipped() {
    return Map.of();
  }

  /** Stops the broker cleanly and starts it again; returns when it answers. */
  protected void restartBroker() {
    throw missing(Fault.RESTART, "restartBroker()");
  }

  /** Sends SIGKILL to the broker's processes. */
  protected void killBroker() {
    throw missing(Fault.KILL, "killBroker()");
  }

  /** Starts the broker after {@link #killBroker()}; returns when it answers. */
  protected void startBroker() {
    throw missing(Fault.KILL, "startBroker()");
  }

  /** SIGSTOPs the broker. */
  protected void pauseBroker() {
    throw missing(Fault.PAUSE, "pauseBroker()");
  }

  /** SIGCONTs the broker. */
  protected void resumeBroker() {
    throw missing(Fault.PAUSE, "resumeBroker()");
  }

  /** Resets every connection between {@link #connect()}'s clients and the broker and refuses new ones. */
  protected void cutNetwork() {
    throw missing(Fault.NETWORK_CUT, "cutNetwork()");
  }

  /** Lets {@link #connect()}'s clients reach the broker again. */
  protected void restoreNetwork() {
    throw missing(Fault.NETWORK_CUT, "restoreNetwork()");
  }

  /** Caps the bandwidth between the clients and the broker, bytes per second (0 = no cap). */
  protected void capBandwidth(long bytesPerSecond) {
    throw missing(Fault.BANDWIDTH, "capBandwidth(long)");
  }

  /** Makes the broker refuse writes as when its disk is full. */
  protected void fillDisk() {
    throw missing(Fault.DISK_FULL, "fillDisk()");
  }

  /** Undoes {@link #fillDisk()}. */
  protected void freeDisk() {
    throw missing(Fault.DISK_FULL, "freeDisk()");
  }

  /**
   * The node of the cluster that leads {@code topic} for {@code group} now (for {@link Fault#NODE_KILL}),
   * e.g. through {@code scripts/brokers leader}: the name {@link #killNode(String)} takes.
   */
  protected String leadingNode(String topic, String group) {
    throw missing(Fault.NODE_KILL, "leadingNode(String, String)");
  }

  /** Sends SIGKILL to one node of the cluster. */
  protected void killNode(String node) {
    throw missing(Fault.NODE_KILL, "killNode(String)");
  }

  /** Starts the nodes of the cluster that are down; returns when the cluster is whole again. */
  protected void startNodes() {
    throw missing(Fault.NODE_KILL, "startNodes()");
  }

  /**
   * The store behind {@code Idempotent} in the unordered group; by default
   * {@link IdempotencyStore#inMemory()}, which lasts as long as the consumer (the kit's faults hit the
   * broker and the network, not the consumer). Override it with a durable store where the test has one.
   */
  protected IdempotencyStore idempotencyStore() {
    return IdempotencyStore.inMemory();
  }

  /** The store's name in reports. */
  protected String idempotencyStoreName() {
    return "in-memory";
  }

  /**
   * Of the confirmed messages a run lost ({@code lostIds}, unimq message ids), those the broker's own
   * records show it dropped under {@code fault}, each with the reason read there (for example a line of
   * the broker's log naming the message): a documented broker behaviour, not the adapter's doing. They
   * are counted apart in the report ({@code lostByBroker}) and do not fail the run; every other loss does.
   * Override it only with evidence the broker itself wrote, never with a guess. Default: none.
   */
  protected Map<String, String> lossesTheBrokerRecorded(Fault fault, Set<String> lostIds) {
    return Map.of();
  }

  /** Where each run's ledger goes as JSON. Default {@code target/fault-reports}. */
  protected Path reportDirectory() {
    return Path.of("target", "fault-reports");
  }

  // ---------------------------------------------------------------- the faults

  @Test
  @DisplayName("[FLT-1] graceful broker restart: no confirmed send lost, no duplicate side effect, no early delayed message")
  void restart() throws Exception {
    runs(Fault.RESTART);
  }

  @Test
  @DisplayName("[FLT-2] broker kill -9, then start: no confirmed send lost, no duplicate side effect, no early delayed message")
  void kill() throws Exception {
    runs(Fault.KILL);
  }

  @Test
  @DisplayName("[FLT-3] broker paused (SIGSTOP), then resumed: no confirmed send lost, no duplicate side effect, no early delayed message")
  void pause() throws Exception {
    runs(Fault.PAUSE);
  }

  @Test
  @DisplayName("[FLT-4] network cut, then restored: no confirmed send lost, no duplicate side effect, no early delayed message")
  void networkCut() throws Exception {
    runs(Fault.NETWORK_CUT);
  }

  @Test
  @DisplayName("[FLT-5] bandwidth capped, then freed: no confirmed send lost, no duplicate side effect, no early delayed message")
  void bandwidth() throws Exception {
    runs(Fault.BANDWIDTH);
  }

  @Test
  @DisplayName("[FLT-6] disk full, then freed: no confirmed send lost, no duplicate side effect, no early delayed message")
  void diskFull() throws Exception {
    runs(Fault.DISK_FULL);
  }

  @Test
  @DisplayName("[FLT-7] cluster node that leads killed, then started again: no confirmed send lost, no duplicate side effect, no early delayed message")
  void nodeKill() throws Exception {
    runs(Fault.NODE_KILL);
  }

  // ---------------------------------------------------------------- machinery

  private void runs(Fault fault) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    String chosen = System.getProperty(FAULTS);
    if (chosen == null || chosen.isBlank()) {
      settings = settings.withFaults(faults(settings.faults()));
    }
    Settings run = settings;
    Assumptions.assumeTrue(run.faults().contains(fault), () -> fault.id() + " is not in this run's faults "
        + run.faults() + " (mode " + run.mode() + ", or set " + FAULTS + ")");
    String reason = skipped().get(fault);
    if (reason != null) {
      FaultLedger skip = new FaultLedger();
      skip.broker = broker();
      skip.fault = fault.id();
      skip.mode = settings.mode();
      skip.skipped = reason;
      write(skip);
      Assumptions.abort(fault.id() + " declared skipped for " + broker() + ": " + reason);
    }
    String seedProperty = System.getProperty(SEED);
    long base = seedProperty != null && !seedProperty.isBlank() ? Long.parseLong(seedProperty.trim())
        : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < settings.runs(); i++) {
      long seed = base + i;
      List<MqClient> opened = new CopyOnWriteArrayList<>();
      FaultLedger ledger;
      try {
        ledger = new FaultRun(this, fault, settings, seed).run(opened);
      } catch (Exception | Error e) {
        throw new AssertionError(fault.id() + " on " + broker() + ", seed " + seed + " (" + reproduce(fault, seed, settings)
            + "): the run itself failed: " + e, e);
      } finally {
        for (MqClient c : opened) {
          try {
            c.close(Duration.ofSeconds(5));
          } catch (RuntimeException e) {
            log.warn("fault kit: closing a client failed (ignored)", e);
          }
        }
      }
      write(ledger);
      log.info("fault kit: {} on {}, seed {}: {}", fault.id(), broker(), seed, ledger);
      List<String> wrong = new ArrayList<>();
      if (ledger.lostByAdapter() > 0) {
        wrong.add(ledger.lostByAdapter() + " confirmed sends lost" + (ledger.lostByBroker > 0
            ? " (and " + ledger.lostByBroker + " more that the broker recorded dropping)" : ""));
      }
      if (ledger.duplicateSideEffects > 0) {
        wrong.add(ledger.duplicateSideEffects + " duplicate side effects behind Idempotent");
      }
      if (ledger.delayedEarly > 0) {
        wrong.add(ledger.delayedEarly + " delayed messages early");
      }
      if (ledger.halfLost > 0) {
        wrong.add(ledger.halfLost + " committed half messages never delivered");
      }
      if (ledger.halfDeliveredAgainstRollback > 0) {
        wrong.add(ledger.halfDeliveredAgainstRollback + " half messages delivered although rolled back");
      }
      if (!wrong.isEmpty()) {
        problems.add(fault.id() + " on " + broker() + ", seed " + seed + ": " + String.join(", ", wrong)
            + "\n  reproduce: " + reproduce(fault, seed, settings) + "\n" + ledger);
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  private String reproduce(Fault fault, long seed, Settings settings) {
    return "mvn verify -Dtest='" + getClass().getSimpleName() + "#" + methodName(fault) + "' -D" + MODE + "="
        + settings.mode() + " -D" + RUNS + "=1 -D" + SEED + "=" + seed;
  }

  private static String methodName(Fault fault) {
    return switch (fault) {
      case RESTART -> "restart";
      case KILL -> "kill";
      case PAUSE -> "pause";
      case NETWORK_CUT -> "networkCut";
      case BANDWIDTH -> "bandwidth";
      case DISK_FULL -> "diskFull";
      case NODE_KILL -> "nodeKill";
    };
  }

  /** Injects {@code fault} and returns when it is over (the broker or the network is back). */
  void inject(Fault fault, Settings settings) throws InterruptedException {
    long hold = settings.faultDuration().toMillis();
    switch (fault) {
      case RESTART -> restartBroker();
      case KILL -> {
        killBroker();
        startBroker();
      }
      case PAUSE -> {
        pauseBroker();
        try {
          TimeUnit.MILLISECONDS.sleep(hold);
        } finally {
          resumeBroker();
        }
      }
      case NETWORK_CUT -> {
        cutNetwork();
        try {
          TimeUnit.MILLISECONDS.sleep(hold);
        } finally {
          restoreNetwork();
        }
      }
      case BANDWIDTH -> {
        capBandwidth(BANDWIDTH_CAP);
        try {
          TimeUnit.MILLISECONDS.sleep(hold);
        } finally {
          capBandwidth(0);
        }
      }
      case DISK_FULL -> {
        fillDisk();
        try {
          TimeUnit.MILLISECONDS.sleep(hold);
        } finally {
          freeDisk();
        }
      }
    }
  }

  /**
   * Injects {@link Fault#NODE_KILL}: kills the node leading {@code topic} for {@code group}, lets the
   * cluster serve without it for the fault duration, starts it again; returns the node's name.
   */
  String injectNodeKill(Settings settings, String topic, String group) throws InterruptedException {
    String node = leadingNode(topic, group);
    log.info("fault kit: node-kill on {}: {} leads {} for {}", broker(), node, topic, group);
    killNode(node);
    try {
      TimeUnit.MILLISECONDS.sleep(settings.faultDuration().toMillis());
    } finally {
      startNodes();
    }
    return node;
  }

  private void write(FaultLedger ledger) {
    try {
      Path dir = reportDirectory();
      Files.createDirectories(dir);
      String name = ledger.broker + "-" + ledger.fault + "-" + ledger.mode + "-" + (ledger.skipped != null ? "skipped" : ledger.seed) + ".json";
      Files.writeString(dir.resolve(name), ledger.toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fault report to " + reportDirectory().toAbsolutePath(), e);
    }
  }

  private UnsupportedOperationException missing(Fault fault, String hook) {
    return new UnsupportedOperationException(getClass().getSimpleName() + " injects " + fault.id()
        + " but does not override " + hook + ": override it, or declare " + fault.name() + " in skipped() with the reason");
  }
}
