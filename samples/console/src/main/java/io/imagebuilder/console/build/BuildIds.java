package io.imagebuilder.console.build;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Build ids: 16 lower-case hex digits, so an id is always a safe directory name. */
public final class BuildIds {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private BuildIds() {}

  /** A new random id. */
  public static String next() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Whether {@code id} has the form of a build id. */
  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** {@code id}, if it has the form of a build id. */
  public static String check(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          "invalid build id '" + excerpt(id) + "' (expected 16 hex digits)");
    }
    return id;
  }

  static String excerpt(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
