package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One output directory holds the image of one spec: its artifacts, manifests, SBOM and logs. A
 * build of the same spec replaces them in place (a reproducible build writes the same bytes); a
 * build of another spec is refused before any work while the directory still holds an artifact that
 * a manifest there records for a different spec, so no image is silently replaced by another and no
 * directory ends with one spec's artifacts beside another's manifest.
 */
final class OtherSpecImages {
  private static final String SUFFIX = ".manifest.json";

  private OtherSpecImages() {}

  /**
   * @throws ImageBuildException naming the other spec's artifact, its spec hash and manifest, and
   *     what to do
   */
  static void refuse(Path outputDir, String specHash) throws ImageBuildException {
    if (!Files.isDirectory(outputDir)) {
      return;
    }
    for (Path manifestFile : manifests(outputDir)) {
      Manifest other;
      try {
        other = Manifest.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        continue; // not a manifest we wrote: the directory check decides about strangers
      }
      if (specHash.equals(other.specHash())) {
        continue;
      }
      for (ManifestArtifact a : other.artifacts()) {
        if (Files.exists(outputDir.resolve(a.file()), LinkOption.NOFOLLOW_LINKS)) {
          throw new ImageBuildException(
              "the output directory "
                  + outputDir
                  + " holds "
                  + a.file()
                  + " of another spec (spec hash "
                  + other.specHash().substring(0, 12)
                  + ", recorded in "
                  + manifestFile.getFileName()
                  + "); build into another directory, or remove that image's files first");
        }
      }
    }
  }

  private static List<Path> manifests(Path dir) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      s.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    out.sort(null);
    return out;
  }
}
