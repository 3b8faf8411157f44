package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Gives the target the host's DNS configuration while apt runs, and takes it away again: the
 * finalise stage removes it, so no image carries the build host's resolv.conf.
 */
final class HostNetwork {
  static final String RESOLV_CONF = "/etc/resolv.conf";

  private HostNetwork() {}

  static void provide(Path rootfs) {
    try {
      Path target = RootfsPaths.resolve(rootfs, RESOLV_CONF);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(target)) {
        return;
      }
      Path host = Path.of(RESOLV_CONF);
      byte[] content = Files.isReadable(host) ? Files.readAllBytes(host) : new byte[0];
      RootfsFiles.write(rootfs, RESOLV_CONF, content, 0644);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give the target a resolv.conf", e);
    }
  }
}
