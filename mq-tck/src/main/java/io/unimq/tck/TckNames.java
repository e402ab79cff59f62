package io.unimq.tck;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Topic, group and producer-group names unique to one test, so that tests never see each other's
 * messages on a shared broker. Thread-safe.
 */
public final class TckNames {
  /** What every unimq name must match. */
  public static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private TckNames() {}

  /** {@code tck-<area>-<8 random hex digits>}, for example {@code tck-grp-3f9a0c12}. */
  public static String unique(String area) {
    String name = "tck-" + area + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    if (!LEGAL.matcher(name).matches()) {
      throw new IllegalArgumentException("area '" + area + "' makes an illegal name: " + name);
    }
    return name;
  }
}
