package io.imagebuilder.testing.internal;

import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * A skip a fixture finds before its class's first test, reported on each of the class's tests:
 * Maven Surefire counts a class aborted in {@code beforeAll} as no test at all and drops the
 * reason, so the user would see "Tests run: 0" and not why. The reason also goes to standard error
 * once.
 */
public final class DeferredSkip {
  /** What {@link #run} runs. */
  @FunctionalInterface
  public interface Preparation {
    /** Makes the fixture ready, or aborts with the reason the host cannot. */
    void run() throws Exception;
  }

  private volatile String reason;

  /** Runs {@code preparation}, keeping a skip it throws for {@link #check}. */
  public void run(Preparation preparation) throws Exception {
    try {
      preparation.run();
    } catch (TestAbortedException e) {
      reason = e.getMessage();
      System.err.println("image-testing: skipping the tests: " + reason);
    }
  }

  /** Skips the test with the kept reason, if there is one. */
  public void check() {
    String r = reason;
    if (r != null) {
      Assumptions.abort(r);
    }
  }
}
