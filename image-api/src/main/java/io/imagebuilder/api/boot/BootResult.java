package io.imagebuilder.api.boot;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a {@link BootCheck} ended.
 *
 * @param reachedLogin whether the console showed a login prompt
 * @param markerSeen whether the console showed the check's marker
 * @param timeToLogin from qemu's start to the prompt (or marker), when reached
 * @param elapsed how long the check ran
 * @param consoleLines the serial console, line by line, escape sequences removed
 * @param qemuCommand the argv qemu ran with
 * @param accelerator {@code kvm} or {@code tcg}
 * @param firmware the firmware booted with, e.g. {@code uefi}
 * @param exitReason why the check stopped
 */
public record BootResult(
    boolean reachedLogin,
    boolean markerSeen,
    Optional<Duration> timeToLogin,
    Duration elapsed,
    List<String> consoleLines,
    List<String> qemuCommand,
    String accelerator,
    String firmware,
    ExitReason exitReason) {
  /** Why a boot check stopped. */
  public enum ExitReason {
    /** The console showed a login prompt. */
    LOGIN_PROMPT,
    /** The console showed the check's marker. */
    MARKER,
    /** Neither came within the timeout; qemu was ended. */
    TIMEOUT,
    /** qemu ended by itself before either came (a crash or a power-off). */
    QEMU_EXITED
  }

  /**
   * Copies the lists.
   *
   * @param reachedLogin whether the console showed a login prompt
   * @param markerSeen whether the console showed the check's marker
   * @param timeToLogin from qemu's start to the prompt (or marker), or null when not reached
   * @param elapsed how long the check ran
   * @param consoleLines the serial console, line by line
   * @param qemuCommand the argv qemu ran with
   * @param accelerator {@code kvm} or {@code tcg}
   * @param firmware the firmware booted with
   * @param exitReason why the check stopped
   */
  public BootResult {
    consoleLines = List.copyOf(consoleLines);
    qemuCommand = List.copyOf(qemuCommand);
  }

  /** {@return true when the prompt or the marker was seen} */
  public boolean succeeded() {
    return reachedLogin || markerSeen;
  }

  /**
   * The whole console output.
   *
   * @return the console lines joined with newlines
   */
  public String consoleText() {
    return String.join("\n", consoleLines) + (consoleLines.isEmpty() ? "" : "\n");
  }

  /**
   * What the CLI prints, e.g.:
   *
   * <pre>
   * Boot: reached login prompt in 21.3 s (kvm, uefi)
   * Exit: LOGIN_PROMPT
   * Command: qemu-system-x86_64 -machine q35,accel=kvm ...
   * Last console lines:
   *   debian login:
   * </pre>
   *
   * @param consoleTail how many of the last console lines to include
   * @return the summary text
   */
  public String summary(int consoleTail) {
    StringBuilder sb = new StringBuilder("Boot: ");
    String how = " (" + accelerator + ", " + firmware + ")";
    if (succeeded()) {
      sb.append(reachedLogin ? "reached login prompt" : "saw marker")
          .append(" in ")
          .append(seconds(timeToLogin.orElse(elapsed)))
          .append(how);
    } else {
      sb.append("FAILED after ").append(seconds(elapsed)).append(how);
    }
    sb.append("\nExit: ").append(exitReason);
    sb.append("\nCommand: ").append(String.join(" ", qemuCommand));
    int from = Math.max(0, consoleLines.size() - consoleTail);
    if (consoleTail > 0 && !consoleLines.isEmpty()) {
      sb.append("\nLast console lines:");
      for (String l : consoleLines.subList(from, consoleLines.size())) {
        sb.append("\n  ").append(l);
      }
    }
    return sb.append('\n').toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
