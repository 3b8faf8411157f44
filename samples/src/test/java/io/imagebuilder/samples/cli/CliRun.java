package io.imagebuilder.samples.cli;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.samples.testing.FakeStageProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Runs the CLI in-process with captured stdout and stderr, on the test's fake stages only. */
record CliRun(int exitCode, String out, String err) {
  static final UnaryOperator<ImageBuilder> FAKE_STAGES_ONLY =
      b -> b.withPlanTransform(FakeStageProvider::only);

  static CliRun run(String... args) {
    return run(false, FAKE_STAGES_ONLY, args);
  }

  static CliRun run(boolean terminal, UnaryOperator<ImageBuilder> customizer, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new ImageBuilderCli(terminal, 100, customizer).commandLine();
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
