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

  /** The most packages one spec may name (requested or excluded): far more than a real system. */
  public static final int MAX_PACKAGES = 10_000;

  /** The most characters all names of one package list may have, separators included. */
  public static final int MAX_PACKAGE_LIST_CHARS = 256 * 1024;

  /** The latest SOURCE_DATE_EPOCH accepted: 2100-01-01T00:00:00Z. */
  public static final long MAX_SOURCE_DATE_EPOCH = 4_102_444_800L;

  /** The longest trigger (progress channel) a build may carry. */
  public static final int MAX_TRIGGER_LENGTH = 128;

  /** The most characters of a bad value an error message quotes. */
  static final int EXCERPT_LENGTH = 80;

  private static final Pattern TRIGGER = Pattern.compile("[\\x20-\\x7e]*");

  private Checks() {}

  /**
   * A bad value as error messages quote it: control characters escaped ({@code \n}, {@code \u0000}
   * as text), and a long value cut to its first characters followed by how long it was, so that no
   * message grows with its input.
   */
  public static String excerpt(Object value) {
    return excerpt(value, EXCERPT_LENGTH);
  }

  /** {@link #excerpt(Object)} keeping up to {@code maxChars} characters. */
  public static String excerpt(Object value, int maxChars) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder();
    int limit = Math.min(s.length(), maxChars);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (s.length() > maxChars) {
      out.append("... (").append(s.length()).append(" characters)");
    }
    return out.toString();
  }

  /**
   * A build's trigger (its progress channel): at most {@value #MAX_TRIGGER_LENGTH} printable ASCII
   * characters; null means none ("").
   */
  public static String trigger(String value) {
    if (value == null) {
      return "";
    }
    if (value.length() > MAX_TRIGGER_LENGTH || !TRIGGER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid trigger '"
              + excerpt(value)
              + "' (expected at most "
              + MAX_TRIGGER_LENGTH
              + " printable ASCII characters, got "
              + value.length()
              + " characters)");
    }
    return value;
  }

  /**
   * A package list's size: at most {@value #MAX_PACKAGES} names of at most {@value
   * #MAX_PACKAGE_LIST_CHARS} characters in all, so that the list fits on one command line (the
   * kernel refuses a longer argument list with E2BIG).
   */
  public static <T extends Collection<?>> T packageCount(T packages, String what) {
    if (packages == null) {
      return null;
    }
    if (packages.size() > MAX_PACKAGES) {
      throw new IllegalArgumentException(
          "too many " + what + ": " + packages.size() + " (expected at most " + MAX_PACKAGES + ")");
    }
    long chars = 0;
    for (Object p : packages) {
      chars += String.valueOf(p).length() + 1;
    }
    if (chars > MAX_PACKAGE_LIST_CHARS) {
      throw new IllegalArgumentException(
          "too long a list of "
              + what
              + ": "
              + chars
              + " characters (expected at most "
              + MAX_PACKAGE_LIST_CHARS
              + ")");
    }
    return packages;
  }

  /**
   * A SOURCE_DATE_EPOCH: seconds since 1970, at most {@value #MAX_SOURCE_DATE_EPOCH}
   * (2100-01-01T00:00:00Z), beyond which FAT and 32-bit unsigned time stamps give out.
   */
  public static long sourceDateEpoch(long seconds) {
    if (seconds < 0 || seconds > MAX_SOURCE_DATE_EPOCH) {
      throw new IllegalArgumentException(
          "invalid SOURCE_DATE_EPOCH '"
              + seconds
              + "' (expected seconds since 1970, from 0 to "
              + MAX_SOURCE_DATE_EPOCH
              + " = 2100-01-01T00:00:00Z)");
    }
    return seconds;
  }

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
              + excerpt(value)
              + "' (expected a Debian package name such as openssh-server,"
              + " optionally with :arch and =version)");
    }
    return value;
  }

  public static String hostname(String value) {
    if (value == null || !HOSTNAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid hostname '"
              + excerpt(value)
              + "' (expected 1-63 letters, digits or '-', as in RFC 1123)");
    }
    return value;
  }

  public static String sha256(String value, String what) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + excerpt(value) + "' (expected 64 lower-case hex digits)");
    }
    return value;
  }

  /** An OpenPGP v4 fingerprint; spaces are dropped and letters upper-cased. */
  public static String fingerprint(String value) {
    String normal =
        value == null ? null : value.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (normal == null || !FINGERPRINT.matcher(normal).matches()) {
      throw new IllegalArgumentException(
          "invalid key fingerprint '" + excerpt(value) + "' (expected 40 hex digits)");
    }
    return normal;
  }

  public static String matches(String value, Pattern pattern, String what, String expected) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + excerpt(value) + "' (expected " + expected + ")");
    }
    return value;
  }

  public static String url(String value, String what) {
    if (value == null
        || !(value.startsWith("http://")
            || value.startsWith("https://")
            || value.startsWith("file:/"))
        || value.contains(" ")) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + excerpt(Secrets.redact(value))
              + "' (expected an http://, https:// or file:/ URL)");
    }
    try {
      java.net.URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + excerpt(Secrets.redact(value))
              + "' (expected a URL: "
              + Secrets.redact(e.getMessage())
              + ")",
          e);
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
