package io.imagebuilder.samples.embed;

// README-EXAMPLE-START
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.StageStarted;
import java.nio.file.Path;

/**
 * Builds a bookworm root filesystem with an SSH server, the way a Java service would: describe
 * the image, listen to the events you care about, build, and use the result. The argument is the
 * output directory (default {@code out}).
 */
public final class EmbeddingExample {
  public static void main(String[] args) throws ImageBuildException {
    Path outputDir = Path.of(args.length > 0 ? args[0] : "out");
    BuildResult result =
        ImageBuilder.forSeries("bookworm")
            .withPackages("openssh-server")
            .withHostname("demo")
            .onEvent(StageStarted.class, e ->
                System.err.printf("[%d/%d] %s: %s%n", e.index(), e.count(), e.stageType(), e.summary()))
            .build(outputDir);

    for (Artifact artifact : result.artifacts()) {
      System.out.printf("%s  %s (%s, %d bytes)%n",
          artifact.sha256(), artifact.file(), artifact.format(), artifact.size());
    }
    System.out.println("spec hash " + result.specHash());
  }
}
// README-EXAMPLE-END
