package io.imagebuilder.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An embedder with no SLF4J provider sees nothing on stderr from the library's logging. */
class LogsTest {
  /** Run in a child JVM whose classpath has the library and slf4j-api only. */
  public static void main(String[] args) {
    if (args[0].equals("library")) {
      Logs.get(LogsTest.class).warn("the library logs this");
    } else {
      org.slf4j.LoggerFactory.getLogger(LogsTest.class).warn("plain SLF4J logs this");
    }
  }

  @Test
  void withoutAProviderTheLibraryPrintsNothingWhereSlf4jItselfWouldWarn() throws Exception {
    assertEquals("", stderrOf("library"));
    assertTrue(
        stderrOf("slf4j").contains("No SLF4J providers were found"),
        "the warning the library avoids (proves the child has no provider)");
  }

  private static String stderrOf(String mode) throws Exception {
    String classes =
        Path.of(Logs.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String tests =
        Path.of(LogsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String slf4j =
        Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    String.join(File.pathSeparator, classes, tests, slf4j),
                    LogsTest.class.getName(),
                    mode))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    return err;
  }
}
