package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.engine.CacheLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
  @TempDir Path cache;

  /** A cache file of {@code size} bytes last used {@code daysAgo} days ago. */
  private Path file(String area, String name, int size, int daysAgo) throws Exception {
    Path f = cache.resolve(area).resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[size]);
    FileTime t = FileTime.from(Instant.now().minusSeconds(86_400L * daysAgo));
    Files.setAttribute(f, "basic:lastAccessTime", t);
    Files.setLastModifiedTime(f, t);
    return f;
  }

  @Test
  void collectingRemovesTheLeastRecentlyUsedEntriesWholeUntilTheCacheFits() throws Exception {
    Path oldDeb = file("packages", "aaaa", 1000, 30);
    Path oldLock = file("packages", "aaaa.lock", 0, 30);
    Path newDeb = file("packages", "bbbb", 1000, 1);
    Path oldTree = file("trees", "cccc.tar.zst", 3000, 20);
    Path oldTreeSum = file("trees", "cccc.sha256", 64, 20);
    Path newIndex = file("indexes", "dddd.bin", 500, 2);
    Path key = file("keys", "KEY.asc", 100, 99);

    BuildCache.Collection c = BuildCache.at(cache).collect(2000);

    assertFalse(c.skipped());
    assertEquals(
        2, c.removedEntries(), "the old .deb with its lock, the old tree with its checksum");
    assertEquals(4064, c.freedBytes());
    assertEquals(1500, c.bytesLeft());
    assertFalse(
        Files.exists(oldDeb)
            || Files.exists(oldLock)
            || Files.exists(oldTree)
            || Files.exists(oldTreeSum));
    assertTrue(Files.exists(newDeb) && Files.exists(newIndex));
    assertTrue(Files.exists(key), "keys are never evicted");
  }

  @Test
  void stageTreesCountAgainstTheCapAndGoWholeLeastRecentlyUsedFirst() throws Exception {
    file("stages", "ffff-1111/tree.tar", 3000, 10);
    file("stages", "ffff-1111/entry.json", 100, 10);
    Path oldStage = cache.resolve("stages/ffff-1111");
    Files.setLastModifiedTime(oldStage, FileTime.from(Instant.now().minusSeconds(86_400L * 10)));
    Files.setAttribute(
        oldStage, "basic:lastAccessTime", FileTime.from(Instant.now().minusSeconds(86_400L * 10)));
    Path newDeb = file("packages", "bbbb", 1000, 1);

    assertTrue(BuildCache.at(cache).usage().contains(new BuildCache.Area("stages", 1, 3100)));
    BuildCache.Collection c = BuildCache.at(cache).collect(2000);

    assertEquals(1, c.removedEntries());
    assertEquals(3100, c.freedBytes());
    assertFalse(Files.exists(oldStage), "the archived tree went with its entry");
    assertTrue(Files.exists(newDeb));
  }

  @Test
  void aStageEntryOfTheFirstLayoutIsRemovedByTheNextCollectionHoweverRecent() throws Exception {
    Path copiedTree = file("stages", "eeee-2222/tree/usr/bin/tool", 3000, 0);
    file("stages", "eeee-2222/entry.json", 100, 0);
    Path archived = file("stages", "dddd-3333/tree.tar", 3000, 0);

    BuildCache.Collection c = BuildCache.at(cache).collect(1L << 30);

    assertEquals(1, c.removedEntries());
    assertEquals(3100, c.freedBytes());
    assertFalse(
        Files.exists(cache.resolve("stages/eeee-2222")),
        "no build reads a copied tree: " + copiedTree);
    assertTrue(Files.exists(archived), "an entry of today's layout stays while the cache fits");
  }

  @Test
  void aFileLinkedFromTwoEntriesCountsOnceInTheTotal() throws Exception {
    Path fact = file("stages", "aaaa-1111/facts/big.json", 4000, 3);
    file("stages", "aaaa-1111/entry.json", 100, 3);
    Files.createDirectories(cache.resolve("stages/bbbb-2222/facts"));
    Files.createLink(cache.resolve("stages/bbbb-2222/facts/big.json"), fact);
    file("stages", "bbbb-2222/entry.json", 100, 2);

    BuildCache.Area stages =
        BuildCache.at(cache).usage().stream()
            .filter(a -> a.name().equals("stages"))
            .findFirst()
            .orElseThrow();

    assertEquals(new BuildCache.Area("stages", 2, 4200), stages, "4000 bytes on disk, not 8000");
  }

  @Test
  void collectingRemovesWhatAKilledBuildWasWritingButNotWhatIsBeingWrittenNow() throws Exception {
    Path deadTree = file("stages", ".new-1234/tree/usr/bin/tool", 3000, 1);
    Files.setLastModifiedTime(
        deadTree.getParent().getParent().getParent().getParent(),
        FileTime.from(Instant.now().minusSeconds(86_400L)));
    Path deadPart = file("packages", ".aaaa.0123456789ab.part", 500, 1);
    Path livePart = file("packages", ".bbbb.0123456789ab.part", 500, 0);
    Path deb = file("packages", "cccc", 1000, 1);

    BuildCache.Collection c = BuildCache.at(cache).collect(1 << 20);

    assertEquals(2, c.removedEntries(), "the dead stage tree and the dead download");
    assertEquals(3500, c.freedBytes());
    assertFalse(Files.exists(cache.resolve("stages/.new-1234")));
    assertFalse(Files.exists(deadPart));
    assertTrue(Files.exists(livePart), "a part written within the hour may be a live writer's");
    assertTrue(Files.exists(deb), "the cache fits: no entry is evicted");
  }

  @Test
  void aRunningBuildKeepsTheCollectorOut() throws Exception {
    Path deb = file("packages", "aaaa", 1000, 30);
    try (CacheLock build = CacheLock.shared(cache)) {
      BuildCache.Collection c = BuildCache.at(cache).collect(0);
      assertTrue(c.skipped());
      assertTrue(Files.exists(deb));
    }
    assertEquals(1, BuildCache.at(cache).collect(0).removedEntries(), "once the build ended");
    assertFalse(Files.exists(deb));
  }

  @Test
  void usageCountsEachPart() throws Exception {
    file("packages", "aaaa", 1000, 1);
    file("packages", "aaaa.lock", 0, 1);
    file("results", "eeee/entry.json", 0, 1);
    file("results", "eeee/image.tar.zst", 0, 1);
    Files.write(cache.resolve("results/eeee/image.tar.zst"), new byte[200]);
    List<BuildCache.Area> usage = BuildCache.at(cache).usage();
    assertEquals(new BuildCache.Area("results", 1, 200), usage.get(0));
    assertEquals(new BuildCache.Area("packages", 1, 1000), usage.get(2));
  }

  @Test
  void aCacheCollectedBeforeItsFirstBuildIsStillACacheABuildAccepts() throws Exception {
    Path fresh = cache.resolve("fresh");
    BuildCache.at(fresh).collect(0); // leaves the cache's lock file behind
    assertEquals(
        fresh.toAbsolutePath(),
        io.imagebuilder.internal.io.OwnedDirectories.checkCache(fresh),
        "a directory holding only the cache's own lock is the library's");
  }

  @Test
  void aBadCapIsRefusedNamingIt() {
    String before = System.setProperty("imagebuilder.cache.maxBytes", "lots");
    try {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, BuildCache::configuredMaxBytes);
      assertEquals(
          "invalid imagebuilder.cache.maxBytes 'lots' (expected a number of bytes, 0 or more)",
          e.getMessage());
    } finally {
      System.clearProperty("imagebuilder.cache.maxBytes");
    }
    if (before != null) {
      System.setProperty("imagebuilder.cache.maxBytes", before);
    }
  }
}
