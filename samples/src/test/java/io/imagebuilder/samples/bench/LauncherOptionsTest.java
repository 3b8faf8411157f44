package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmarks run our JVM as the {@code ./imagebuilder} launcher runs a build. */
class LauncherOptionsTest {
  @Test
  void benchmarkJvmOptionsAreTheLaunchersBuildDefaults() throws Exception {
    Path launcher = Path.of("..", "imagebuilder");
    String script = Files.readString(launcher);
    Matcher m =
        Pattern.compile("exec java \\$\\{IMAGEBUILDER_JAVA_OPTS:-([^}]*)\\} -jar").matcher(script);
    if (!m.find()) {
      throw new AssertionError("no default IMAGEBUILDER_JAVA_OPTS in " + launcher.toAbsolutePath());
    }
    assertEquals(
        List.of(m.group(1).trim().split("\\s+")), BoardBenchmarkOptions.LAUNCHER_JAVA_OPTIONS);
  }
}
