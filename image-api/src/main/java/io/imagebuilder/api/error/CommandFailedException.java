package io.imagebuilder.api.error;

import java.util.List;

/**
 * A command run inside the target exited non-zero or hit its timeout. The message names the
 * command, the exit code (or the timeout) and the last lines it printed.
 */
public class CommandFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** The command's argv. */
  private final List<String> command;

  /** Its exit code, or -1. */
  private final int exitCode;

  /** Whether it was killed at its timeout. */
  private final boolean timedOut;

  /** The last lines it printed. */
  private final List<String> outputTail;

  /**
   * A failed command.
   *
   * @param command the argv as run, program first
   * @param exitCode the exit code, or -1 when it was killed at its timeout
   * @param timedOut true when it was killed at its timeout
   * @param outputTail the last lines it printed (stdout and stderr interleaved), oldest first
   * @param detail an extra note for the message, e.g. what the command was for; may be null or
   *     empty
   */
  public CommandFailedException(
      List<String> command,
      int exitCode,
      boolean timedOut,
      List<String> outputTail,
      String detail) {
    super(describe(command, exitCode, timedOut, outputTail, detail));
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.timedOut = timedOut;
    this.outputTail = List.copyOf(outputTail);
  }

  private static String describe(
      List<String> command, int exitCode, boolean timedOut, List<String> tail, String detail) {
    StringBuilder sb = new StringBuilder("command ").append(String.join(" ", command));
    if (timedOut) {
      sb.append(" was killed at its timeout");
    } else {
      sb.append(" exited with code ").append(exitCode);
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    if (!tail.isEmpty()) {
      sb.append("; last output:");
      for (String line : tail) {
        sb.append("\n  | ").append(line);
      }
    }
    return sb.toString();
  }

  /**
   * The command as run.
   *
   * @return the argv, program first; unmodifiable
   */
  public List<String> command() {
    return command;
  }

  /**
   * The exit code.
   *
   * @return the exit code, or -1 when the command was killed at its timeout
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * Whether the command was killed at its timeout.
   *
   * @return true when it ran past its timeout
   */
  public boolean timedOut() {
    return timedOut;
  }

  /**
   * The last lines the command printed.
   *
   * @return stdout and stderr lines interleaved, oldest first; unmodifiable, may be empty
   */
  public List<String> outputTail() {
    return outputTail;
  }
}
