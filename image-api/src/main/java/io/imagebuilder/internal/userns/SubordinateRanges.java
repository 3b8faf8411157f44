package io.imagebuilder.internal.userns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The caller's subordinate id ranges, as {@code /etc/subuid} and {@code /etc/subgid} list them. */
public final class SubordinateRanges {
  /** {@code count} ids from {@code start}. */
  public record Range(long start, long count) {}

  private SubordinateRanges() {}

  /**
   * The first range of {@code file} (lines {@code name-or-id:start:count}) that belongs to the user
   * called {@code name} or with id {@code id}; empty when there is none (or no file).
   */
  public static Optional<Range> first(Path file, String name, long id) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (String line : text.split("\n")) {
      String[] f = line.strip().split(":");
      if (f.length != 3 || !(f[0].equals(name) || f[0].equals(Long.toString(id)))) {
        continue;
      }
      try {
        long start = Long.parseLong(f[1]);
        long count = Long.parseLong(f[2]);
        if (start >= 0 && count > 0) {
          return Optional.of(new Range(start, count));
        }
      } catch (NumberFormatException e) {
        // a damaged line is skipped, as shadow's tools skip it
      }
    }
    return Optional.empty();
  }

  /** The effective uid of this JVM (the owner of {@code /proc/self}). */
  public static long effectiveUid() throws IOException {
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
  }

  /** The effective gid of this JVM. */
  public static long effectiveGid() throws IOException {
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
  }

  /**
   * The owner maps of a rootless build by this JVM: identity as root; otherwise the caller as 0 and
   * its first subordinate ranges as 1.. (empty when the caller has no range).
   *
   * @return {uid map, gid map}, or empty
   */
  public static Optional<IdMap[]> forThisProcess() throws IOException {
    long uid = effectiveUid();
    if (uid == 0) {
      return Optional.of(new IdMap[] {IdMap.identity(), IdMap.identity()});
    }
    String name = System.getProperty("user.name", "");
    Optional<Range> u = first(Path.of("/etc/subuid"), name, uid);
    Optional<Range> g = first(Path.of("/etc/subgid"), name, uid);
    if (u.isEmpty() || g.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new IdMap[] {IdMap.rootless(uid, u.get()), IdMap.rootless(effectiveGid(), g.get())});
  }
}
