package io.imagebuilder.manifest.api;

import java.util.regex.Pattern;

/** Checks for the hashes the manifest and the index hold. */
final class Sha256s {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private Sha256s() {}

  static boolean isSha256(String value) {
    return value != null && HEX64.matcher(value).matches();
  }

  static String require(String value, String what) {
    if (!isSha256(value)) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "' (expected 64 lower-case hex digits)");
    }
    return value;
  }
}
