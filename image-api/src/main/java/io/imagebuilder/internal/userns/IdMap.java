package io.imagebuilder.internal.userns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How the owners a rootless build sees inside its user namespace appear on the host: id 0 is the
 * caller, ids 1 to {@code count} are the caller's first subordinate range (what util-linux's {@code
 * unshare --map-auto --map-root-user} sets up). Java code that reads the tree from the host (the
 * tarball writer) maps host owners back with {@link #toNamespace}; as root the map is the identity.
 */
public final class IdMap {
  /**
   * The options of util-linux's {@code unshare} that make a new user namespace with this map for
   * the caller ({@link #rootless}): the sandbox, the command line's relaunch and the removal of a
   * rootless build's trees all enter the same map.
   */
  public static final List<String> UNSHARE_OPTIONS =
      List.of("--user", "--map-auto", "--map-root-user");

  /** One line of a {@code uid_map}: ids {@code inside..inside+count-1} are {@code outside..}. */
  public record Range(long inside, long outside, long count) {}

  private final List<Range> ranges;

  private IdMap(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** The identity, for a build that runs as root without a user namespace. */
  public static IdMap identity() {
    return new IdMap(List.of(new Range(0, 0, 1L << 32)));
  }

  /**
   * The map of a rootless build for a caller with host id {@code caller} and the subordinate range
   * {@code subordinate} (from /etc/subuid or /etc/subgid; its first id becomes 1).
   */
  public static IdMap rootless(long caller, SubordinateRanges.Range subordinate) {
    // unshare gives the range to ids 1.., one short of its length (id 0 is the caller)
    return new IdMap(
        List.of(
            new Range(0, caller, 1), new Range(1, subordinate.start(), subordinate.count() - 1)));
  }

  /** Parses the text of {@code /proc/PID/uid_map} or {@code gid_map}. */
  public static IdMap parse(String procMap) {
    List<Range> out = new java.util.ArrayList<>();
    for (String line : procMap.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 1 && f[0].isEmpty()) {
        continue;
      }
      if (f.length != 3) {
        throw new IllegalArgumentException(
            "invalid id map line '" + line + "' (expected: inside outside count)");
      }
      out.add(new Range(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
    return new IdMap(out);
  }

  /** Reads {@code /proc/PID/uid_map} (or gid_map) of a process. */
  public static IdMap read(Path procMapFile) throws IOException {
    return parse(Files.readString(procMapFile));
  }

  public List<Range> ranges() {
    return ranges;
  }

  /** The id inside the namespace of host id {@code hostId}, empty when it is not mapped. */
  public OptionalLong toNamespace(long hostId) {
    for (Range r : ranges) {
      if (hostId >= r.outside() && hostId - r.outside() < r.count()) {
        return OptionalLong.of(r.inside() + hostId - r.outside());
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdMap m && m.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
