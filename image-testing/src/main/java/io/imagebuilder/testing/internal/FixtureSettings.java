package io.imagebuilder.testing.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * The fixture settings a test run gives as system properties, read once per fixture. Every value is
 * checked: a bad one fails naming the property, the value and what was expected.
 *
 * @param runDir where this run's fixtures are built and unpacked, shared by its forked JVMs
 * @param cacheDir the library's cache directory, when not the user's default
 * @param refresh whether a fixture is built again instead of taken from the stage cache
 * @param failInsteadOfSkip whether a host that cannot build a fixture fails the test (CI)
 * @param lockTimeout how long a JVM waits for another JVM building the same fixture
 * @param runId a name of this test run its {@code builds.log} lines carry, when one is given
 * @param maxAge how long a fixture built earlier is reused without asking the archive whether it
 *     moved on, while its lock is satisfiable from the package cache; zero: always ask
 */
public record FixtureSettings(
    Path runDir,
    Optional<Path> cacheDir,
    boolean refresh,
    boolean failInsteadOfSkip,
    Duration lockTimeout,
    Optional<String> runId,
    Duration maxAge) {
  public static final String RUN_DIR = "imagebuilder.testing.runDir";
  public static final String CACHE_DIR = "imagebuilder.testing.cacheDir";
  public static final String REFRESH = "imagebuilder.testing.refresh";
  public static final String FAIL_INSTEAD_OF_SKIP = "imagebuilder.testing.failInsteadOfSkip";
  public static final String LOCK_TIMEOUT = "imagebuilder.testing.lockTimeout";
  public static final String RUN_ID = "imagebuilder.testing.runId";
  public static final String MAX_AGE = "imagebuilder.testing.maxAge";

  /**
   * Under the build's {@code target/}, so {@code mvn clean} removes it and forks of one run share
   * it.
   */
  static final String DEFAULT_RUN_DIR = "target/imagebuilder-fixtures";

  static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofHours(1);

  /**
   * A day: a suite run many times a day gets the same fixture, offline; the next day's first run
   * sees the archive's updates.
   */
  static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

  /** {@return the settings of this JVM's system properties} */
  public static FixtureSettings fromSystemProperties() {
    return from(System.getProperties(), Path.of(System.getProperty("user.dir")));
  }

  /**
   * The settings {@code properties} give; relative directories are resolved against {@code
   * workingDir}.
   */
  static FixtureSettings from(Properties properties, Path workingDir) {
    Path runDir =
        workingDir.resolve(path(properties, RUN_DIR).orElse(Path.of(DEFAULT_RUN_DIR))).normalize();
    Optional<Path> cacheDir =
        path(properties, CACHE_DIR).map(p -> workingDir.resolve(p).normalize());
    return new FixtureSettings(
        runDir,
        cacheDir,
        flag(properties, REFRESH),
        flag(properties, FAIL_INSTEAD_OF_SKIP),
        duration(properties, LOCK_TIMEOUT, false).orElse(DEFAULT_LOCK_TIMEOUT),
        runId(properties),
        duration(properties, MAX_AGE, true).orElse(DEFAULT_MAX_AGE));
  }

  private static Optional<Path> path(Properties properties, String name) {
    String value = properties.getProperty(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBlank() || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid " + name + " '" + value + "' (expected a directory)");
    }
    return Optional.of(Path.of(value));
  }

  private static Optional<String> runId(Properties properties) {
    String value = properties.getProperty(RUN_ID);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException(
          "invalid "
              + RUN_ID
              + " '"
              + value
              + "' (expected 1 to 64 letters, digits, '.', '_', ':' or '-')");
    }
    return Optional.of(value);
  }

  private static boolean flag(Properties properties, String name) {
    String value = properties.getProperty(name);
    if (value == null) {
      return false;
    }
    return switch (value.strip()) {
      case "", "true" ->
          true; // -Dimagebuilder.testing.refresh alone means true, as Maven passes it
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "invalid " + name + " '" + value + "' (expected true or false)");
    };
  }

  private static Optional<Duration> duration(
      Properties properties, String name, boolean zeroAllowed) {
    String value = properties.getProperty(name);
    if (value == null) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "invalid " + name + " '" + value + "' (expected an ISO-8601 duration such as PT30M)", e);
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw new IllegalArgumentException(
          "invalid "
              + name
              + " '"
              + value
              + "' (expected a "
              + (zeroAllowed ? "zero or positive" : "positive")
              + " duration)");
    }
    return Optional.of(d);
  }
}
