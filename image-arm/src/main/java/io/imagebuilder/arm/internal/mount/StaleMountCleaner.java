package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.log.Logs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Removes mounts that a killed JVM ({@code kill -9}, power loss of a container) left below a work
 * directory. A mount is stale when no root above it (up to the work directory) is locked by a live
 * build through {@link RootLock}; live builds, in this JVM or others, are left alone.
 *
 * <p>Call {@link #clean(Path)} before a build starts, on the parent of all build work directories
 * (say {@code <cacheDir>/work}).
 */
public final class StaleMountCleaner {
  private static final Logger LOG = Logs.get(StaleMountCleaner.class);

  private StaleMountCleaner() {}

  /**
   * Ends processes still running in stale roots below {@code workParent} and unmounts their mounts,
   * deepest first (lazily only as the last resort), then removes their lock files.
   *
   * @param workParent the directory under which builds make their roots
   * @return the mount points removed, in the order they were unmounted (empty when all was clean)
   * @throws ImageBuildException when a stale mount cannot be removed
   */
  public static List<Path> clean(Path workParent) throws ImageBuildException {
    Path parent = workParent.toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(parent)) {
        parent = parent.toRealPath();
      }
      List<Path> removed = new ArrayList<>();
      Set<Path> staleRoots = new LinkedHashSet<>();
      for (int round = 0; round < 100; round++) {
        List<MountEntry> stale = findStale(MountInfoParser.current(), parent, RootLock::isHeld);
        if (stale.isEmpty()) {
          break;
        }
        MountEntry first = Unmounter.deepestFirst(stale).get(0);
        Path root = ownerRoot(first.mountPoint(), parent);
        staleRoots.add(root);
        LOG.warn(
            "removing stale mount {} ({}) left by a build that is gone",
            first.mountPoint(),
            first.fsType());
        ProcessesInRoot.killAll(root);
        Unmounter.unmount(first.mountPoint(), root);
        removed.add(first.mountPoint());
      }
      for (Path root : staleRoots) {
        if (!RootLock.isHeld(root)) {
          Files.deleteIfExists(RootLock.lockFileFor(root));
        }
      }
      return removed;
    } catch (IOException e) {
      throw new ImageBuildException("cannot remove stale mounts below " + parent + ": " + e, e);
    }
  }

  /**
   * The mounts at or below {@code parent} that belong to no live build, in mountinfo order.
   *
   * @param isHeld whether a root is owned by a live build
   */
  static List<MountEntry> findStale(List<MountEntry> table, Path parent, Predicate<Path> isHeld) {
    List<MountEntry> out = new ArrayList<>();
    for (MountEntry e : table) {
      Path p = e.mountPoint();
      if (!p.startsWith(parent) || p.equals(parent)) {
        continue;
      }
      if (!ownedByLiveBuild(p, parent, isHeld)) {
        out.add(e);
      }
    }
    return out;
  }

  private static boolean ownedByLiveBuild(Path mountPoint, Path parent, Predicate<Path> isHeld) {
    for (Path a = mountPoint;
        a != null && a.startsWith(parent) && !a.equals(parent);
        a = a.getParent()) {
      if (isHeld.test(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The root a stale mount belongs to: the nearest directory above it with a lock file, else the
   * topmost directory below {@code parent} that contains it.
   */
  static Path ownerRoot(Path mountPoint, Path parent) {
    Path top = mountPoint;
    for (Path a = mountPoint;
        a != null && a.startsWith(parent) && !a.equals(parent);
        a = a.getParent()) {
      if (RootLock.hasLockFile(a)) {
        return a;
      }
      top = a;
    }
    return top;
  }
}
