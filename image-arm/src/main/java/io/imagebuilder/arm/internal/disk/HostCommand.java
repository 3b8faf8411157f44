package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.exec.CommandResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a tool on the host (mkfs.ext4, mcopy, qemu-img, ...), never inside the target: a fixed
 * environment (C locale, UTC, the given variables), stdin closed, output merged and streamed,
 * the process tree killed at the timeout or on interrupt.
 */
public final class HostCommand {
  private static final int TAIL = 20;

  private final List<String> argv;
  private final Map<String, String> env = new TreeMap<>();
  private Duration timeout = Duration.ofMinutes(30);

  private HostCommand(List<String> argv) {
    this.argv = List.copyOf(argv);
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LC_ALL", "C.UTF-8");
    env.put("TZ", "UTC");
  }

  public static HostCommand of(String... argv) {
    return new HostCommand(List.of(argv));
  }

  public static HostCommand of(List<String> argv) {
    return new HostCommand(argv);
  }

  public HostCommand env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public HostCommand timeout(Duration value) {
    this.timeout = value;
    return this;
  }

  public List<String> argv() {
    return argv;
  }

  /** Runs to the end; a non-zero exit is a {@link CommandFailedException} with the output tail. */
  public CommandResult run(Consumer<String> output) throws CommandFailedException, InterruptedException {
    CommandResult r = runAllowingFailure(output);
    if (r.exitCode() != 0) {
      throw new CommandFailedException(argv, r.exitCode(), false, r.outputTail(), "on the host");
    }
    return r;
  }

  /** Runs to the end and returns how it ended, whatever the exit code. */
  public CommandResult runAllowingFailure(Consumer<String> output)
      throws CommandFailedException, InterruptedException {
    long start = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CommandFailedException(argv, -1, false, List.of(String.valueOf(e.getMessage())), "could not start");
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL) {
              tail.removeFirst();
            }
          }
          output.accept(line);
        }
      } catch (IOException ignored) {
        // The process was killed; what was read is in the tail.
      }
    }, "host-command-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new CommandFailedException(argv, -1, true, snapshot(tail), "on the host, after " + timeout);
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    return new CommandResult(p.exitValue(), snapshot(tail), Duration.ofNanos(System.nanoTime() - start));
  }

  private static List<String> snapshot(Deque<String> tail) {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }

  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
