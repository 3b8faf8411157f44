package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {
  @Test
  void theCacheFollowsHomeNotOnlyTheAccountsHome() {
    assertEquals(
        Path.of("/tmp/ci-home/.cache/imagebuilder"),
        Defaults.cacheDir(Map.of("HOME", "/tmp/ci-home"), "/root"));
  }

  @Test
  void xdgCacheHomeComesFirstAndUserHomeIsTheLastResort() {
    assertEquals(
        Path.of("/var/cache/x/imagebuilder"),
        Defaults.cacheDir(Map.of("XDG_CACHE_HOME", "/var/cache/x", "HOME", "/tmp/h"), "/root"));
    assertEquals(Path.of("/root/.cache/imagebuilder"), Defaults.cacheDir(Map.of(), "/root"));
    // Relative values are ignored, as the XDG base directory specification says.
    assertEquals(
        Path.of("/tmp/h/.cache/imagebuilder"),
        Defaults.cacheDir(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/tmp/h"), "/root"));
  }
}
