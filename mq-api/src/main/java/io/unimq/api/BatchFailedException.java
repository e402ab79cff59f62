package io.unimq.api;

/**
 * Thrown by a {@link BatchHandler} that handled its batch up to, not including, delivery
 * {@link #index()}, which failed: the deliveries before it are acked, the one at the index is
 * retried by the subscription's {@link RetryPolicy} with {@link #getCause()} as its failure, and the
 * ones after it come again in a later batch without counting an attempt. An index outside the
 * batch fails the whole batch.
 */
public class BatchFailedException extends MqException {
  private static final long serialVersionUID = 1L;

  private final int index;

  /**
   * @param index the position in the batch of the delivery that failed (0-based)
   * @param cause why it failed; decides its retry as a handler's exception would ({@link RetryPolicy.Builder#retryOn})
   */
  public BatchFailedException(int index, Throwable cause) {
    super("delivery " + index + " of the batch failed: " + cause, cause);
    this.index = index;
  }

  /** The position in the batch of the delivery that failed (0-based). */
  public int index() {
    return index;
  }
}
