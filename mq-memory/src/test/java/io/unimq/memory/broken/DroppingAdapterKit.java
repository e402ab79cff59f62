package io.unimq.memory.broken;

/** The kit against {@code broken-drop://}. */
public class DroppingAdapterKit extends BrokenAdapterKit {
  public DroppingAdapterKit() {
    super("broken-drop");
  }
}
