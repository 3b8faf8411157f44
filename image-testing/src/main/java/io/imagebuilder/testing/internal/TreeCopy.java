package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Copies a tree with owners, modes, links and times kept, sharing blocks where the filesystem can
 * ({@code cp --reflink=auto}: btrfs, XFS, bcachefs clone in an instant; others copy).
 */
public final class TreeCopy {
  private TreeCopy() {}

  /** Copies {@code from} to {@code to}, which must not exist. */
  public static void copy(Path from, Path to) throws IOException, InterruptedException {
    if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "invalid copy target '" + to + "' (expected a path that does not exist)");
    }
    String cp = HostTools.essential("cp", "coreutils");
    HostProcess.Result r =
        HostProcess.of(cp, "-a", "--reflink=auto", "--", from.toString(), to.toString())
            .timeout(Duration.ofMinutes(30))
            .run(line -> {});
    if (!r.ok()) {
      throw new IOException("cannot copy " + from + " to " + to + ": " + r.output());
    }
  }
}
