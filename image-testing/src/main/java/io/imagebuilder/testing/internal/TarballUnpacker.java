package io.imagebuilder.testing.internal;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.deb.SafeExtractor;
import io.imagebuilder.rootfs.internal.tar.TarballCompression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks a rootfs tarball with the library's own safe extraction (the one base images go through):
 * nothing lands outside the target, numeric owners are kept when running as root.
 */
final class TarballUnpacker {
  private TarballUnpacker() {}

  static void unpack(Path tarball, Path rootfs) throws ImageBuildException, IOException {
    Files.createDirectories(rootfs);
    String label = "fixture tarball " + tarball;
    new SafeExtractor()
        .extractTree(
            TarballCompression.openTar(Files.newInputStream(tarball), label), rootfs, label);
  }
}
