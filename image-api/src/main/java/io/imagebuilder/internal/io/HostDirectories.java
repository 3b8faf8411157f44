package io.imagebuilder.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The directories of the host a build must never write into, empty or delete: {@code /}, the
 * top-level system directories, the directories of {@code /usr} and {@code /var}, and anything
 * inside those that belong to the running system ({@code /etc}, {@code /proc}, {@code /sys}, {@code
 * /dev}, {@code /boot}, {@code /bin}, {@code /sbin}, {@code /lib*}). A path is judged by where it
 * really leads: symlinks in it are followed as far as the path exists.
 */
public final class HostDirectories {
  /** Refused themselves; a new directory below them is fine (say /home/me/out). */
  private static final Set<String> ITSELF =
      Set.of(
          "/",
          "/home",
          "/root",
          "/usr",
          "/var",
          "/opt",
          "/srv",
          "/tmp",
          "/mnt",
          "/media",
          "/run",
          "/snap",
          "/lost+found",
          "/usr/local",
          "/var/tmp");

  /** Refused with everything below them. */
  private static final Set<String> WITH_CONTENTS =
      Set.of(
          "/etc", "/proc", "/sys", "/dev", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
          "/libx32", "/efi");

  private HostDirectories() {}

  /**
   * Why {@code dir} is a host system directory (say {@code "inside the host system directory
   * /etc"}), or empty when a build may use it.
   */
  public static Optional<String> refusal(Path dir) {
    Path real = realPath(dir.toAbsolutePath().normalize());
    String s = real.toString();
    if (ITSELF.contains(s)) {
      return Optional.of("a host system directory");
    }
    for (Path p = real; p != null; p = p.getParent()) {
      if (WITH_CONTENTS.contains(p.toString())) {
        return Optional.of(
            p.equals(real) ? "a host system directory" : "inside the host system directory " + p);
      }
    }
    Path parent = real.getParent();
    if (parent != null && (parent.toString().equals("/usr") || parent.toString().equals("/var"))) {
      return Optional.of("a host system directory");
    }
    String home = System.getProperty("user.home");
    if (home != null
        && !home.isBlank()
        && real.equals(realPath(Path.of(home).toAbsolutePath().normalize()))) {
      return Optional.of("the home directory " + s);
    }
    return Optional.empty();
  }

  /** {@code path} with the symlinks of its longest existing prefix resolved. */
  static Path realPath(Path abs) {
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }
}
