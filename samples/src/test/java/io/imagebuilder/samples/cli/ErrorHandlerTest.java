package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
  private static String report(Throwable t) {
    StringWriter s = new StringWriter();
    ErrorHandler.report(t, new PrintWriter(s, true));
    return s.toString();
  }

  @Test
  void aBuildFailurePrintsItsMessageAndSuppressedOnes() {
    ImageBuildException e = new ImageBuildException("stage rootfs.packages failed: apt-get exited with code 100");
    e.addSuppressed(new ImageBuildException("cleanup of stage rootfs.mounts failed: umount busy"));
    String nl = System.lineSeparator();
    assertEquals(
        "imagebuilder: stage rootfs.packages failed: apt-get exited with code 100" + nl
            + "  also: cleanup of stage rootfs.mounts failed: umount busy" + nl,
        report(e));
  }

  @Test
  void anUnexpectedExceptionGetsItsStackTrace() {
    String text = report(new NullPointerException("oops"));
    assertTrue(text.startsWith("imagebuilder: internal error: java.lang.NullPointerException: oops"), text);
    assertTrue(text.contains("at io.imagebuilder.samples.cli.ErrorHandlerTest"), text);
  }
}
