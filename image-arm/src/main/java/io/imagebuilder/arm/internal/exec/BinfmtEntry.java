package io.imagebuilder.arm.internal.exec;

import java.util.Optional;

/**
 * One binfmt_misc registration as the kernel shows it in {@code /proc/sys/fs/binfmt_misc/<name>}.
 *
 * @param enabled whether the kernel uses it
 * @param interpreter the interpreter's path, e.g. {@code /usr/libexec/qemu-binfmt/aarch64-binfmt-P}
 * @param flags the flags, e.g. {@code PF}; {@code F} means the interpreter is opened at
 *     registration and so works inside any chroot
 */
public record BinfmtEntry(boolean enabled, String interpreter, String flags) {

  public boolean fixBinary() {
    return flags.indexOf('F') >= 0;
  }

  /**
   * Parses the file's text.
   *
   * @return empty when the text is not a binfmt_misc entry
   */
  public static Optional<BinfmtEntry> parse(String text) {
    Boolean enabled = null;
    String interpreter = null;
    String flags = "";
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.equals("enabled")) {
        enabled = true;
      } else if (l.equals("disabled")) {
        enabled = false;
      } else if (l.startsWith("interpreter ")) {
        interpreter = l.substring("interpreter ".length()).strip();
      } else if (l.startsWith("flags:")) {
        flags = l.substring("flags:".length()).strip();
      }
    }
    if (enabled == null || interpreter == null || interpreter.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new BinfmtEntry(enabled, interpreter, flags));
  }
}
