package io.imagebuilder.api.boot;

import io.imagebuilder.api.error.ImageBuildException;

/**
 * Runs {@link BootCheck}s; found with {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.imagebuilder.api.boot.BootRunner} (image-arm has the qemu one).
 */
public interface BootRunner {
  BootResult boot(BootCheck check) throws ImageBuildException, InterruptedException;
}
