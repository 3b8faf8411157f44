package io.imagebuilder.samples.cli;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.samples.testing.FakeExecutorProvider;
import io.imagebuilder.samples.testing.FakeStageProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * Runs the CLI in-process with captured stdout and stderr. By default its builds run the test's
 * fake stages on the fake executor, given to the CLI as an embedding program gives them (nothing
 * registered through {@code META-INF/services}), so these tests stay offline and need no root.
 */
record CliRun(int exitCode, String out, String err) {
  /** The fake stages, planned and run by whatever executor the flags pick. */
  static final UnaryOperator<RunConfiguration> FAKE_STAGES =
      run -> run.withStageProviders(List.of(new FakeStageProvider()));

  /** The fake stages on the fake executor. */
  static final UnaryOperator<RunConfiguration> FAKES =
      run -> FAKE_STAGES.apply(run).withExecutor(new FakeExecutorProvider());

  static CliRun run(String... args) {
    return run(false, UnaryOperator.identity(), args);
  }

  static CliRun runWith(UnaryOperator<RunConfiguration> embedding, String... args) {
    return run(false, UnaryOperator.identity(), embedding, args);
  }

  static CliRun run(boolean terminal, UnaryOperator<ImageBuilder> customizer, String... args) {
    return run(terminal, customizer, FAKES, args);
  }

  private static CliRun run(
      boolean terminal,
      UnaryOperator<ImageBuilder> customizer,
      UnaryOperator<RunConfiguration> embedding,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new ImageBuilderCli(terminal, 100, customizer, embedding).commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
