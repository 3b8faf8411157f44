package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.ImageBuildException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints what ended a command as {@code imagebuilder: <message>} on stderr and picks its exit
 * code. Expected failures (bad input, a failed build, a missing module) get their message only;
 * anything else is a bug and gets its stack trace.
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
    report(ex, err);
    err.flush();
    return ExitCodes.of(ex);
  }

  static void report(Throwable ex, PrintWriter err) {
    boolean expected =
        ex instanceof ImageBuildException
            || ex instanceof IllegalArgumentException
            || ex instanceof IllegalStateException;
    if (!expected) {
      err.println("imagebuilder: internal error: " + ex);
      ex.printStackTrace(err);
      return;
    }
    err.println("imagebuilder: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
    for (Throwable s : ex.getSuppressed()) {
      err.println("  also: " + (s.getMessage() == null ? s.toString() : s.getMessage()));
    }
  }
}
