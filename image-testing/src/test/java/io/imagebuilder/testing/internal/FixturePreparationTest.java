package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixturePreparationTest {
  @Test
  void aFixturesResultNamesItsFilesWhereTheyAreAfterTheOutputMoved() {
    Path next = Path.of("/f/out.next");
    Path out = Path.of("/f/out");
    BuildResult built =
        new BuildResult(
            ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build(),
            "a".repeat(64),
            "b".repeat(64),
            List.of(
                new Artifact(
                    next.resolve("debian-bookworm-amd64.img"),
                    OutputFormat.RAW,
                    10,
                    "c".repeat(64))),
            List.of(),
            "native",
            next.resolve("debian-bookworm-amd64.manifest.json"),
            false);

    BuildResult moved = FixturePreparation.moved(built, next, out);

    assertEquals(out.resolve("debian-bookworm-amd64.img"), moved.artifacts().get(0).file());
    assertEquals(
        out.resolve("debian-bookworm-amd64.manifest.json"), moved.manifest().orElseThrow());
    assertEquals(built.planId(), moved.planId());
  }
}
