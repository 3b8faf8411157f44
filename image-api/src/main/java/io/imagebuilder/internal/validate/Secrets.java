package io.imagebuilder.internal.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that keeps URL passwords out of messages: every error, log line and event that may
 * hold a URL goes through {@link #redact(String)} before a person sees it.
 */
public final class Secrets {
  /** {@code scheme://user:password@}: the password is what goes. */
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@\\s:]*):([^/?#@\\s]*)@");

  /** What a password is replaced with. */
  public static final String MASK = "***";

  private Secrets() {}

  /**
   * {@code text} with the password of every URL in it replaced by {@value #MASK}, e.g. {@code
   * https://ci:s3cret@mirror.example/debian} becomes {@code https://ci:***@mirror.example/debian};
   * null stays null.
   */
  public static String redact(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = USER_INFO.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + MASK + "@"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@link #redact(String)} of {@code value}'s string form. */
  public static String redact(Object value) {
    return value == null ? null : redact(value.toString());
  }
}
