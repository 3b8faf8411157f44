package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.arm.internal.mount.ProcessesInRoot;
import io.imagebuilder.arm.internal.mount.Signals;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.LinePump;
import io.imagebuilder.internal.process.OutputTail;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Runs one host process as the leader of its own session (through {@code setsid}), so that the
 * whole tree it starts can be signalled as one process group: at the timeout, on interrupt, and for
 * leftovers after it exits. Output (stdout and stderr merged) is streamed line by line and its tail
 * kept ({@link LinePump}). Not {@link io.imagebuilder.internal.process.HostProcess}: this runs
 * target commands, with the target's environment, as a process group that may leave processes
 * behind in the root.
 */
final class ProcessTreeRunner {
  private static final Logger LOG = Logs.get(ProcessTreeRunner.class);

  /** How long a process tree gets between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(2);

  /** How long output is still read after the command exited (a leftover may hold the pipe). */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final String setsid;

  ProcessTreeRunner(String setsid) {
    this.setsid = setsid;
  }

  /**
   * Runs {@code argv} on the host in a new session, with exactly {@code env} and stdin from {@code
   * /dev/null}.
   *
   * @param display the argv named in errors (the target command, not the chroot wrapper)
   * @param root when not null, processes whose root is inside it are also ended on timeout or
   *     interrupt (they may have left the process group)
   * @throws CommandFailedException with {@code timedOut} at the timeout, after the tree is killed
   * @throws InterruptedException when the calling thread is interrupted, after the tree is killed
   */
  CommandResult run(
      List<String> argv,
      Map<String, String> env,
      Duration timeout,
      List<String> display,
      Consumer<String> output,
      Path root)
      throws ImageBuildException, InterruptedException {
    List<String> full = new ArrayList<>();
    full.add(setsid);
    full.add("--wait");
    full.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.directory(new File("/"));
    pb.environment().clear();
    pb.environment().putAll(env);
    if (Thread.interrupted()) {
      throw new InterruptedException(
          "interrupted before " + String.join(" ", display) + " started");
    }
    long start = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot start " + String.join(" ", display) + ": " + e.getMessage(), e);
    }
    OutputTail tail = new OutputTail(OutputTail.DEFAULT_LINES);
    LinePump pump =
        LinePump.start(
            process.getInputStream(), tail, output, "imagebuilder-output-" + process.pid());
    boolean exited;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process, root);
      pump.stop(DRAIN);
      throw new InterruptedException(
          "interrupted while running " + String.join(" ", display) + "; its processes were ended");
    }
    if (!exited) {
      killTree(process, root);
      pump.stop(DRAIN);
      throw new CommandFailedException(
          display,
          -1,
          true,
          tail.lines(),
          "timeout " + human(timeout) + "; its processes were killed");
    }
    // The command is done; whatever it left in its process group goes with it.
    endGroup(process.pid());
    pump.stop(DRAIN);
    return new CommandResult(
        process.exitValue(), tail.lines(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** SIGTERM to the group, a grace period, then SIGKILL; then whatever is left in the root. */
  static void killTree(Process process, Path root) {
    long pid = process.pid();
    Signals.killGroup(pid, Signals.SIGTERM);
    HostProcess.awaitEnd(process, GRACE);
    Signals.killGroup(pid, Signals.SIGKILL);
    if (process.isAlive()) {
      // not yet a group leader (killed before setsid ran): the leader alone
      process.destroyForcibly();
    }
    if (root != null) {
      ProcessesInRoot.killAll(root);
    }
    HostProcess.awaitEnd(process, GRACE);
  }

  private static void endGroup(long pgid) {
    if (Signals.killGroup(pgid, Signals.SIGTERM)) {
      LOG.info("ending processes left in process group {}", pgid);
      Sleeps.sleep(200);
      Signals.killGroup(pgid, Signals.SIGKILL);
    }
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (d.toMillis() % 1000 != 0 || s == 0) {
      return d.toMillis() + " ms";
    }
    return s % 60 == 0 ? (s / 60) + " min" : s + " s";
  }

  /** Uninterruptible short sleeps for cleanup paths. */
  private static final class Sleeps {
    static void sleep(long millis) {
      long end = System.currentTimeMillis() + millis;
      boolean interrupted = false;
      while (System.currentTimeMillis() < end) {
        try {
          Thread.sleep(Math.max(1, end - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
