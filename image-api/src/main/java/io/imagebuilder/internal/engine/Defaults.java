package io.imagebuilder.internal.engine;

import java.nio.file.Path;

/** Where things go when the caller does not say. */
public final class Defaults {
  private Defaults() {}

  /** $XDG_CACHE_HOME/imagebuilder, else ~/.cache/imagebuilder. */
  public static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("imagebuilder");
  }
}
