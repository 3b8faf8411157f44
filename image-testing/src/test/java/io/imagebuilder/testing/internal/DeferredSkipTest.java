package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class DeferredSkipTest {
  @Test
  void aSkipBeforeTheClassIsReportedOnEachTestWithItsReason() throws Exception {
    DeferredSkip skip = new DeferredSkip();
    skip.run(() -> Assumptions.abort("fixture bookworm amd64: no subordinate uid range"));
    for (int test = 0; test < 2; test++) {
      TestAbortedException e = assertThrows(TestAbortedException.class, skip::check);
      assertEquals("fixture bookworm amd64: no subordinate uid range", e.getMessage());
    }
  }

  @Test
  void aFailureIsNotASkip() {
    DeferredSkip skip = new DeferredSkip();
    IOException failure = new IOException("disk full");
    assertSame(
        failure,
        assertThrows(
            IOException.class,
            () ->
                skip.run(
                    () -> {
                      throw failure;
                    })));
    skip.check();
  }

  @Test
  void nothingIsSkippedWhenThePreparationWorked() throws Exception {
    DeferredSkip skip = new DeferredSkip();
    skip.run(() -> {});
    skip.check();
  }
}
