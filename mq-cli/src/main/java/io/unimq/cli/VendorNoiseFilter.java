package io.unimq.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard error without the start-up reports of the SLF4J copies that the RocketMQ client and tools shade
 * ({@code SLF4J: No SLF4J providers were found...}): they come on every run of a command on any broker, and
 * say nothing to an operator. Every other line, and any partial line on flush, passes through. Not thread-safe
 * on its own: {@link java.io.PrintStream} serializes the writes.
 */
final class VendorNoiseFilter extends OutputStream {
  private static final byte[] NOISE = "SLF4J: ".getBytes(StandardCharsets.US_ASCII);
  private final OutputStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  VendorNoiseFilter(OutputStream target) {
    this.target = target;
  }

  @Override
  public void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public void flush() throws IOException {
    if (!couldBeNoise()) {
      emit();
    }
    target.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
    target.close();
  }

  private void emit() throws IOException {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (!startsWithNoise(bytes)) {
      target.write(bytes);
    }
  }

  /** A partial line that may yet turn out to be a report: held back until its newline. */
  private boolean couldBeNoise() {
    byte[] bytes = line.toByteArray();
    for (int i = 0; i < Math.min(bytes.length, NOISE.length); i++) {
      if (bytes[i] != NOISE[i]) {
        return false;
      }
    }
    return bytes.length > 0;
  }

  private static boolean startsWithNoise(byte[] bytes) {
    if (bytes.length < NOISE.length) {
      return false;
    }
    for (int i = 0; i < NOISE.length; i++) {
      if (bytes[i] != NOISE[i]) {
        return false;
      }
    }
    return true;
  }
}
