package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.LockedPackagesMissingException;
import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.rootfs.internal.cache.Download;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.Repository;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a locked build takes each locked .deb from: the package cache, which keeps .debs by sha256
 * (so a version the repository's index no longer lists is still there), else the current index of a
 * repository that lists a .deb with the same sha256. The sha256 is the pin; the repository's
 * current InRelease may differ from the locked one.
 */
final class LockedDebs {
  /** Reads the current indexes a locked package may be downloaded from, only when needed. */
  interface Indexes {
    List<Repository> read() throws ImageBuildException, InterruptedException;
  }

  /**
   * Where each found package's .deb is: a cached file, or a download of it.
   *
   * @param cached locked package -> its file in the package cache
   * @param downloads locked package -> the download its repository offers now
   * @param local packages served by the build's local repository, by sha256 of the spec's files
   */
  record Found(
      Map<LockedPackage, Path> cached,
      Map<LockedPackage, Download> downloads,
      List<LockedPackage> local) {}

  private LockedDebs() {}

  /**
   * Finds every package of {@code packages}, or fails naming every one it cannot find, with what
   * was expected.
   *
   * @param localSha256 sha256 of the spec's local packages (served by the local repository)
   */
  static Found find(
      List<LockedPackage> packages, PackageCache cache, Set<String> localSha256, Indexes indexes)
      throws ImageBuildException, InterruptedException {
    Map<LockedPackage, Path> cached = new LinkedHashMap<>();
    Map<LockedPackage, Download> downloads = new LinkedHashMap<>();
    List<LockedPackage> local = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<LockedPackage> notCached = new ArrayList<>();
    for (LockedPackage p : packages) {
      if (p.sha256() == null) {
        missing.add(p.describe() + ": the lock records no .deb for it");
      } else if (localSha256.contains(p.sha256())) {
        local.add(p);
      } else {
        Optional<Path> file = cache.lookup(p.sha256(), -1);
        if (file.isPresent()) {
          cached.put(p, file.get());
        } else {
          notCached.add(p);
        }
      }
    }
    if (!notCached.isEmpty()) {
      Map<String, Download> offered = offered(indexes.read());
      for (LockedPackage p : notCached) {
        Download d = offered.get(p.sha256());
        if (d != null) {
          downloads.put(p, d);
        } else {
          missing.add(
              p.describe()
                  + ": not in the package cache, and no current index"
                  + (p.repository() == null ? "" : " of " + p.repository())
                  + " lists that .deb");
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new LockedPackagesMissingException(missing);
    }
    return new Found(cached, downloads, local);
  }

  /** Every .deb the repositories list, by sha256, as a download from its repository. */
  static Map<String, Download> offered(List<Repository> repositories) {
    Map<String, Download> out = new HashMap<>();
    for (Repository r : repositories) {
      String root = r.source().uri().toString();
      while (root.endsWith("/")) {
        root = root.substring(0, root.length() - 1);
      }
      for (PackageRecord p : r.packages()) {
        out.putIfAbsent(
            p.sha256(), new Download(URI.create(root + "/" + p.filename()), p.sha256(), p.size()));
      }
    }
    return out;
  }
}
