package io.imagebuilder.internal.testing;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tests' executors that run nothing: one whose commands all succeed (for stages that are not
 * about commands) and one that fails any command (for builds that must stop before one runs). Both
 * need no root and take any architecture.
 */
public final class TestExecutors {
  private TestExecutors() {}

  /** {@return a strategy named {@code none} whose commands succeed with no output} */
  public static ExecutorProvider succeeding() {
    return provider("none", null);
  }

  /**
   * A strategy named {@code no-commands} whose every command fails.
   *
   * @param why the failure's message, before the command's argv
   * @return the strategy
   */
  public static ExecutorProvider refusing(String why) {
    return provider("no-commands", why);
  }

  private static ExecutorProvider provider(String name, String refusal) {
    return new ExecutorProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean supports(Architecture target, Architecture host) {
        return true;
      }

      @Override
      public int preference() {
        return 0;
      }

      @Override
      public Executor open(Path root, Architecture target) {
        return new NothingRuns(name, root, target, refusal);
      }
    };
  }

  /** Runs nothing: succeeds, or fails naming the command when {@code refusal} is set. */
  private record NothingRuns(String name, Path root, Architecture architecture, String refusal)
      implements Executor {
    @Override
    public void preflight() {}

    @Override
    public CommandResult run(Command command, Consumer<String> output) throws ImageBuildException {
      if (refusal != null) {
        throw new ImageBuildException(refusal + ": " + command.argv());
      }
      return new CommandResult(0, List.of(), Duration.ZERO);
    }

    @Override
    public void release() {}

    @Override
    public void close() {}
  }
}
