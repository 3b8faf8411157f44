package io.imagebuilder.arm.internal.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code /proc/self/mountinfo} (format in proc(5)). */
public final class MountInfoParser {
  private static final Path SELF = Path.of("/proc/self/mountinfo");

  private MountInfoParser() {}

  /** The mounts the JVM's mount namespace sees right now, in kernel order. */
  public static List<MountEntry> current() throws IOException {
    return parse(Files.readString(SELF, StandardCharsets.UTF_8));
  }

  /**
   * Parses mountinfo text.
   *
   * @throws IllegalArgumentException for a line that is not in mountinfo format, quoting it
   */
  public static List<MountEntry> parse(String text) {
    List<MountEntry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(parseLine(line));
      }
    }
    return out;
  }

  static MountEntry parseLine(String line) {
    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    String[] f = line.trim().split(" ");
    int dash = -1;
    for (int i = 6; i < f.length; i++) {
      if (f[i].equals("-")) {
        dash = i;
        break;
      }
    }
    if (f.length < 7 || dash < 0 || dash + 2 >= f.length) {
      throw new IllegalArgumentException(
          "invalid mountinfo line '"
              + line
              + "' (expected id parent major:minor root point"
              + " options [optional...] - type source super-options)");
    }
    try {
      int id = Integer.parseInt(f[0]);
      int parent = Integer.parseInt(f[1]);
      StringBuilder optional = new StringBuilder();
      for (int i = 6; i < dash; i++) {
        optional.append(optional.length() == 0 ? "" : " ").append(f[i]);
      }
      return new MountEntry(
          id,
          parent,
          Path.of(unescape(f[4])),
          unescape(f[dash + 1]),
          unescape(f[dash + 2]),
          optional.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid mountinfo line '" + line + "' (expected numeric mount ids)", e);
    }
  }

  /** The kernel writes space, tab, newline and backslash in paths as {@code \ooo}. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
