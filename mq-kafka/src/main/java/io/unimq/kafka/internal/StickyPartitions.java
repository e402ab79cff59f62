package io.unimq.kafka.internal;

/**
 * The partition for unkeyed messages. As with Kafka's own sticky partitioner, they stay on one
 * partition for a batch, so that batches fill before the linger ends (sending each message to the
 * next partition filled eight batches an eighth as fast: five milliseconds more latency, and more,
 * smaller produce requests). A batch is sent before its linger only once it is closed, and the
 * producer closes it when a record no longer fits. So the records placed here are counted (with
 * {@link KafkaCodec#estimatedSize}, from their contents, not the client's record format) and the
 * partition moves on just after the record that overflows the batch, not before it: moving on
 * early would leave a nearly full batch waiting out the whole linger. Unlike Kafka's built-in
 * partitioner, which moves on only after {@code batch.size} bytes, it also moves on after the
 * linger at the latest, so that at low rates consecutive messages still go round the partitions and
 * every group member gets work.
 *
 * <p>One per topic, as the producer keeps batches per partition. Thread-safe but racy on purpose
 * (a CAS per send cost about 7 % of the sending thread): with several sending threads a lost update
 * only makes a batch a little longer or shorter.
 */
final class StickyPartitions {
  private final int batchSize;
  private final long lingerNanos;
  private int partition;
  /** Bytes and records of the current batch, as the producer counts them. */
  private int bytes;
  private int records;
  private boolean overflowed;
  private long since = System.nanoTime();

  StickyPartitions(int batchSize, long lingerNanos) {
    this.batchSize = Math.max(1, batchSize);
    this.lingerNanos = Math.max(1_000_000L, lingerNanos);
  }

  /**
   * The partition (of {@code partitions}) for a record of about {@code recordSize} bytes
   * ({@link KafkaCodec#estimatedSize}), counting it as placed there.
   */
  int place(int partitions, int recordSize) {
    // the clock only for a batch's first records and then every 8th: at low rates, where the linger
    // decides, batches are short and every record looks; at high rates a clock read per record cost
    // a third of this method (batches fill long before the linger, and 7 records more are microseconds)
    if (overflowed || (records < 8 || (records & 7) == 0) && System.nanoTime() - since >= lingerNanos) {
      partition++;
      bytes = 0;
      records = 0;
      overflowed = false;
      since = System.nanoTime();
    }
    // a record that does not fit closes the batch (so it goes out now) and opens the next one; an
    // exactly full batch goes out too
    boolean closes = records > 0 && bytes + recordSize > batchSize;
    bytes += recordSize;
    records++;
    overflowed = closes || bytes >= batchSize;
    return Math.floorMod(partition, partitions);
  }
}
