package io.imagebuilder.samples.cli;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code imagebuilder} command: {@code build}, {@code plan}, {@code boards}, and {@code
 * lookup}, {@code images} and {@code manifest} over the image index. Results go to stdout, progress
 * and errors to stderr; the exit code is one of {@link ExitCodes}.
 */
@Command(
    name = "imagebuilder",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Builds Debian and Ubuntu OS images: root filesystem tarballs and bootable disk images.",
    subcommands = {
      BuildCommand.class,
      PlanCommand.class,
      BoardsCommand.class,
      LookupCommand.class,
      ImagesCommand.class,
      ManifestCommand.class,
      BootCommand.class,
      CacheCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the build failed, or a module it needs is missing",
      "2:usage error: a bad flag, value or input file"
    })
public final class ImageBuilderCli implements Callable<Integer> {
  private final boolean terminal;
  private final int columns;
  private final UnaryOperator<ImageBuilder> customizer;
  private final UnaryOperator<RunConfiguration> runCustomizer;

  @Spec CommandSpec spec;

  /** The command as run from a shell: terminal and width detected, builders used as configured. */
  public ImageBuilderCli() {
    this(detectTerminal(), detectColumns(), UnaryOperator.identity());
  }

  /**
   * @param terminal whether stderr may be redrawn with {@code \r} (progress bars)
   * @param columns the terminal's width
   * @param customizer applied to every builder just before it plans or builds (the benchmark uses
   *     it to put the peer's stages into the plan)
   */
  public ImageBuilderCli(boolean terminal, int columns, UnaryOperator<ImageBuilder> customizer) {
    this(terminal, columns, customizer, UnaryOperator.identity());
  }

  /**
   * @param terminal whether stderr may be redrawn with {@code \r} (progress bars)
   * @param columns the terminal's width
   * @param customizer applied to every builder just before it plans or builds
   * @param runCustomizer applied to every run configuration after the flags set it, as an embedding
   *     program would (tests give it their own stage providers and executor)
   */
  public ImageBuilderCli(
      boolean terminal,
      int columns,
      UnaryOperator<ImageBuilder> customizer,
      UnaryOperator<RunConfiguration> runCustomizer) {
    this.terminal = terminal;
    this.columns = columns;
    this.customizer = customizer;
    this.runCustomizer = runCustomizer;
  }

  public static void main(String[] args) {
    OptionalInt relaunched = UserNamespaceRelaunch.runIfUseful(args);
    System.exit(
        relaunched.isPresent()
            ? relaunched.getAsInt()
            : new ImageBuilderCli().commandLine().execute(args));
  }

  /** A picocli command line for this command, with the error handling and exit codes set up. */
  public CommandLine commandLine() {
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(this)
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command (expected build, plan, boards, lookup, images, manifest, boot, cache or help)");
  }

  boolean terminal() {
    return terminal;
  }

  int columns() {
    return columns;
  }

  ImageBuilder customize(ImageBuilder builder) {
    return customizer.apply(builder);
  }

  RunConfiguration customize(RunConfiguration run) {
    return runCustomizer.apply(run);
  }

  private static boolean detectTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  private static int detectColumns() {
    try {
      String c = System.getenv("COLUMNS");
      return c == null ? 80 : Integer.parseInt(c.trim());
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
