package io.imagebuilder.internal.userns;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes a tree that an ordinary user cannot remove itself: in a rootless build, files of the
 * image belong to ids of the caller's subordinate range, and a directory such as apt's {@code
 * partial} (the {@code _apt} user's, mode 0700) cannot even be listed by the caller. In a new user
 * namespace with the build's map (the caller as root, the range as 1..), {@code rm} has root's
 * rights over those ids and nothing more; {@code --one-file-system} keeps it off any mount below.
 */
public final class NamespaceRemoval {
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private NamespaceRemoval() {}

  /**
   * The command that removes {@code root} in such a namespace, when this process could use one: not
   * root, a subordinate range of its own, and util-linux's {@code unshare}.
   *
   * @param root the tree
   * @return the argv, or empty when there is no such namespace to use
   * @throws IOException if the caller's ids cannot be read
   */
  public static Optional<List<String>> argv(Path root) throws IOException {
    if (SubordinateRanges.effectiveUid() == 0 || SubordinateRanges.forThisProcess().isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> unshare = HostTools.find("unshare");
    Optional<Path> rm = HostTools.find("rm");
    if (unshare.isEmpty() || rm.isEmpty()) {
      return Optional.empty();
    }
    List<String> argv = new ArrayList<>();
    argv.add(unshare.get().toString());
    argv.addAll(IdMap.UNSHARE_OPTIONS);
    argv.addAll(
        List.of(
            "--",
            rm.get().toString(),
            "-rf",
            "--one-file-system",
            "--",
            root.toAbsolutePath().toString()));
    return Optional.of(List.copyOf(argv));
  }

  /**
   * Removes {@code root} in the build's user namespace, as far as rm can: what it leaves (a mount
   * point, say) the caller's own walk finds and reports.
   *
   * @param root the tree
   * @return false when no such namespace can be used here (the caller is root, or has no range)
   * @throws IOException if rm cannot be started or is interrupted
   */
  public static boolean removeTree(Path root) throws IOException {
    Optional<List<String>> argv = argv(root);
    if (argv.isEmpty()) {
      return false;
    }
    try {
      HostProcess.of(argv.get()).timeout(LIMIT).run(line -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing " + root, e);
    }
    return true;
  }
}
