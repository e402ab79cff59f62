package io.unimq.redis.sentinel;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fault kit's {@link Fault#NODE_KILL} on {@code redis-sentinel} (1 master, 1 replica, 3 sentinels;
 * {@code replicaAcks=1}, the default: a send is confirmed once the replica has it): the master the
 * sentinels name is killed with SIGKILL mid-stream; once they have promoted the replica, the fault lasts
 * its duration, then the old master is started again and rejoins as a replica (sends are confirmed again
 * only then: with one replica, no other can acknowledge). Short mode (one run) in
 * {@code scripts/test.d/52-redis-sentinel}; {@code -Dunimq.fault.mode=full} for the figures of
 * docs/reliability.md. Kills a node: run only with the topology up and nothing else using it.
 */
class RedisSentinelFailoverIT extends MqFaultKit {
  @Override
  protected String broker() {
    return SentinelTopology.NAME;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(SentinelTopology.uri("lease=5s&partitions=4"));
  }

  @Override
  protected Set<Fault> faults(Set<Fault> modeFaults) {
    return EnumSet.of(Fault.NODE_KILL);
  }

  @Override
  protected String leadingNode(String topic, String group) {
    return SentinelTopology.master();
  }

  /** Kills the master and returns once the sentinels name the replica instead. */
  @Override
  protected void killNode(String node) {
    SentinelTopology.kill(node);
    SentinelTopology.awaitNewMaster(node, Duration.ofSeconds(60));
  }

  @Override
  protected void startNodes() {
    SentinelTopology.up();
  }
}
