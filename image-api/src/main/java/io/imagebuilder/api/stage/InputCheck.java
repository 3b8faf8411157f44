package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells the current digest of one kind of {@link ResolvedInput}, so the engine can decide whether a
 * cached result is still what a build would make. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.imagebuilder.api.stage.InputCheck}); the engine checks {@code file}
 * inputs itself.
 */
public interface InputCheck {
  /**
   * The kind this checks.
   *
   * @return the {@link ResolvedInput#kind()} it handles, e.g. {@code apt-release}
   */
  String kind();

  /**
   * The input's digest now, or empty when it cannot be told (then the cached result is not used).
   *
   * @param key the input's key as recorded
   * @param cacheDir the build's cache directory
   * @return the current digest, or empty when it cannot be told
   * @throws ImageBuildException when checking fails in a way the caller must hear about
   * @throws InterruptedException when the build is cancelled while checking
   */
  Optional<String> currentDigest(String key, Path cacheDir)
      throws ImageBuildException, InterruptedException;
}
