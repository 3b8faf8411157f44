package io.imagebuilder.internal.validate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Argument checks whose messages quote the bad value and say what was expected. */
public final class Checks {
  /** Debian policy 5.6.1: lower case letters, digits, plus, minus and dots; two or more. */
  public static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  private static final Pattern PACKAGE_REQUEST =
      Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?");
  private static final Pattern HOSTNAME =
      Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");

  private Checks() {}

  public static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must be given (got null)");
    }
    return value;
  }

  /** A package to install: {@code name}, optionally {@code :arch} and {@code =version}. */
  public static String packageRequest(String value) {
    if (value == null || !PACKAGE_REQUEST.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid package '"
              + value
              + "' (expected a Debian package name such as openssh-server,"
              + " optionally with :arch and =version)");
    }
    return value;
  }

  public static String hostname(String value) {
    if (value == null || !HOSTNAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid hostname '" + value + "' (expected 1-63 letters, digits or '-', as in RFC 1123)");
    }
    return value;
  }

  public static String sha256(String value, String what) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "' (expected 64 lower-case hex digits)");
    }
    return value;
  }

  /** An OpenPGP v4 fingerprint; spaces are dropped and letters upper-cased. */
  public static String fingerprint(String value) {
    String normal = value == null ? null : value.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (normal == null || !FINGERPRINT.matcher(normal).matches()) {
      throw new IllegalArgumentException(
          "invalid key fingerprint '" + value + "' (expected 40 hex digits)");
    }
    return normal;
  }

  public static String matches(String value, Pattern pattern, String what, String expected) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "' (expected " + expected + ")");
    }
    return value;
  }

  public static String url(String value, String what) {
    if (value == null
        || !(value.startsWith("http://") || value.startsWith("https://") || value.startsWith("file:/"))
        || value.contains(" ")) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "' (expected an http://, https:// or file:/ URL)");
    }
    try {
      java.net.URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "' (expected a URL: " + e.getMessage() + ")", e);
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  /** An immutable copy in first-seen order without duplicates; null means empty. */
  public static <T> List<T> distinctCopy(Collection<? extends T> values, String what) {
    if (values == null) {
      return List.of();
    }
    List<T> out = new ArrayList<>(new LinkedHashSet<>(values));
    for (T v : out) {
      notNull(v, "each of " + what);
    }
    return List.copyOf(out);
  }

  /** An immutable, sorted, de-duplicated copy; null means empty. */
  public static List<String> sortedCopy(Collection<String> values, String what) {
    List<String> out = new ArrayList<>(distinctCopy(values, what));
    out.sort(null);
    return List.copyOf(out);
  }
}
