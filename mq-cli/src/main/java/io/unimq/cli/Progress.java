package io.unimq.cli;

import io.unimq.api.DeadLetters;
import java.io.PrintWriter;
import java.util.function.ToLongFunction;

/**
 * A progress line on stderr while a long dead-letter replay or purge runs: the work first, then, in
 * a terminal, a bar of the dead letters examined of those there were, how many were acted on and
 * the elapsed seconds, rewritten in place (at most every 200 ms, and each second); last the outcome
 * and the time it took. Outside a terminal only the first and the last part are printed.
 */
final class Progress {
  private static final int WIDTH = 30;

  private Progress() {}

  static long run(PrintWriter err, String what, ToLongFunction<DeadLetters.Progress> work) {
    boolean terminal = System.console() != null;
    long start = System.nanoTime();
    long[] state = {0, 0, 0, 0}; // done, total, acted, last drawn (nanos)
    err.print(what + "…");
    err.flush();
    Thread ticker = null;
    if (terminal) {
      ticker = new Thread(() -> {
        try {
          while (true) {
            Thread.sleep(1000);
            draw(err, what, state, start);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "unimq-progress");
      ticker.setDaemon(true);
      ticker.start();
    }
    DeadLetters.Progress bar = (done, total, acted) -> {
      synchronized (state) {
        state[0] = done;
        state[1] = total;
        state[2] = acted;
      }
      if (terminal && System.nanoTime() - state[3] > 200_000_000L) {
        state[3] = System.nanoTime();
        draw(err, what, state, start);
      }
    };
    String outcome = " failed";
    try {
      long result = work.applyAsLong(bar);
      outcome = " done in " + (System.nanoTime() - start) / 1_000_000L + " ms";
      return result;
    } finally {
      if (ticker != null) {
        ticker.interrupt();
      }
      synchronized (err) {
        err.println((terminal ? "\r\033[K" + what + "…" : "") + outcome);
        err.flush();
      }
    }
  }

  /** {@code what… [#####.....] 1200/2500 examined, 400 acted on, 3 s}. */
  static String line(String what, long done, long total, long acted, long seconds) {
    StringBuilder b = new StringBuilder(what).append("… ");
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, done * WIDTH / total);
      b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
          .append(done).append('/').append(total).append(" examined, ").append(acted).append(" acted on, ");
    }
    return b.append(seconds).append(" s").toString();
  }

  private static void draw(PrintWriter err, String what, long[] state, long start) {
    String line;
    synchronized (state) {
      line = line(what, state[0], state[1], state[2], (System.nanoTime() - start) / 1_000_000_000L);
    }
    synchronized (err) {
      err.print("\r\033[K" + line);
      err.flush();
    }
  }
}
