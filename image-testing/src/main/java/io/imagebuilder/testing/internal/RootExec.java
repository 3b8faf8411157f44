package io.imagebuilder.testing.internal;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.io.DirectoryLock;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.internal.io.SafeDelete;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs a command inside a root through the library's executor (chroot as root, qemu-user for a
 * foreign architecture, whatever the strategy is), with its stdout and stderr kept apart: the
 * executor merges them, so the target's {@code /bin/sh} sends each to a file in a directory made
 * for this command at the top of the root, which is removed afterwards. One command at a time per
 * root, across JVMs: an executor's mounts belong to one owner.
 */
public final class RootExec {
  private RootExec() {}

  /**
   * How the command ended.
   *
   * @param exitCode its exit code
   * @param stdout what it wrote to stdout, decoded as UTF-8
   * @param stderr what it wrote to stderr, decoded as UTF-8
   * @param duration how long it ran
   */
  public record Output(int exitCode, String stdout, String stderr, Duration duration) {}

  /**
   * The lock of commands run in {@code root} (each writes its output into the root while it runs):
   * whoever copies the root holds it too, so no copy meets a half-made capture directory.
   */
  public static DirectoryLock lock(Path root, Duration timeout)
      throws IOException, InterruptedException {
    Path realRoot = root.toRealPath();
    return WaitingLock.acquire(
        realRoot.resolveSibling("." + realRoot.getFileName() + ".exec.lock"), timeout);
  }

  /** Runs {@code command} in {@code root} with the strategy called {@code strategy}. */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  public static Output run(
      String strategy, Path root, Architecture architecture, Command command, Duration lockTimeout)
      throws ImageBuildException, IOException, InterruptedException {
    Path realRoot = root.toRealPath();
    if (!Files.isRegularFile(
        RootfsPaths.resolveFollowing(realRoot, "/bin/sh"), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "cannot exec "
              + command.argv()
              + " in "
              + root
              + ": the image has no /bin/sh (expected one to keep stdout and stderr apart)");
    }
    try (DirectoryLock lock = lock(realRoot, lockTimeout)) {
      String capture = "/.imagebuilder-exec-" + UUID.randomUUID();
      Path hostCapture = realRoot.resolve(capture.substring(1));
      Files.createDirectory(hostCapture);
      try {
        List<String> argv =
            new ArrayList<>(
                List.of("/bin/sh", "-c", "exec \"$@\" >\"$0/stdout\" 2>\"$0/stderr\"", capture));
        argv.addAll(command.argv());
        Command wrapped =
            new Command(
                argv,
                command.environment(),
                command.timeout(),
                command.workingDirectory(),
                command.nativeHelpers());
        CommandResult result;
        try (Executor executor =
            ExecutionStrategies.find(strategy, architecture).open(realRoot, architecture)) {
          executor.preflight();
          result = executor.run(wrapped, line -> {});
        }
        return new Output(
            result.exitCode(),
            readIfPresent(hostCapture.resolve("stdout")),
            readIfPresent(hostCapture.resolve("stderr")),
            result.duration());
      } finally {
        SafeDelete.deleteTreeOrThrow(hostCapture);
      }
    }
  }

  private static String readIfPresent(Path file) throws IOException {
    return Files.isRegularFile(file)
        ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
        : "";
  }
}
