package io.imagebuilder.rootfs.internal.tar;

import io.imagebuilder.internal.userns.IdMap;
import io.imagebuilder.internal.userns.SubordinateRanges;
import java.io.IOException;

/**
 * The owners a tree's files have inside the build's user namespace, from the host ids the JVM
 * reads: as root the same ids; in a rootless build the caller is 0 and its subordinate range is 1..
 * (see {@link IdMap}), so the archive holds the owners a root build gives.
 */
final class NamespaceOwners {
  private final IdMap uids;
  private final IdMap gids;

  NamespaceOwners(IdMap uids, IdMap gids) {
    this.uids = uids;
    this.gids = gids;
  }

  /** The maps of this JVM; without a subordinate range only the caller (as 0) is mapped. */
  static NamespaceOwners forThisProcess() throws IOException {
    var maps = SubordinateRanges.forThisProcess();
    if (maps.isPresent()) {
      return new NamespaceOwners(maps.get()[0], maps.get()[1]);
    }
    IdMap.Range u = new IdMap.Range(0, SubordinateRanges.effectiveUid(), 1);
    IdMap.Range g = new IdMap.Range(0, SubordinateRanges.effectiveGid(), 1);
    return new NamespaceOwners(IdMap.parse(line(u)), IdMap.parse(line(g)));
  }

  private static String line(IdMap.Range r) {
    return r.inside() + " " + r.outside() + " " + r.count();
  }

  long uid(long hostUid, String entry) throws IOException {
    return uids.toNamespace(hostUid)
        .orElseThrow(
            () ->
                new IOException(
                    entry
                        + " belongs to host uid "
                        + hostUid
                        + ", which the build's user namespace does not map ("
                        + uids
                        + ")"));
  }

  long gid(long hostGid, String entry) throws IOException {
    return gids.toNamespace(hostGid)
        .orElseThrow(
            () ->
                new IOException(
                    entry
                        + " belongs to host gid "
                        + hostGid
                        + ", which the build's user namespace does not map ("
                        + gids
                        + ")"));
  }
}
