package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.StageFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
  private static String report(Throwable t) {
    return report(t, false);
  }

  private static String report(Throwable t, boolean verbose) {
    StringWriter s = new StringWriter();
    ErrorHandler.report(t, new PrintWriter(s, true), verbose);
    return s.toString();
  }

  @Test
  void aBuildFailurePrintsItsMessageAndSuppressedOnes() {
    ImageBuildException e =
        new ImageBuildException("stage rootfs.packages failed: apt-get exited with code 100");
    e.addSuppressed(new ImageBuildException("cleanup of stage rootfs.mounts failed: umount busy"));
    String nl = System.lineSeparator();
    assertEquals(
        "imagebuilder: stage rootfs.packages failed: apt-get exited with code 100"
            + nl
            + "  also: cleanup of stage rootfs.mounts failed: umount busy"
            + nl,
        report(e));
  }

  @Test
  void anUnexpectedExceptionGetsItsFirstFrameAndTheStackTraceOnlyWhenVerbose() {
    String text = report(new NullPointerException("oops"));
    String nl = System.lineSeparator();
    assertTrue(
        text.startsWith(
            "imagebuilder: internal error: java.lang.NullPointerException: oops"
                + nl
                + "  at io.imagebuilder.samples.cli.ErrorHandlerTest."),
        text);
    assertTrue(
        text.endsWith("(a bug: run again with --verbose for the stack trace, and report it)" + nl),
        text);
    assertEquals(3, text.split(nl).length, text);
    String verbose = report(new NullPointerException("oops"), true);
    assertTrue(verbose.contains("\tat io.imagebuilder.samples.cli.ErrorHandlerTest"), verbose);
  }

  @Test
  void aStageFailureIsOneParagraphWithoutAStackTrace() {
    Exception deep = new java.io.IOException("No space left on device");
    for (int i = 0; i < 60; i++) {
      deep = new RuntimeException("layer " + i, deep);
    }
    StageFailedException e =
        new StageFailedException("rootfs.packages", "0123456789abcdef0123", deep);
    String text = report(e);
    String nl = System.lineSeparator();
    assertEquals(
        "imagebuilder: stage rootfs.packages (id 0123456789ab) failed: layer 59"
            + nl
            + "  (the stage's log under the output directory's logs/ has the details; --verbose prints the stack trace)"
            + nl,
        text);
    String verbose = report(e, true);
    assertTrue(verbose.split(nl).length > 60, verbose);
    assertTrue(
        verbose.contains("Caused by: java.io.IOException: No space left on device"), verbose);
  }

  @Test
  void aHugeMessageIsCut() {
    String text = report(new IllegalArgumentException("x".repeat(2_000_000)));
    assertTrue(text.length() < 4100, "length " + text.length());
    assertTrue(
        text.contains("... (2000000 characters in all)"), text.substring(text.length() - 60));
  }
}
