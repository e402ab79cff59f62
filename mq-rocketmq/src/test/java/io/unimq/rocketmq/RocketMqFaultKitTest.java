package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.SmallDisk;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * The fault kit against the test RocketMQ 5 (namesrv, broker and proxy): faults through {@code scripts/brokers}, network faults through a {@link TcpProxy} in front of it.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it. The disk-full fault runs on a broker
 * of its own whose state is on a small tmpfs ({@code scripts/brokers up rocketmq-small-disk}, started by the test;
 * mounting needs root).
 */
class RocketMqFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy(TestBrokers.rocketmqProxy().split(":")[0], Integer.parseInt(TestBrokers.rocketmqProxy().split(":")[1]));
  /** The broker's pop log on its node directory; a failed revive prints the message with its properties. */
  private static final String POP_LOG = "rocketmq/home/logs/rocketmqlogs/pop.log";
  /** The unimq id among the properties of a message printed in the broker's log. */
  private static final Pattern REVIVED_ID = Pattern.compile("unimq-rmq-id=([0-9a-f-]{36})");
  /** Where the disk-full fault runs. */
  private static final SmallDisk SMALL_DISK = new SmallDisk("rocketmq");

  @Override
  protected String broker() {
    return "rocketmq";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(TestBrokers.rocketmqUri()));
  }

  @Override
  protected MqClient connect(Fault fault) {
    return fault == Fault.DISK_FULL ? Mq.connect(SMALL_DISK.uri()) : connect();
  }

  /**
   * Short mode (the build) leaves disk-full out: a run takes minutes, as the broker looks at its disk first 60 s
   * after it starts (docs/reliability.md); full mode runs it, so the matrix shows it.
   */
  @Override
  protected Map<Fault, String> skipped() {
    return "full".equals(System.getProperty(MODE, "short").trim()) ? Map.of()
        : Map.of(Fault.DISK_FULL, "short mode: a run takes minutes (the broker's first disk check is 60 s after it starts), see the full runs");
  }

  /**
   * On a full disk RocketMQ can drop a message in retry itself: its pop revive service fails to store the
   * revived message ("revive error" in {@code pop.log}, which prints the message with its properties) and
   * writes a new retry record without looking at the result ({@code PopReviveService#rePutCK}, 5.3.3), which
   * the full store refuses too. A lost message counts as the broker's when pop.log shows its revive failing.
   */
  @Override
  protected Map<String, String> lossesTheBrokerRecorded(Fault fault, Set<String> lostIds) {
    if (fault != Fault.DISK_FULL) {
      return Map.of();
    }
    Path popLog = SMALL_DISK.file(POP_LOG);
    Map<String, String> out = new TreeMap<>();
    try (Stream<String> lines = Files.lines(popLog, StandardCharsets.UTF_8)) {
      lines.filter(l -> l.contains("revive error")).forEach(l -> {
        Matcher m = REVIVED_ID.matcher(l);
        if (m.find() && lostIds.contains(m.group(1))) {
          out.put(m.group(1), "its pop revive service could not store the revived message on the full disk"
              + " ('revive error' in " + POP_LOG + ") and dropped it (PopReviveService#rePutCK)");
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the small-disk broker's " + popLog, e);
    }
    return out;
  }

  @Override
  protected void fillDisk() {
    SMALL_DISK.fill();
  }

  @Override
  protected void freeDisk() {
    SMALL_DISK.unfill();
  }

  @AfterAll
  static void stopSmallDisk() {
    SMALL_DISK.downIfStarted();
  }

  @Override
  protected void restartBroker() {
    BrokerControl.restartPatiently("rocketmq");
  }

  @Override
  protected void killBroker() {
    BrokerControl.kill("rocketmq");
  }

  @Override
  protected void startBroker() {
    BrokerControl.upPatiently("rocketmq");
  }

  @Override
  protected void pauseBroker() {
    BrokerControl.pause("rocketmq");
  }

  @Override
  protected void resumeBroker() {
    BrokerControl.resume("rocketmq");
  }

  @Override
  protected void cutNetwork() {
    PROXY.cut();
  }

  @Override
  protected void restoreNetwork() {
    PROXY.restore();
  }

  @Override
  protected void capBandwidth(long bytesPerSecond) {
    PROXY.capBandwidth(bytesPerSecond);
  }
}
