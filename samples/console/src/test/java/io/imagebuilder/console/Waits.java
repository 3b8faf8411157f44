package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

/** Polling for what a test waits on in servers it does not control (a build, a queue, a log). */
final class Waits {
  private Waits() {}

  /** Something to wait for; may throw while it is not ready. */
  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} every half second; fails naming {@code what} after {@code limit}. */
  static void waitFor(Check check, Duration limit, String what) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(500);
    }
    fail("timed out after " + limit.toSeconds() + " s waiting for " + what);
  }
}
