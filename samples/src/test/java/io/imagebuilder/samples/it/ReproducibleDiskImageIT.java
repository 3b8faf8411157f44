package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.IndexedBuild;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.testing.DiskImageFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The release workflow for a disk image: take a raw image's sha256, find the spec that built it in
 * the image index, rebuild from that spec alone in a fresh cache (every stage runs again; only the
 * downloaded .debs are shared), and get the same bytes.
 */
class ReproducibleDiskImageIT {
  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("pc-amd64", "bookworm", "openssh-server");

  @Test
  void rebuildingTheLookedUpSpecGivesAByteIdenticalRawImage() throws Exception {
    String sha256 = IMAGE.diskSha256();

    ImageSpec spec;
    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(BoardImages.cacheDir()))) {
      IndexedBuild build =
          index
              .findByArtifact(sha256)
              .orElseThrow(
                  () ->
                      new AssertionError(
                          sha256 + " is not in the index of " + BoardImages.cacheDir()));
      spec = build.manifest().toSpec();
    }
    assertEquals(
        IMAGE.result().specHash(), spec.specHash(), "the index returns the spec that was built");

    Path work = ItBuilds.freshWorkDir("pc-amd64-rebuild");
    BuildResult again =
        ImageBuilder.fromSpec(spec)
            .build(RunConfiguration.into(work.resolve("out")).withCacheDir(work.resolve("cache")));

    assertEquals(
        sha256,
        again.artifact(OutputFormat.RAW).orElseThrow().sha256(),
        "the raw image rebuilt from the looked-up spec has the same sha256");
  }
}
