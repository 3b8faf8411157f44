package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * From an image file or a sha256 to its manifest, for {@code lookup} and {@code manifest}: the
 * index first, then (for a file) the manifest embedded in it. A missing index is not an error and
 * is not created; it just finds nothing.
 */
final class ImageLookup {
  private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");

  private ImageLookup() {}

  /**
   * {@code hashOrFile} names an existing file: {@link #identify}; otherwise it must be a sha256 of
   * an artifact, a partition or a spec, looked up in the index.
   *
   * @throws IllegalArgumentException if it is neither an existing file nor 64 hex digits
   */
  static Optional<Identification> resolve(IndexOption index, String hashOrFile)
      throws ImageBuildException {
    Path path = Path.of(hashOrFile);
    if (Files.isRegularFile(path)) {
      return identify(index, path);
    }
    if (!SHA256.matcher(hashOrFile).matches()) {
      throw new IllegalArgumentException(
          "invalid image '"
              + hashOrFile
              + "' (expected an existing image file or a sha256, 64 hex digits)");
    }
    String sha256 = hashOrFile.toLowerCase(Locale.ROOT);
    Optional<ImageIndex> opened = index.openIfExists();
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ImageIndex idx = opened.get()) {
      return idx.lookup(sha256)
          .map(
              b ->
                  new Identification(
                      sha256, Identification.Source.INDEX, b.manifest(), Optional.of(b)));
    }
  }

  /** The image file's build from the index, else its embedded manifest. */
  static Optional<Identification> identify(IndexOption index, Path file)
      throws ImageBuildException {
    Optional<ImageIndex> opened = index.openIfExists();
    try {
      if (opened.isPresent()) {
        try (ImageIndex idx = opened.get()) {
          return idx.identify(file);
        }
      }
      String sha256 = Sha256.ofFile(file);
      return Manifests.readEmbedded(file)
          .map(
              m -> new Identification(sha256, Identification.Source.EMBEDDED, m, Optional.empty()));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the image " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where the manifest came from, for stderr. */
  static String describe(Identification id, IndexOption index, String asked) {
    if (id.source() == Identification.Source.INDEX) {
      String build =
          id.build()
              .map(
                  b ->
                      "build "
                          + b.id()
                          + " of "
                          + b.createdAt().truncatedTo(ChronoUnit.SECONDS)
                          + (b.planId() == null ? "" : ", plan " + b.planId().substring(0, 12))
                          + (b.outputDir() == null ? "" : ", written to " + b.outputDir()))
              .orElse("a build");
      return asked + ": " + build + " in the index " + index.file();
    }
    return asked
        + ": "
        + index.notIn()
        + "; read the manifest embedded in the image at "
        + Manifests.EMBEDDED_PATH;
  }

  /** The message for a file that is neither indexed nor carries a manifest. */
  static String notFound(IndexOption index, Path file) {
    return file
        + " "
        + index.notIn()
        + " and holds no ImageBuilder manifest at "
        + Manifests.EMBEDDED_PATH
        + " (expected an image built by ImageBuilder)";
  }
}
