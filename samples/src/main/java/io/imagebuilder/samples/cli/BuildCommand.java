package io.imagebuilder.samples.cli;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.stage.Cancellation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code imagebuilder build}: builds the image(s) and prints a summary of each on stdout. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Builds an image described by flags, by an ImageSpec JSON file (--spec) or by a list of CI "
            + "build requests (--request). Progress goes to stderr; the summary (Output, Format, "
            + "Size, sha256, ...) to stdout.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  imagebuilder build --package openssh-server --hostname demo",
      "  imagebuilder build --board qemu-arm64 --format img,qcow2 --out images",
      "  imagebuilder build --series noble --ppa ppa:owner/name=owner-name.asc \\",
      "    --repo 'vendor=https://apt.example.com/debian|bookworm|main|vendor.asc'",
      "  imagebuilder build --request requests.json --out ci"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the build failed, or a module it needs is missing",
      "2:usage error: a bad flag, value or input file"
    })
final class BuildCommand implements Callable<Integer> {
  @ParentCommand ImageBuilderCli cli;

  @Spec CommandSpec spec;

  @Mixin SpecOptions image;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = "out",
      description = "Where artifacts go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Package and stage cache, kept across builds (default: ~/.cache/imagebuilder, "
              + "or $XDG_CACHE_HOME/imagebuilder).")
  Path cache;

  @Option(
      names = "--executor",
      paramLabel = "STRATEGY",
      defaultValue = "auto",
      description =
          "How target binaries run: auto (default), native, qemu-user or rootless. With auto an"
              + " ordinary user's build runs in a user namespace of its own, as root there.")
  String executor;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Show the output of commands run in the target, and the stack trace of a failure.")
  boolean verbose;

  @Override
  public Integer call() throws ImageBuildException {
    List<BuildTarget> targets = image.targets();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    for (int i = 0; i < targets.size(); i++) {
      BuildTarget target = targets.get(i);
      boolean several = targets.size() > 1;
      if (several) {
        stderr.println(
            "== request " + target.name() + " (" + (i + 1) + " of " + targets.size() + ") ==");
        stderr.flush();
      }
      BuildResult result;
      try {
        result = build(target, stderr);
      } catch (ImageBuildException | RuntimeException e) {
        if (several) {
          stderr.println(
              "imagebuilder: request "
                  + target.name()
                  + " failed; the requests after it were not built");
        }
        throw e;
      }
      if (several) {
        stdout.println((i > 0 ? System.lineSeparator() : "") + "Request:      " + target.name());
      }
      stdout.print(Summary.format(result));
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  private BuildResult build(BuildTarget target, PrintWriter stderr) throws ImageBuildException {
    Path dir = target.name() == null ? out : out.resolve(target.name());
    Cancellation cancellation = new Cancellation();
    RunConfiguration run =
        RunConfiguration.into(dir)
            .withExecutor(executor)
            .withCancellation(cancellation)
            .withTrigger(target.trigger());
    if (cache != null) {
      run.withCacheDir(cache);
    }
    new ProgressPrinter(stderr, cli.terminal(), verbose, cli.columns()).attachTo(run);
    ImageBuilder builder = cli.customize(target.builder());
    try (CancelOnShutdown ignored = CancelOnShutdown.install(cancellation)) {
      return builder.build(cli.customize(run));
    }
  }
}
