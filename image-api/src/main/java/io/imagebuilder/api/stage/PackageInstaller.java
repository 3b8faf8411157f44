package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import java.util.List;

/**
 * Installs packages with apt inside the target, so that every stage installing packages does it the
 * same way (e.g. with the .debs downloaded and decompressed natively when the target runs under
 * emulation). A service, not a fact: a stage that installs packages loads the implementation with
 * {@link java.util.ServiceLoader} (image-rootfs provides one) and falls back to a plain {@code
 * apt-get install} when none is on the class path. An implementation keeps no state between calls;
 * what it needs it reads from the context and the target.
 */
public interface PackageInstaller {
  /**
   * Has the same effect as running {@code apt-get install --yes --no-install-recommends <options>
   * <packages>} in the target: the same packages installed, the same ones marked as installed by
   * hand, and the same failure.
   *
   * @param context the stage's context (the rootfs, the executor)
   * @param options apt-get options placed before the packages, e.g. {@code -o
   *     Dpkg::Options::=--force-confold}
   * @param packages apt-get install arguments naming packages
   * @throws ImageBuildException if apt-get fails
   * @throws InterruptedException if the thread is interrupted while apt-get runs
   */
  void install(StageContext context, List<String> options, List<String> packages)
      throws ImageBuildException, InterruptedException;
}
