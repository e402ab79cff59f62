package io.unimq.memory.broken;

/** The kit against {@code broken-nodlq://}. */
public class NoDeadLetterAdapterKit extends BrokenAdapterKit {
  public NoDeadLetterAdapterKit() {
    super("broken-nodlq");
  }
}
