package io.imagebuilder.samples.embed;

// README-EXAMPLE-START
import io.imagebuilder.api.BuildHandle;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.StageStarted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Builds a bookworm root filesystem with an SSH server, the way a Java service would: describe the
 * image, say where and how to build it, start it on its own thread, wait with a timeout, and use
 * the result. The argument is the output directory (default {@code out}).
 */
public final class EmbeddingExample {
  public static void main(String[] args)
      throws ImageBuildException, InterruptedException, TimeoutException {
    Path outputDir = Path.of(args.length > 0 ? args[0] : "out");
    ImageBuilder image =
        ImageBuilder.forSeries("bookworm").withPackages("openssh-server").withHostname("demo");
    RunConfiguration run =
        RunConfiguration.into(outputDir)
            .withTimeout(Duration.ofMinutes(30))
            .onEvent(
                StageStarted.class,
                e ->
                    System.err.printf(
                        "[%d/%d] %s: %s%n", e.index(), e.count(), e.stageType(), e.summary()));

    BuildHandle handle = image.start(run);
    BuildResult result = handle.await(Duration.ofMinutes(31));

    for (Artifact artifact : result.artifacts()) {
      System.out.printf(
          "%s  %s (%s, %d bytes)%n",
          artifact.sha256(), artifact.file(), artifact.format(), artifact.size());
    }
    System.out.println("spec hash " + result.specHash());
  }
}
// README-EXAMPLE-END
