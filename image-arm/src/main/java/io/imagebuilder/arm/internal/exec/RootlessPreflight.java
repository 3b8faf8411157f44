package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.sandbox.UsernsPreflight;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.userns.IdMap;
import io.imagebuilder.internal.userns.SubordinateRanges;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rootless strategy's checks: host tools, the caller's subordinate ranges, a target binary
 * runs.
 */
final class RootlessPreflight {
  private RootlessPreflight() {}

  static Map<String, String> check(Architecture target, Path root) throws ImageBuildException {
    Architecture host = Architecture.host();
    hostAllowsUserNamespaces();
    HostTools.require("chroot", "coreutils");
    HostTools.require("setsid", "util-linux");
    HostTools.require("unshare", "util-linux");
    HostTools.require("nsenter", "util-linux");
    HostTools.require("setpriv", "util-linux");
    HostTools.require("mount", "mount");
    HostTools.require("newuidmap", "uidmap");
    HostTools.require("newgidmap", "uidmap");
    idMaps();
    if (target != host) {
      return new QemuUserPreflight(QemuUserPreflight.DEFAULT_BINFMT_DIR)
          .checkForNamespaces(target, root);
    }
    String problem =
        Preflight.runTestBinary(target, Preflight.scratchFor(root), CommandEnvironment.base());
    if (problem != null) {
      throw new ImageBuildException("rootless preflight failed: " + problem);
    }
    return Map.of();
  }

  /** Fails, before any download, with every missing host prerequisite and its fix. */
  static void hostAllowsUserNamespaces() throws ImageBuildException {
    List<String> problems;
    try {
      problems =
          new UsernsPreflight(Path.of("/"))
              .problems(System.getProperty("user.name", "?"), SubordinateRanges.effectiveUid());
    } catch (IOException e) {
      throw new ImageBuildException("cannot check the host for rootless builds: " + e, e);
    }
    if (!problems.isEmpty()) {
      throw new ImageBuildException(
          "the rootless executor cannot run here: " + String.join("; ", problems));
    }
  }

  /**
   * {uid map, gid map} of a sandbox of this JVM; fails naming the fix when the caller has no range.
   */
  static IdMap[] idMaps() throws ImageBuildException {
    Optional<IdMap[]> maps;
    try {
      maps = SubordinateRanges.forThisProcess();
    } catch (IOException e) {
      throw new ImageBuildException("cannot read /etc/subuid or /etc/subgid: " + e, e);
    }
    if (maps.isEmpty()) {
      String user = System.getProperty("user.name", "?");
      throw new ImageBuildException(
          "the rootless executor needs a subordinate id range for the user "
              + user
              + " in /etc/subuid and /etc/subgid (none found). Fix (as root): usermod --add-subuids 100000-165535"
              + " --add-subgids 100000-165535 "
              + user);
    }
    return maps.get();
  }
}
