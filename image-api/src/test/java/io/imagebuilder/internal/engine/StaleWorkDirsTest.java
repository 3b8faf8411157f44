package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.io.ChildJvm;
import io.imagebuilder.internal.io.SafeDelete;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleWorkDirsTest {
  @TempDir Path temp;

  private List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theWorkDirectoryOfAKilledBuildIsRemovedAndOneOfALiveBuildIsNot() throws Exception {
    Path parent = temp.resolve("work");
    ChildJvm live = ChildJvm.start(WorkDirHolderMain.class, parent.toString());
    ChildJvm killed = ChildJvm.start(WorkDirHolderMain.class, parent.toString());
    try {
      Path liveDir = Path.of(live.firstLine());
      Path deadDir = Path.of(killed.firstLine());
      killed.kill();
      assertTrue(
          Files.exists(deadDir.resolve("half-built")), "the kill left the work directory behind");

      assertEquals(List.of(deadDir), StaleWorkDirs.clean(parent));
      assertEquals(
          List.of(liveDir.getFileName().toString(), liveDir.getFileName() + ".lock"),
          names(parent));
      assertTrue(
          Files.exists(liveDir.resolve("half-built")), "the live build's files are untouched");
    } finally {
      live.kill();
      killed.kill();
    }
  }

  @Test
  void aWorkDirectoryOfThisJvmIsLeftAloneUntilItsBuildGivesItUp() throws Exception {
    Path parent = temp.resolve("work");
    StaleWorkDirs.Owned mine = StaleWorkDirs.create(parent);
    Files.writeString(mine.dir().resolve("f"), "x");
    assertEquals(List.of(), StaleWorkDirs.clean(parent));
    assertTrue(Files.exists(mine.dir().resolve("f")));

    SafeDelete.deleteTree(mine.dir());
    mine.close();
    assertEquals(List.of(), names(parent), "the lock file goes with its directory");
  }

  @Test
  void directoriesWithoutLockFilesAndOrphanedLockFilesAreRemoved() throws Exception {
    Path parent = Files.createDirectories(temp.resolve("work"));
    Path old = Files.createDirectories(parent.resolve("0b1d9c1e-old-build/rootfs/usr"));
    Files.writeString(parent.resolve("gone.lock"), "pid 1\n");
    assertEquals(List.of(parent.resolve("0b1d9c1e-old-build")), StaleWorkDirs.clean(parent));
    assertTrue(Files.notExists(old));
    assertEquals(List.of(), names(parent));
  }

  @Test
  void anUnusedWorkDirectoryGoesWhenItsBuildEndsAndOneWithLeftoversStaysForTheNextBuild()
      throws Exception {
    Path parent = temp.resolve("work");
    StaleWorkDirs.create(parent).close(); // say the stage cache answered the build
    assertEquals(List.of(), names(parent));

    StaleWorkDirs.Owned leftover = StaleWorkDirs.create(parent);
    Files.writeString(leftover.dir().resolve("left"), "x");
    leftover.close();
    assertEquals(List.of(leftover.dir()), StaleWorkDirs.clean(parent));
    assertEquals(List.of(), names(parent));
  }
}
