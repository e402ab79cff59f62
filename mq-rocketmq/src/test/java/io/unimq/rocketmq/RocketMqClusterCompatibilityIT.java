package io.unimq.rocketmq;

/**
 * The compatibility kit against {@code rocketmq-cluster} ({@link RocketClusterBroker#uri()}: two proxies,
 * two broker groups), where every topic and group unimq creates is on both groups. Not part of the plain
 * build (the topology is not up then). The areas whose behaviour depends on several broker groups are
 * Produce (sends spread over both groups' queues), Ordering (FIFO queues on both groups, a key's queue
 * chosen over all of them), Retry (pop retries on each group), DeadLetter (the dead-letter topic on the
 * home group, read back while sends spread), Delay (timer messages on both groups) and Lag and Listing
 * (offsets and groups asked of every master). The others check the engine or validation before the
 * network (BadInput, Batch, Pause, Tracing, Idempotency, Health, Lifecycle, ManualAck: the same code
 * whatever the number of groups) or half messages (Transactions: each check-back waits seconds, and the
 * half topic is created like the others). {@code scripts/test.d/71-rocketmq-cluster} runs Produce and
 * Listing; Delay, Lag, DeadLetter and Retry pass too, and Ordering's timing rule ORD-5 can fail on this
 * topology (mq-rocketmq's README, Clusters: a key sharing the FIFO queue of a retried key waits for it, and an
 * idle FIFO lane walks one broker group's queues before the other's). Without {@code -Dunimq.tck.areas} it runs the whole kit. FIFO topics get 4 queues
 * ({@code fifoQueues=4}) and a receive long-polls 500 ms ({@code awaitDuration=500ms}), as the README advises on
 * several broker groups where a keyed message must arrive within seconds.
 */
class RocketMqClusterCompatibilityIT extends RocketMqCompatibilityTest {
  /** The cluster's URI with 4 queues per FIFO topic and 500 ms long polls; delay tolerance and check-back timeout as on one node. */
  @Override
  protected String uri() {
    String uri = RocketClusterBroker.uri();
    return uri + (uri.contains("?") ? "&" : "?") + "fifoQueues=4&awaitDuration=500ms";
  }
}
