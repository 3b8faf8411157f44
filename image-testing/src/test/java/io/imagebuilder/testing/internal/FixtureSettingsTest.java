package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FixtureSettingsTest {
  private static final Path PROJECT = Path.of("/home/dev/project");

  private static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void defaultsAreTheBuildsTargetDirectoryAndTheUsersCache() {
    FixtureSettings s = FixtureSettings.from(props(), PROJECT);
    assertEquals(Path.of("/home/dev/project/target/imagebuilder-fixtures"), s.runDir());
    assertEquals(Optional.empty(), s.cacheDir());
    assertFalse(s.refresh());
    assertFalse(s.failInsteadOfSkip());
    assertEquals(Duration.ofHours(1), s.lockTimeout());
    assertEquals(Duration.ofDays(1), s.maxAge());
  }

  @Test
  void propertiesSetEachValueAndRelativeDirectoriesResolveAgainstTheWorkingDirectory() {
    FixtureSettings s =
        FixtureSettings.from(
            props(
                FixtureSettings.RUN_DIR, "build/fixtures",
                FixtureSettings.CACHE_DIR, "/var/cache/ib",
                FixtureSettings.REFRESH, "true",
                FixtureSettings.FAIL_INSTEAD_OF_SKIP, "",
                FixtureSettings.LOCK_TIMEOUT, "PT5M",
                FixtureSettings.RUN_ID, "20261202200000123",
                FixtureSettings.MAX_AGE, "PT12H"),
            PROJECT);
    assertEquals(Path.of("/home/dev/project/build/fixtures"), s.runDir());
    assertEquals(Optional.of(Path.of("/var/cache/ib")), s.cacheDir());
    assertTrue(s.refresh());
    assertTrue(s.failInsteadOfSkip(), "-Dimagebuilder.testing.failInsteadOfSkip alone means true");
    assertEquals(Duration.ofMinutes(5), s.lockTimeout());
    assertEquals(Optional.of("20261202200000123"), s.runId());
    assertEquals(Duration.ofHours(12), s.maxAge());
    assertEquals(
        Duration.ZERO,
        FixtureSettings.from(props(FixtureSettings.MAX_AGE, "PT0S"), PROJECT).maxAge(),
        "zero: the archive is always asked");
  }

  @Test
  void aBadValueIsRefusedNamingThePropertyAndTheValue() {
    IllegalArgumentException flag =
        assertThrows(
            IllegalArgumentException.class,
            () -> FixtureSettings.from(props(FixtureSettings.REFRESH, "yes"), PROJECT));
    assertEquals(
        "invalid imagebuilder.testing.refresh 'yes' (expected true or false)", flag.getMessage());
    IllegalArgumentException timeout =
        assertThrows(
            IllegalArgumentException.class,
            () -> FixtureSettings.from(props(FixtureSettings.LOCK_TIMEOUT, "10 minutes"), PROJECT));
    assertTrue(
        timeout.getMessage().startsWith("invalid imagebuilder.testing.lockTimeout '10 minutes'"),
        timeout.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FixtureSettings.from(props(FixtureSettings.LOCK_TIMEOUT, "PT0S"), PROJECT));
    IllegalArgumentException age =
        assertThrows(
            IllegalArgumentException.class,
            () -> FixtureSettings.from(props(FixtureSettings.MAX_AGE, "-PT1H"), PROJECT));
    assertEquals(
        "invalid imagebuilder.testing.maxAge '-PT1H' (expected a zero or positive duration)",
        age.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FixtureSettings.from(props(FixtureSettings.RUN_DIR, " "), PROJECT));
    assertThrows(
        IllegalArgumentException.class,
        () -> FixtureSettings.from(props(FixtureSettings.RUN_ID, "a b"), PROJECT));
  }
}
