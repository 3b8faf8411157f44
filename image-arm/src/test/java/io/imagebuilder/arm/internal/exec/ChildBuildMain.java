package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;

/** Run in a separate JVM by {@link ExecutorIT}: starts a long command and waits to be killed. */
public final class ChildBuildMain {
  /** The argument of its sleep, which no other test uses. */
  static final String TOKEN = "6014";

  private ChildBuildMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Architecture arch = Architecture.fromDebianName(args[1]);
    Executor e =
        new QemuUserExecutorProvider().supports(arch, Architecture.host())
            ? new QemuUserExecutorProvider().open(root, arch)
            : new NativeExecutorProvider().open(root, arch);
    e.preflight();
    e.run(
        Command.of("sh", "-c", "echo started; sleep " + TOKEN),
        line -> {
          System.out.println(line);
          System.out.flush();
        });
  }
}
