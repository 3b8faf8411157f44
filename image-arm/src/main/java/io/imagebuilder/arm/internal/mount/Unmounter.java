package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;

/**
 * Undoes mounts: a normal unmount, then (busy) ending the processes inside the root and trying
 * again, and a lazy unmount only as the last resort.
 */
final class Unmounter {
  private static final Logger LOG = Logs.get(Unmounter.class);

  private Unmounter() {}

  /** Unmounts one mount point; returns false if only a lazy unmount (or nothing) worked. */
  static boolean unmount(Path point, Path root) throws IOException {
    String umount = HostTools.essential("umount", "mount");
    HostProcess.Result r = umount(List.of(umount, "--", point.toString()));
    if (r.ok()) {
      return true;
    }
    ProcessesInRoot.killAll(root);
    r = umount(List.of(umount, "--", point.toString()));
    if (r.ok()) {
      return true;
    }
    LOG.warn("umount {} failed ({}); detaching it lazily", point, r.output());
    HostProcess.Result lazy = umount(List.of(umount, "-l", "--", point.toString()));
    if (!lazy.ok()) {
      throw new IOException(
          "cannot unmount " + point + ": " + r.output() + "; lazy: " + lazy.output());
    }
    return false;
  }

  private static HostProcess.Result umount(List<String> argv) throws IOException {
    return HostProcess.of(argv).timeout(Duration.ofSeconds(60)).runToEnd();
  }

  /**
   * Unmounts every mount at or below {@code root} that the kernel lists now, deepest and newest
   * first, until none is left. Returns the mount points undone.
   */
  static List<Path> unmountAllBelow(Path root) throws IOException {
    List<Path> done = new ArrayList<>();
    for (int round = 0; round < 1000; round++) {
      List<MountEntry> below = below(MountInfoParser.current(), root);
      if (below.isEmpty()) {
        return done;
      }
      MountEntry last = deepestFirst(below).get(0);
      unmount(last.mountPoint(), root);
      done.add(last.mountPoint());
    }
    throw new IOException("mounts below " + root + " keep coming back; giving up");
  }

  static List<MountEntry> below(List<MountEntry> table, Path root) {
    List<MountEntry> out = new ArrayList<>();
    for (MountEntry e : table) {
      if (e.isAtOrBelow(root)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Orders mounts so that each one comes before whatever it sits on: deeper paths first, and at the
   * same path the later entry (mounted on top) first.
   */
  static List<MountEntry> deepestFirst(List<MountEntry> mounts) {
    List<MountEntry> indexed = new ArrayList<>(mounts);
    List<MountEntry> order = new ArrayList<>(mounts);
    order.sort(
        Comparator.<MountEntry>comparingInt(e -> e.mountPoint().getNameCount())
            .reversed()
            .thenComparing(Comparator.<MountEntry>comparingInt(indexed::indexOf).reversed()));
    return order;
  }
}
