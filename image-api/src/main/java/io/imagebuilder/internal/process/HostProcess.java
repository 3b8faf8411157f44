package io.imagebuilder.internal.process;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.exec.CommandResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The library's one way to run a program on the host (mkfs.ext4, mount, qemu, xz, debugfs, ...),
 * never inside the target. One policy for all of them:
 *
 * <ul>
 *   <li>environment: exactly {@link #PATH}, {@code LC_ALL=C.UTF-8} and {@code TZ=UTC}, plus what
 *       the caller names with {@link #env}; nothing is inherited from the JVM, so a build does not
 *       depend on who started it;
 *   <li>the program: an absolute path, or a name looked up on {@link #PATH} (as {@link HostTools}
 *       does at planning time, so the tool checked is the tool run);
 *   <li>stdin from {@code /dev/null} unless {@link #stdinPipe}; stderr merged into stdout unless
 *       {@link #separateErrors}; the JVM's working directory;
 *   <li>{@link #run}: output streamed by lines and its tail kept; at the timeout, or when the
 *       calling thread is interrupted, the process and its descendants are killed. {@link
 *       #runToEnd} (cleanup: umount must finish) waits on through interrupts and sets the interrupt
 *       flag again at the end.
 * </ul>
 *
 * Processes whose output is a stream (xz, the qemu console) are {@link #start}ed and read by their
 * caller. Target commands are not run here but by the executors, with the target's environment.
 */
public final class HostProcess {
  /** The PATH of every host process: root's on Debian, without the JVM's own. */
  public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Lines kept by {@link #run} for results and error messages. */
  static final int TAIL_LINES = 20;

  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final List<String> argv;
  private final Map<String, String> env = new TreeMap<>();
  private Duration timeout = Duration.ofMinutes(30);
  private boolean stdinPipe;
  private boolean separateErrors;
  private Path outputFile;

  private HostProcess(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid host command '[]' (expected a program and its arguments)");
    }
    this.argv = List.copyOf(argv);
    env.put("PATH", PATH);
    env.put("LC_ALL", "C.UTF-8");
    env.put("TZ", "UTC");
  }

  public static HostProcess of(String... argv) {
    return new HostProcess(List.of(argv));
  }

  public static HostProcess of(List<String> argv) {
    return new HostProcess(argv);
  }

  /** Sets (or overrides) one variable of the process's environment. */
  public HostProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Sets variables of the process's environment, later ones winning. */
  public HostProcess env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  /** How long {@link #run} waits before the process is killed; 30 minutes unless set. */
  public HostProcess timeout(Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("invalid timeout '" + value + "' (expected > 0)");
    }
    this.timeout = value;
    return this;
  }

  /** stdin is a pipe the caller writes ({@link Process#getOutputStream}). */
  public HostProcess stdinPipe() {
    this.stdinPipe = true;
    return this;
  }

  /** stderr is its own stream ({@link Process#getErrorStream}), not merged into stdout. */
  public HostProcess separateErrors() {
    this.separateErrors = true;
    return this;
  }

  /**
   * stdout (and merged stderr) goes to {@code file} instead of a pipe; {@link #run} sees no lines.
   */
  public HostProcess outputTo(Path file) {
    this.outputFile = file;
    return this;
  }

  public List<String> argv() {
    return argv;
  }

  /** The exact environment the process gets. */
  public Map<String, String> environment() {
    return Map.copyOf(env);
  }

  /**
   * {@code argv} with a bare program name replaced by its path on {@link #PATH}: the JVM would look
   * it up on its own PATH, which for an ordinary user has no sbin directory (mkfs.vfat, sfdisk). A
   * name not found is left for the JVM to report.
   */
  static List<String> resolved(List<String> argv) {
    String program = argv.get(0);
    if (program.contains("/") || program.isEmpty()) {
      return argv;
    }
    Optional<Path> found = HostTools.find(program);
    if (found.isEmpty()) {
      return argv;
    }
    List<String> out = new ArrayList<>(argv);
    out.set(0, found.get().toString());
    return out;
  }

  /** Starts the process for a caller that reads or writes its streams itself. */
  public Process start() throws IOException {
    // the JVM's working directory, as before: callers may pass paths relative to it
    ProcessBuilder pb = new ProcessBuilder(resolved(argv));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(!separateErrors);
    if (!stdinPipe) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    if (outputFile != null) {
      pb.redirectOutput(outputFile.toFile());
    }
    return pb.start();
  }

  /**
   * How a {@link #run} ended.
   *
   * @param exitCode the exit code, -1 when killed at the timeout
   * @param tail the last lines of output ({@link #run()}: all of them)
   */
  public record Result(int exitCode, boolean timedOut, List<String> tail, Duration elapsed) {
    public Result {
      tail = List.copyOf(tail);
    }

    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** The lines kept as one text, stripped; says so when the process was killed at its timeout. */
    public String output() {
      String text = String.join("\n", tail).strip();
      return timedOut ? text + " (killed at its timeout)" : text;
    }
  }

  /**
   * Runs to the end, whatever the exit code; {@code output} gets each line.
   *
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when interrupted, after the process and its descendants were
   *     killed
   */
  public Result run(Consumer<String> output) throws IOException, InterruptedException {
    return run(output, new OutputTail(TAIL_LINES), true);
  }

  /**
   * Runs a short command (mount, umount, ldd) to the end, even through an interrupt (the flag is
   * set again afterwards): cleanup must finish. Every line of its output is kept in the result,
   * which {@link Result#output} gives as one text.
   *
   * @throws IOException when the program cannot be started
   */
  public Result runToEnd() throws IOException {
    try {
      return run(null, new OutputTail(Integer.MAX_VALUE), false);
    } catch (InterruptedException e) {
      throw new AssertionError("an uninterruptible run was interrupted", e);
    }
  }

  private Result run(Consumer<String> output, OutputTail tail, boolean interruptible)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p = start();
    LinePump pump =
        outputFile == null
            ? LinePump.start(p.getInputStream(), tail, output, "host-process-" + p.pid())
            : null;
    boolean interrupted = false;
    boolean exited;
    long deadline = start + timeout.toNanos();
    while (true) {
      try {
        exited = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        break;
      } catch (InterruptedException e) {
        if (interruptible) {
          kill(p);
          throw e;
        }
        interrupted = true;
      }
    }
    if (!exited) {
      kill(p);
    }
    if (pump != null) {
      pump.stop(DRAIN);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new Result(exited ? p.exitValue() : -1, !exited, tail.lines(), elapsed);
  }

  /**
   * Runs to the end and requires exit code 0.
   *
   * @throws CommandFailedException when it cannot start, exits non-zero or is killed at the
   *     timeout, with the tail of its output
   */
  public CommandResult check(Consumer<String> output)
      throws CommandFailedException, InterruptedException {
    Result r;
    try {
      r = run(output);
    } catch (IOException e) {
      throw new CommandFailedException(
          argv, -1, false, List.of(String.valueOf(e.getMessage())), "could not start");
    }
    if (r.timedOut()) {
      throw new CommandFailedException(argv, -1, true, r.tail(), "on the host, after " + timeout);
    }
    if (r.exitCode() != 0) {
      throw new CommandFailedException(argv, r.exitCode(), false, r.tail(), "on the host");
    }
    return new CommandResult(r.exitCode(), r.tail(), r.elapsed());
  }

  /** Kills {@code p} and its descendants and waits (at most 10 s, uninterruptibly) for its end. */
  public static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    awaitEnd(p, Duration.ofSeconds(10));
  }

  /**
   * Waits up to {@code d} for {@code p} to end, through interrupts (cleanup must not be cut short);
   * the interrupt flag is set again afterwards.
   */
  public static void awaitEnd(Process p, Duration d) {
    boolean interrupted = false;
    long end = System.nanoTime() + d.toNanos();
    while (p.isAlive() && System.nanoTime() < end) {
      try {
        p.waitFor(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
