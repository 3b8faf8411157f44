package io.imagebuilder.api;

import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An executor whose commands succeed without running anything. */
final class NoCommands implements ExecutorProvider {
  @Override
  public String name() {
    return "none";
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
    return new Executor() {
      @Override
      public String name() {
        return "none";
      }

      @Override
      public Path root() {
        return root;
      }

      @Override
      public Architecture architecture() {
        return target;
      }

      @Override
      public void preflight() {}

      @Override
      public CommandResult run(Command command, java.util.function.Consumer<String> output) {
        return new CommandResult(0, List.of(), Duration.ZERO);
      }

      @Override
      public void release() {}

      @Override
      public void close() {}
    };
  }
}
