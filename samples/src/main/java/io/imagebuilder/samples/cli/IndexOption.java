package io.imagebuilder.samples.cli;

import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.ImageIndexException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --cache DIR}, shared by the commands that read the image index: the index is {@code
 * DIR/index.db}, the file {@code build --cache DIR} records builds in.
 */
final class IndexOption {
  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "The cache directory whose index.db to read (default: ~/.cache/imagebuilder, "
              + "or $XDG_CACHE_HOME/imagebuilder), as given to build --cache.")
  Path cache;

  /** The index file these options name. */
  Path file() {
    return (cache == null ? ImageIndex.defaultFile() : ImageIndex.fileIn(cache))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * The index, opened; empty when its file does not exist. A query never creates an index: a
   * missing one simply holds nothing.
   *
   * @throws ImageIndexException if the file is not an index, is damaged or is newer (it is left as
   *     it is)
   */
  Optional<ImageIndex> openIfExists() throws ImageIndexException {
    Path file = file();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(ImageIndex.open(file));
  }

  /** "in the index FILE", or "(the index FILE does not exist)": the end of a not-found message. */
  String where() {
    Path file = file();
    return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        ? "in the index " + file
        : "(the index " + file + " does not exist)";
  }

  /** "is not in the index FILE", or "is not indexed (the index FILE does not exist)". */
  String notIn() {
    Path file = file();
    return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        ? "is not in the index " + file
        : "is not indexed (the index " + file + " does not exist)";
  }
}
