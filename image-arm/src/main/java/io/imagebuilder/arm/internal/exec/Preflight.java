package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.HostNotReadyException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.Signals;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/** Checks shared by every sandbox strategy: root rights, host tools, and a real test exec. */
final class Preflight {
  private Preflight() {}

  /** The host programs the sandbox runs, with the Debian package of each. */
  static void requireHostTools() throws ImageBuildException {
    HostTools.require("setsid", "util-linux");
    HostTools.require("unshare", "util-linux");
    HostTools.require("nsenter", "util-linux");
    HostTools.require("setpriv", "util-linux");
    HostTools.require("pivot_root", "util-linux");
    HostTools.require("mount", "mount");
    HostTools.require("umount", "mount");
  }

  static void requireRoot(String strategy) throws HostNotReadyException {
    if (Signals.effectiveUid() != 0) {
      throw new HostNotReadyException(
          "root",
          "run the build as root (uid 0)",
          "the "
              + strategy
              + " executor needs root (its sandbox of the target has no user namespace);"
              + " run the build as root or use a strategy that needs no root (rootless)");
    }
  }

  /** How the test binary ended: null when it exited 0, else what went wrong. */
  static String runTestBinary(Architecture arch, Path scratchParent, Map<String, String> env)
      throws ImageBuildException {
    Path dir = null;
    try {
      Files.createDirectories(scratchParent);
      dir = Files.createTempDirectory(scratchParent, ".imagebuilder-preflight-");
      Path bin = dir.resolve("exit0-" + arch.debianName());
      Files.write(bin, ElfExitBinary.forArchitecture(arch));
      Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
      HostProcess.Result r;
      try {
        r = HostProcess.of(bin.toString()).env(env).timeout(Duration.ofSeconds(30)).run(line -> {});
      } catch (IOException e) {
        // "Exec format error" and friends end here, never in front of the user
        return "the kernel cannot execute a " + arch + " binary (" + e.getMessage() + ")";
      }
      if (r.timedOut()) {
        return "a " + arch + " test binary did not finish within 30 s";
      }
      if (r.exitCode() != 0) {
        String out = String.join("\n", r.tail()).strip();
        return "a "
            + arch
            + " test binary exited with "
            + r.exitCode()
            + (out.isEmpty() ? "" : ": " + out);
      }
      return null;
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write a test binary under " + scratchParent + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("preflight interrupted", e);
    } finally {
      if (dir != null) {
        try {
          SafeDelete.deleteTree(dir);
        } catch (IOException e) {
          // a few hundred bytes in the work directory; the build deletes it with the rest
        }
      }
    }
  }

  /** Where test binaries are written: beside the root (same filesystem, exec allowed). */
  static Path scratchFor(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return abs.getParent() == null
        ? Path.of(System.getProperty("java.io.tmpdir"))
        : abs.getParent();
  }
}
