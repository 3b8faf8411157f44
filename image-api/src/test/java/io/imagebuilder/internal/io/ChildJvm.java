package io.imagebuilder.internal.io;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** For tests: another JVM on this test class path, running a main class until it is killed. */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final String firstLine;

  private ChildJvm(Process process, String firstLine) {
    this.process = process;
    this.firstLine = firstLine;
  }

  /** Starts {@code main} with {@code args} and waits for the first line it prints. */
  public static ChildJvm start(Class<?> main, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          main.getName() + " ended without output, exit " + p.exitValue());
    }
    return new ChildJvm(p, line);
  }

  public String firstLine() {
    return firstLine;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: the child runs no shutdown hook, as after {@code kill -9}. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
