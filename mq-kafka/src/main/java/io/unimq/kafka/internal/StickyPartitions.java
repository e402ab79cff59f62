package io.unimq.kafka.internal;

/**
 * The partition for unkeyed messages. As with Kafka's own sticky partitioner, they stay on one
 * partition for a batch, so that batches fill before the linger ends (sending each message to the
 * next partition filled eight batches an eighth as fast: five milliseconds more latency, and more,
 * smaller produce requests). A batch is sent before its linger only once it is closed, and the
 * producer closes it when a record no longer fits. So the records placed here are counted in the
 * producer's own record format, and the partition moves on just after the record that overflows
 * the batch, not before it: moving on a record early left a nearly full batch waiting out the whole
 * linger, which doubled the median latency at 1 KiB on 8 partitions. Unlike Kafka's, it also moves
 * on after the linger at the latest, so that at low rates consecutive messages still go round the
 * partitions and every group member gets work.
 *
 * <p>One per topic, as the producer keeps batches per partition. Thread-safe but racy on purpose
 * (a CAS per send cost about 7 % of the sending thread): with several sending threads a lost update
 * only makes a batch a little longer or shorter.
 */
final class StickyPartitions {
  /** A record batch's header in Kafka's format v2 ({@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}). */
  static final int BATCH_OVERHEAD = 61;

  private final int batchSize;
  private final long lingerNanos;
  private int partition;
  /** Bytes and records of the current batch, as the producer counts them. */
  private int bytes = BATCH_OVERHEAD;
  private int records;
  private boolean overflowed;
  private long since = System.nanoTime();

  StickyPartitions(int batchSize, long lingerNanos) {
    this.batchSize = Math.max(1, batchSize);
    this.lingerNanos = Math.max(1_000_000L, lingerNanos);
  }

  /** The records placed on the current partition so far: the next record's offset in its batch. */
  int offsetDelta() {
    return records;
  }

  /**
   * The partition (of {@code partitions}) for a record of {@code recordSize} bytes in the producer's
   * format ({@link Records#sizeInBatch}), counting it as placed there.
   */
  int place(int partitions, int recordSize) {
    // the clock only for a batch's first records and then every 8th: at low rates, where the linger
    // decides, batches are short and every record looks; at high rates a clock read per record cost
    // a third of this method (batches fill long before the linger, and 7 records more are microseconds)
    if (overflowed || (records < 8 || (records & 7) == 0) && System.nanoTime() - since >= lingerNanos) {
      partition++;
      bytes = BATCH_OVERHEAD;
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
