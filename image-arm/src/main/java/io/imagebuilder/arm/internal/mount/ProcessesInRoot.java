package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.internal.log.Logs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Finds and ends processes whose root directory ({@code /proc/<pid>/root}) is inside a target root:
 * whatever a build started (daemons, background jobs) must be gone before its mounts are undone.
 */
public final class ProcessesInRoot {
  private static final Logger LOG = Logs.get(ProcessesInRoot.class);
  private static final Path PROC = Path.of("/proc");
  private static final long GRACE_MILLIS = 2_000;

  private ProcessesInRoot() {}

  /** The pids of live processes whose root is {@code root} or below it. */
  public static List<Long> find(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          Path target = Files.readSymbolicLink(p.resolve("root"));
          if (isInside(target, abs)) {
            out.add(Long.parseLong(name));
          }
        } catch (IOException | SecurityException e) {
          // gone already, or a kernel thread: not ours
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list /proc: {}", e.toString());
    }
    return out;
  }

  static boolean isInside(Path processRoot, Path root) {
    // A deleted root shows as "/path (deleted)"; strip it so it still matches.
    String s = processRoot.toString();
    if (s.endsWith(" (deleted)")) {
      processRoot = Path.of(s.substring(0, s.length() - " (deleted)".length()));
    }
    return processRoot.isAbsolute() && processRoot.normalize().startsWith(root);
  }

  /**
   * Ends every process inside {@code root}: SIGTERM, a short grace, then SIGKILL, repeated until
   * none is left (a dying shell may still fork). Returns how many processes were found.
   */
  public static int killAll(Path root) {
    List<Long> pids = find(root);
    int found = pids.size();
    if (found == 0) {
      return 0;
    }
    LOG.info("ending {} process(es) left in {}: {}", found, root, pids);
    pids.forEach(pid -> Signals.kill(pid, Signals.SIGTERM));
    long deadline = System.currentTimeMillis() + GRACE_MILLIS;
    while (!pids.isEmpty() && System.currentTimeMillis() < deadline) {
      sleepQuietly(50);
      pids = find(root);
    }
    for (int round = 0; round < 50 && !pids.isEmpty(); round++) {
      pids.forEach(pid -> Signals.kill(pid, Signals.SIGKILL));
      sleepQuietly(20);
      pids = find(root);
    }
    if (!pids.isEmpty()) {
      LOG.warn("processes still alive in {} after SIGKILL: {}", root, pids);
    }
    return found;
  }

  /** Sleeps without giving up: cleanup must finish even when the thread was interrupted. */
  static void sleepQuietly(long millis) {
    long end = System.currentTimeMillis() + millis;
    boolean interrupted = false;
    while (true) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
