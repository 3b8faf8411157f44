package io.imagebuilder.arm.internal.mount;

import java.nio.file.Path;

/**
 * One line of {@code /proc/self/mountinfo}.
 *
 * @param id the mount id
 * @param parentId the id of the mount it sits on
 * @param mountPoint where it is mounted, with the kernel's octal escapes undone
 * @param fsType the filesystem type, e.g. {@code proc}
 * @param source the mount source, e.g. {@code /dev/vda} or {@code tmpfs}
 * @param propagation the optional fields, e.g. {@code shared:1} (empty for private)
 */
public record MountEntry(
    int id, int parentId, Path mountPoint, String fsType, String source, String propagation) {

  /** Whether this mount sits strictly below {@code dir} (or on {@code dir} itself). */
  public boolean isAtOrBelow(Path dir) {
    return mountPoint.startsWith(dir);
  }
}
