package io.imagebuilder.rootfs.internal.host;

import io.imagebuilder.api.error.ImageBuildException;
import java.util.function.Function;

/**
 * One setting of the host rather than of the image (like a proxy: which keyserver or Launchpad API
 * to ask): the system property {@code property}, else the environment variable {@code environment},
 * else {@code fallback}. A set value is trimmed and given to {@code parse}.
 *
 * @param property system property name, e.g. {@code imagebuilder.keyserver}
 * @param environment environment variable name, e.g. {@code IMAGEBUILDER_KEYSERVER}
 * @param fallback the value when neither is set
 * @param parse turns a set value into a T, throwing IllegalArgumentException naming a bad one
 */
public record HostSetting<T>(
    String property, String environment, T fallback, Function<String, T> parse) {
  /**
   * The value the host configured, else the fallback.
   *
   * @throws IllegalArgumentException the parser's message, plus where the bad value came from
   */
  public T value() {
    String raw = System.getProperty(property);
    String from = "-D" + property;
    if (raw == null || raw.isBlank()) {
      raw = System.getenv(environment);
      from = "$" + environment;
    }
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return parse.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " from " + from, e);
    }
  }

  /** {@link #value()} for a build: a bad host setting fails the build, it is no caller mistake. */
  public T valueForBuild() throws ImageBuildException {
    try {
      return value();
    } catch (IllegalArgumentException e) {
      throw new ImageBuildException(e.getMessage(), e);
    }
  }
}
