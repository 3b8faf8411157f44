package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.BuildState;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.StageFailedException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints what ended a command as {@code imagebuilder: <message>} on stderr and picks its exit code.
 * Expected failures (bad input, a failed build, a missing module) get their message only; anything
 * else is a bug and gets its first frame. With {@code --verbose} both get the stack trace.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("imagebuilder: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    report(ex, err, verbose(parseResult));
    err.flush();
    return ExitCodes.of(ex);
  }

  /** Whether {@code --verbose} was given to the command or any of its sub-commands. */
  private static boolean verbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * One paragraph on what ended the command: the message, each suppressed failure, and for a stage
   * failure where its log is. A stack trace only when {@code verbose}: the stage log has it anyway,
   * and a bug report needs it.
   */
  static void report(Throwable ex, PrintWriter err, boolean verbose) {
    boolean expected =
        ex instanceof ImageBuildException
            || ex instanceof IllegalArgumentException
            || ex instanceof IllegalStateException;
    if (!expected) {
      err.println("imagebuilder: internal error: " + bounded(ex.toString()));
      if (verbose) {
        ex.printStackTrace(err);
      } else {
        StackTraceElement[] frames = ex.getStackTrace();
        if (frames.length > 0) {
          err.println("  at " + frames[0]);
        }
        err.println("  (a bug: run again with --verbose for the stack trace, and report it)");
      }
      return;
    }
    err.println(
        "imagebuilder: " + bounded(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
    for (Throwable s : ex.getSuppressed()) {
      err.println("  also: " + bounded(s.getMessage() == null ? s.toString() : s.getMessage()));
    }
    if (ex instanceof StageFailedException failed) {
      String log =
          failed
              .buildState()
              .flatMap(BuildState::failedStageLog)
              .map(p -> "the stage's log " + p + " has the details")
              .orElse("the stage's log under the output directory's logs/ has the details");
      err.println("  (" + log + (verbose ? ")" : "; --verbose prints the stack trace)"));
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
  }

  /**
   * The most characters of one message printed: no input can make the terminal scroll for pages.
   */
  static final int MAX_MESSAGE = 4000;

  private static String bounded(String message) {
    return message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " characters in all)";
  }
}
