package io.unimq.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr while a long broker call runs: the work and its count first, then, in a
 * terminal, the elapsed seconds, rewritten in place each second. The public API reports only the
 * total at the end, so this line shows time, not a fraction done.
 */
final class Progress {
  private Progress() {}

  static long run(PrintWriter err, String what, LongSupplier work) {
    boolean terminal = System.console() != null;
    long start = System.nanoTime();
    err.print(what + "…");
    err.flush();
    Thread ticker = null;
    if (terminal) {
      ticker = new Thread(() -> {
        try {
          while (true) {
            Thread.sleep(1000);
            synchronized (err) {
              err.print("\r" + what + "… " + (System.nanoTime() - start) / 1_000_000_000L + " s");
              err.flush();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "unimq-progress");
      ticker.setDaemon(true);
      ticker.start();
    }
    String outcome = " failed";
    try {
      long result = work.getAsLong();
      outcome = " done in " + (System.nanoTime() - start) / 1_000_000L + " ms";
      return result;
    } finally {
      if (ticker != null) {
        ticker.interrupt();
      }
      synchronized (err) {
        err.println((terminal ? "\r" + what + "…" : "") + outcome);
        err.flush();
      }
    }
  }
}
