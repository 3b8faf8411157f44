package io.imagebuilder.internal.engine;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** For engine tests: runs commands as host processes (no chroot), so failures are real. */
final class HostProcessExecutor implements Executor {
  private final Path root;
  final List<String> events = new ArrayList<>();
  final List<Command> commands = new ArrayList<>();

  HostProcessExecutor(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "host-test";
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Architecture architecture() {
    return Architecture.host();
  }

  @Override
  public void preflight() {
    events.add("preflight");
  }

  @Override
  public CommandResult run(Command command, Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    commands.add(command);
    long start = System.nanoTime();
    Process p;
    try {
      p =
          new ProcessBuilder(command.argv())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (java.io.IOException e) {
      throw new ImageBuildException("cannot start " + command.argv() + ": " + e.getMessage(), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.accept(line);
                  synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 5) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (java.io.IOException ignored) {
                // the process was killed
              }
            });
    reader.start();
    try {
      int code = p.waitFor();
      reader.join();
      synchronized (tail) {
        return new CommandResult(
            code, List.copyOf(tail), Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  @Override
  public void release() {
    events.add("release");
  }

  @Override
  public void close() {
    events.add("close");
  }
}
