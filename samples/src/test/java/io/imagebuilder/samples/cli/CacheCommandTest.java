package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheCommandTest {
  @TempDir Path cache;

  @Test
  void usageListsThePartsAndGcFitsTheCacheToTheSizeGiven() throws Exception {
    Path old = Files.createDirectories(cache.resolve("packages")).resolve("aaaa");
    Files.write(old, new byte[2 << 20]);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(86_400)));
    Files.setAttribute(
        old, "basic:lastAccessTime", FileTime.from(Instant.now().minusSeconds(86_400)));
    Files.write(cache.resolve("packages/bbbb"), new byte[1 << 20]);

    CliRun usage = CliRun.run("cache", "usage", "--cache", cache.toString());
    assertEquals(0, usage.exitCode(), usage::toString);
    assertTrue(usage.out().contains("  packages    3.0 MiB in 2 entries\n"), usage::toString);

    CliRun gc = CliRun.run("cache", "gc", "--cache", cache.toString(), "--max-size", "1MiB");
    assertEquals(0, gc.exitCode(), gc::toString);
    assertTrue(gc.out().startsWith("Removed 1 entries (2.0 MiB); 1.0 MiB left"), gc::toString);
    assertFalse(Files.exists(old), "the least recently used went");
    assertTrue(Files.exists(cache.resolve("packages/bbbb")));
  }

  @Test
  void aBadSizeOrActionIsAUsageErrorNamingIt() {
    CliRun size = CliRun.run("cache", "gc", "--cache", cache.toString(), "--max-size", "lots");
    assertEquals(2, size.exitCode(), size::toString);
    assertTrue(
        size.err()
            .contains("invalid --max-size 'lots' (expected a size such as 500MiB, 5GiB or 0)"),
        size::toString);
    CliRun action = CliRun.run("cache", "shrink", "--cache", cache.toString());
    assertEquals(2, action.exitCode(), action::toString);
    assertTrue(
        action.err().contains("invalid action 'shrink' (expected usage or gc)"), action::toString);
  }
}
