package io.imagebuilder.testing;

import java.time.Duration;

/**
 * How a command run inside a fixture ended.
 *
 * @param exitCode its exit code (127 when the program was not found in the image)
 * @param stdout what it wrote to standard output, decoded as UTF-8
 * @param stderr what it wrote to standard error, decoded as UTF-8
 * @param duration how long it ran
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration) {
  /** {@return true if the exit code is 0} */
  public boolean succeeded() {
    return exitCode == 0;
  }
}
