package io.imagebuilder.samples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README shows the lines of EmbeddingExample between its markers; the example itself is
 * compiled with this module. This keeps the region whole: one start, one end, and a complete
 * program between them.
 */
class EmbeddingExampleTest {
  static final Path SOURCE =
      Path.of("src/main/java/io/imagebuilder/samples/embed/EmbeddingExample.java");

  /** The lines the README includes. */
  static List<String> readmeRegion() throws IOException {
    List<String> lines = Files.readAllLines(SOURCE);
    int start = lines.indexOf("// README-EXAMPLE-START");
    int end = lines.indexOf("// README-EXAMPLE-END");
    assertTrue(start >= 0 && end > start, "markers in order in " + SOURCE);
    assertEquals(start, lines.lastIndexOf("// README-EXAMPLE-START"), "one start marker");
    assertEquals(end, lines.lastIndexOf("// README-EXAMPLE-END"), "one end marker");
    return lines.subList(start + 1, end);
  }

  @Test
  void theReadmeRegionIsACompleteProgram() throws IOException {
    String region = String.join("\n", readmeRegion());
    assertTrue(region.startsWith("import io.imagebuilder.api."), region);
    for (String part :
        new String[] {
          "public final class EmbeddingExample",
          "public static void main(String[] args)",
          "ImageBuilder.forSeries(\"bookworm\")",
          ".withPackages(\"openssh-server\")",
          ".withHostname(",
          "RunConfiguration.into(outputDir)",
          ".withTimeout(",
          ".onEvent(",
          "StageStarted.class,",
          "image.start(run)",
          "handle.await(",
          "artifact.sha256()"
        }) {
      assertTrue(region.contains(part), part);
    }
    assertTrue(region.endsWith("}"), "the class ends inside the region");
  }
}
