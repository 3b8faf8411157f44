package io.imagebuilder.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Gives the target the host's DNS configuration for the commands that may reach the network (apt
 * downloading, a hook that asks for the network), since the image has none of its own while it is
 * built. The finalise stage removes it again, so no image carries the build host's resolv.conf.
 */
public final class HostDns {
  /** Where the resolver configuration lives, on the host and in the image. */
  public static final String RESOLV_CONF = "/etc/resolv.conf";

  private HostDns() {}

  /**
   * Copies the host's resolv.conf into {@code rootfs}, unless the image already has a file of its
   * own there. A link at the name (say to a resolver's runtime file) is replaced, never written
   * through.
   *
   * @param rootfs the target's root directory
   * @throws IOException if it cannot be written
   */
  public static void provide(Path rootfs) throws IOException {
    Path target = RootfsPaths.resolve(rootfs, RESOLV_CONF);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(target)) {
      return;
    }
    Path host = Path.of(RESOLV_CONF);
    byte[] content = Files.isReadable(host) ? Files.readAllBytes(host) : new byte[0];
    RootfsPaths.createDirectories(rootfs, target.getParent());
    Files.deleteIfExists(target); // the link itself
    AtomicFiles.fill(
        target,
        temp -> {
          Files.write(temp, content);
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        });
  }

  /**
   * Removes what {@link #provide} wrote (a regular file at the name).
   *
   * @param rootfs the target's root directory
   * @throws IOException if it cannot be removed
   */
  public static void remove(Path rootfs) throws IOException {
    Path target = RootfsPaths.resolve(rootfs, RESOLV_CONF);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(target);
    }
  }
}
