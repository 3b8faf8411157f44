package io.imagebuilder.samples.testing;

import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test-only strategy {@code fake}: runs nothing, answers {@code apt-get install} with a "Setting
 * up" line per package, and exits 100 (as apt-get does) when asked for {@link
 * FakeStageProvider#FAILING_PACKAGE}. Not registered with {@code ServiceLoader}: a test gives it to
 * the build ({@code RunConfiguration.withExecutor(provider)}).
 */
public final class FakeExecutorProvider implements ExecutorProvider {
  public static final String NAME = "fake";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(Architecture target, Architecture host) {
    return true;
  }

  @Override
  public int preference() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Executor open(Path root, Architecture target) {
    return new FakeExecutor(root, target);
  }

  private record FakeExecutor(Path root, Architecture architecture) implements Executor {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void preflight() {}

    @Override
    public CommandResult run(Command command, Consumer<String> output) {
      List<String> printed = new ArrayList<>();
      int exit = 0;
      for (String arg :
          command.argv().subList(Math.min(3, command.argv().size()), command.argv().size())) {
        if (arg.equals(FakeStageProvider.FAILING_PACKAGE)) {
          printed.add("E: Unable to locate package " + arg);
          exit = 100;
        } else {
          printed.add("Setting up " + arg + " ...");
        }
      }
      printed.forEach(output);
      return new CommandResult(exit, printed, Duration.ofMillis(1));
    }

    @Override
    public void release() {}

    @Override
    public void close() {}
  }
}
