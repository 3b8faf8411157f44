package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.internal.log.Logs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;

/**
 * A {@code /usr/sbin/policy-rc.d} that answers 101 ("action forbidden") while commands run, so that
 * {@code invoke-rc.d} and {@code deb-systemd-invoke} in maintainer scripts start no daemons. Placed
 * only when {@code /usr/sbin} is a real directory and holds no policy of its own; removed on close
 * only if it is still ours.
 */
final class PolicyRcD {
  private static final Logger LOG = Logs.get(PolicyRcD.class);
  static final String CONTENT =
      "#!/bin/sh\n# Placed by imagebuilder while the image is built: start no services.\nexit 101\n";

  private final Path file;
  private boolean placed;

  PolicyRcD(Path root) {
    this.file = root.resolve("usr/sbin/policy-rc.d");
  }

  Path file() {
    return file;
  }

  /** Places the file if it may; returns whether it did. */
  boolean place() throws IOException {
    Path usr = file.getParent().getParent();
    Path sbin = file.getParent();
    if (Files.isSymbolicLink(usr)
        || Files.isSymbolicLink(sbin)
        || !Files.isDirectory(sbin, LinkOption.NOFOLLOW_LINKS)
        || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Files.write(
        file,
        CONTENT.getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    placed = true;
    return true;
  }

  /** Removes the file if this object placed it and it was not replaced since. */
  void remove() {
    if (!placed) {
      return;
    }
    placed = false;
    try {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          && new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).equals(CONTENT)) {
        Files.delete(file);
      } else {
        LOG.warn("{} was replaced while the build ran; leaving it in place", file);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", file, e.toString());
    }
  }
}
