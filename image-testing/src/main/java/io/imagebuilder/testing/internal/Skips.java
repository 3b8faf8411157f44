package io.imagebuilder.testing.internal;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Turns "this host cannot" into a skipped test (a JUnit assumption, the reason as its message), or,
 * with {@code imagebuilder.testing.failInsteadOfSkip=true} (CI, where a skip would hide a broken
 * host), into a failure with the same reason.
 */
public final class Skips {
  private Skips() {}

  /** Aborts or fails the test with {@code reason}; never returns. */
  public static void cannot(String reason, boolean failInsteadOfSkip) {
    if (failInsteadOfSkip) {
      Assertions.fail(
          reason
              + " ("
              + FixtureSettings.FAIL_INSTEAD_OF_SKIP
              + "=true turns this skip into a failure)");
    }
    Assumptions.abort(reason);
  }
}
