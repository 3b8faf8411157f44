package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingModuleException;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of the {@code imagebuilder} command: 0 success, 1 the build (or planning) failed,
 * 2 the command line or its input was wrong.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private ExitCodes() {}

  /**
   * The exit code for an exception that ended a command. A caller mistake (a bad flag or value,
   * which the API reports as {@link IllegalArgumentException}) is a usage error; a module missing
   * from the classpath or a failed build is a failure.
   */
  public static int of(Throwable error) {
    if (error instanceof ParameterException) {
      return USAGE;
    }
    if (error instanceof MissingModuleException) {
      return FAILED;
    }
    if (error instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (error instanceof ImageBuildException) {
      return FAILED;
    }
    return FAILED;
  }
}
