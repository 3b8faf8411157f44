package io.imagebuilder.samples.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's code is the compiled example, and its test command is the one CI runs. */
class ReadmeTest {
  private static final Path README = Path.of("../README.md");

  @Test
  void showsTheCompiledExampleVerbatim() throws IOException {
    String region = String.join("\n", EmbeddingExampleTest.readmeRegion());
    assertTrue(
        Files.readString(README).contains("```java\n" + region + "\n```"),
        "README.md must hold the lines between the README-EXAMPLE markers of EmbeddingExample");
  }

  @Test
  void ciRunsTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(README);
    String ci = Files.readString(Path.of("../.ci/run"));
    assertTrue(
        readme.contains("\nscripts/test.sh "),
        "the README gives scripts/test.sh as the test command");
    assertTrue(
        ci.lines().anyMatch(l -> l.strip().equals("scripts/test.sh")),
        ".ci/run calls scripts/test.sh");
  }
}
