package io.unimq.memory.broken;

/** The kit against {@code broken-reorder://}. */
public class ReorderingAdapterKit extends BrokenAdapterKit {
  public ReorderingAdapterKit() {
    super("broken-reorder");
  }
}
