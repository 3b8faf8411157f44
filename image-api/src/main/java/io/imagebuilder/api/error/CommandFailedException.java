package io.imagebuilder.api.error;

import java.util.List;

/**
 * A command run inside the target exited non-zero or hit its timeout. The message names the
 * command, the exit code (or the timeout) and the last lines it printed.
 */
public class CommandFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  private final List<String> command;
  private final int exitCode;
  private final boolean timedOut;
  private final List<String> outputTail;

  public CommandFailedException(
      List<String> command, int exitCode, boolean timedOut, List<String> outputTail, String detail) {
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

  public List<String> command() {
    return command;
  }

  /** The exit code, or -1 when the command was killed at its timeout. */
  public int exitCode() {
    return exitCode;
  }

  public boolean timedOut() {
    return timedOut;
  }

  public List<String> outputTail() {
    return outputTail;
  }
}
