package io.imagebuilder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ITs' library cache (the system property {@code imagebuilder.testing.cacheDir}, set by the
 * pom) with its {@code packages} linked to the run's shared package cache ({@code
 * IMAGEBUILDER_TEST_CACHE}, else {@code target/it-cache}), so packages are downloaded once for
 * every module's ITs. Called from each IT's static initialiser, before its fixture is declared.
 */
final class ItCache {
  private ItCache() {}

  static void linkSharedPackages() {
    String shared = System.getenv("IMAGEBUILDER_TEST_CACHE");
    Path packages =
        Path.of(shared != null && !shared.isBlank() ? shared : "target/it-cache")
            .toAbsolutePath()
            .resolve("packages");
    Path cache =
        Path.of(System.getProperty("imagebuilder.testing.cacheDir", "target/it-fixtures-cache"));
    try {
      Files.createDirectories(packages);
      Files.createDirectories(cache);
      Files.createSymbolicLink(cache.resolve("packages"), packages);
    } catch (FileAlreadyExistsException e) {
      // another fork linked it first
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
