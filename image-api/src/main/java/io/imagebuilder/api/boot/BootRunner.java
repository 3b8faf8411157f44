package io.imagebuilder.api.boot;

import io.imagebuilder.api.error.ImageBuildException;

/**
 * Runs {@link BootCheck}s; found with {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.imagebuilder.api.boot.BootRunner} (image-arm has the qemu one).
 */
public interface BootRunner {
  /**
   * Boots the image and waits for what the check expects.
   *
   * @param check the image, board and expectations
   * @return what the boot showed
   * @throws ImageBuildException if the boot cannot be started
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  BootResult boot(BootCheck check) throws ImageBuildException, InterruptedException;
}
