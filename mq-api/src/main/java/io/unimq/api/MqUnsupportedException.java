package io.unimq.api;

/** The connected broker adapter does not declare the {@link Capability} this call needs. */
public class MqUnsupportedException extends MqException {
  private static final long serialVersionUID = 1L;
  private final Capability capability;

  public MqUnsupportedException(Capability capability, String scheme) {
    super("Capability " + capability + " is not supported by the " + scheme
        + ":// adapter; check client.capabilities() before using it");
    this.capability = capability;
  }

  public Capability capability() {
    return capability;
  }
}
