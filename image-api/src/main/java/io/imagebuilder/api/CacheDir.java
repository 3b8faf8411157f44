package io.imagebuilder.api;

import io.imagebuilder.internal.engine.Defaults;
import java.nio.file.Path;

/** The ImageBuilder cache directory used when the caller names none. */
public final class CacheDir {
  private CacheDir() {}

  /**
   * The default cache directory: {@code $XDG_CACHE_HOME/imagebuilder} when that variable is set and
   * not blank, else {@code ~/.cache/imagebuilder}. Nothing is created.
   *
   * @return the directory, as the builds of this JVM use it when no cache directory is given
   */
  public static Path defaultDir() {
    return Defaults.cacheDir();
  }
}
