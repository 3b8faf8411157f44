package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.internal.io.DirectoryLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureStoreTest {
  @TempDir Path runDir;

  @Test
  void theSameImageDeclaredTwiceHasOneDirectoryAndAnotherImageItsOwn() {
    Path a =
        FixtureStore.of(
                runDir, ImageBuilder.forSeries("bookworm").withPackages("hello").plan().id())
            .dir();
    Path b =
        FixtureStore.of(
                runDir, ImageBuilder.forSeries("bookworm").withPackages("hello").plan().id())
            .dir();
    Path c =
        FixtureStore.of(
                runDir, ImageBuilder.forSeries("bookworm").withPackages("hello", "jq").plan().id())
            .dir();
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(runDir, a.getParent());
  }

  @Test
  void aPlanIdThatIsNotAHashIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FixtureStore.of(runDir, "../../etc"));
    assertEquals("invalid plan id '../../etc' (expected 64 hex digits)", e.getMessage());
  }

  @Test
  void aSecondHolderWaitsForTheFirstAndThenGetsTheLock() throws Exception {
    FixtureStore store = FixtureStore.of(runDir, "a".repeat(64));
    DirectoryLock first = store.lock(Duration.ofSeconds(1));
    IOException timedOut =
        assertThrows(IOException.class, () -> store.lock(Duration.ofMillis(300)));
    assertTrue(
        timedOut
            .getMessage()
            .contains("is still held by this process (pid " + ProcessHandle.current().pid() + ")"),
        timedOut.getMessage());

    CompletableFuture<DirectoryLock> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.lock(Duration.ofSeconds(30));
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(500);
    assertTrue(!second.isDone(), "the second holder waits while the first holds the lock");
    first.close();
    second.get(10, TimeUnit.SECONDS).close();
  }

  @Test
  void theBuildLogKeepsALinePerPreparationAndTheMarkerNamesTheUnpackedTarball() throws Exception {
    FixtureStore store = FixtureStore.of(runDir, "b".repeat(64));
    assertEquals(List.of(), store.buildLog());
    store.lock(Duration.ofSeconds(1)).close();
    store.log("built plan x");
    store.log("reused plan x");
    List<String> log = store.buildLog();
    assertEquals(2, log.size());
    assertTrue(
        log.get(0).endsWith(" built plan x") && log.get(1).endsWith(" reused plan x"),
        log.toString());

    assertTrue(store.unpackedFrom().isEmpty());
    java.nio.file.Files.createDirectories(store.rootfs());
    store.markUnpacked("c".repeat(64));
    assertEquals("c".repeat(64), store.unpackedFrom().orElseThrow());
    store.forgetUnpacked();
    assertTrue(store.unpackedFrom().isEmpty());
  }
}
