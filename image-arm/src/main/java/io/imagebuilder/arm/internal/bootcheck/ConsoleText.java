package io.imagebuilder.arm.internal.bootcheck;

import java.util.regex.Pattern;

/**
 * Console output made readable: no escape sequences or carriage returns; login prompt detection.
 */
final class ConsoleText {
  private static final Pattern ESCAPES =
      Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Za-z0-9]|\u001b[=>c]");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f]");

  /**
   * getty's prompt: {@code <hostname> login: } at the start of a line; kernel messages may follow
   * on the same line, as nothing ends the prompt with a newline.
   */
  private static final Pattern LOGIN =
      Pattern.compile("^\\s*[A-Za-z0-9][A-Za-z0-9.-]* login:(\\s|$)");

  private ConsoleText() {}

  static String clean(String raw) {
    String s = ESCAPES.matcher(raw).replaceAll("");
    int cr = s.lastIndexOf('\r', s.length() - 2);
    if (cr >= 0) {
      s = s.substring(cr + 1);
    }
    return CONTROL.matcher(s).replaceAll("");
  }

  /** qemu's report that KVM could not run the guest (seen with nested virtualisation). */
  static boolean isKvmFailure(String line) {
    return line.startsWith("KVM internal error")
        || line.startsWith("error: kvm run failed")
        || line.contains("kvm_buf_set_msrs: Assertion");
  }

  static boolean isLoginPrompt(String line) {
    return LOGIN.matcher(line).find() && !line.strip().startsWith("Last login:");
  }
}
