package io.imagebuilder.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The console ITs' library caches: each a directory of its own (so its index holds only that test's
 * builds) whose {@code packages} is the run's shared package cache ($IMAGEBUILDER_TEST_CACHE, else
 * target/it-cache), so every .deb is downloaded once per run.
 */
final class ItCaches {
  private ItCaches() {}

  /** {@code dir/cache}, made, its packages linked to the shared package cache. */
  static Path in(Path dir) throws IOException {
    String shared = System.getenv("IMAGEBUILDER_TEST_CACHE");
    Path packages =
        Files.createDirectories(
            Path.of(shared != null && !shared.isBlank() ? shared : "target/it-cache")
                .toAbsolutePath()
                .resolve("packages"));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    if (!Files.exists(cache.resolve("packages"))) {
      Files.createSymbolicLink(cache.resolve("packages"), packages);
    }
    return cache;
  }
}
