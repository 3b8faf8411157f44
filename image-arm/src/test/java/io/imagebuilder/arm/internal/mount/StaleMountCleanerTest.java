package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleMountCleanerTest {
  private static final String TABLE =
      "22 1 254:0 / / rw shared:1 - ext4 /dev/vda rw\n"
          + "30 22 254:0 /c/work /c/work rw - ext4 /dev/vda rw\n"
          + "80 22 254:0 /c/work/dead/rootfs /c/work/dead/rootfs rw - ext4 /dev/vda rw\n"
          + "81 80 0:50 / /c/work/dead/rootfs/proc rw - proc proc rw\n"
          + "90 22 254:0 /c/work/live/rootfs /c/work/live/rootfs rw - ext4 /dev/vda rw\n"
          + "91 90 0:51 / /c/work/live/rootfs/proc rw - proc proc rw\n"
          + "95 22 0:52 / /c/work/orphan/x rw - tmpfs none rw\n"
          + "99 22 0:53 / /elsewhere/rootfs/proc rw - proc proc rw\n";

  @Test
  void mountsOfLiveBuildsAndOutsideTheWorkDirectoryAreLeftAlone() {
    Set<Path> live = Set.of(Path.of("/c/work/live/rootfs"));
    List<Integer> stale =
        StaleMountCleaner.findStale(
                MountInfoParser.parse(TABLE), Path.of("/c/work"), live::contains)
            .stream()
            .map(MountEntry::id)
            .collect(Collectors.toList());
    // the work directory itself (30) is not below itself; 99 is outside; 90 and 91 are live
    assertEquals(List.of(80, 81, 95), stale);
  }

  @Test
  void aLiveBuildAnywhereAboveTheMountProtectsIt() {
    Set<Path> live = Set.of(Path.of("/c/work/dead"));
    List<Integer> stale =
        StaleMountCleaner.findStale(
                MountInfoParser.parse(TABLE), Path.of("/c/work"), live::contains)
            .stream()
            .map(MountEntry::id)
            .collect(Collectors.toList());
    assertEquals(List.of(90, 91, 95), stale);
  }

  @Test
  void theOwnerOfAStaleMountIsTheDirectoryWithALockFile(@TempDir Path work) throws Exception {
    Path root = Files.createDirectories(work.resolve("b1/rootfs"));
    Files.createDirectories(root.resolve("dev/pts"));
    Files.createFile(RootLock.lockFileFor(root));
    assertEquals(root, StaleMountCleaner.ownerRoot(root.resolve("dev/pts"), work));
    // without any lock file: the topmost directory below the work directory
    Path other = Files.createDirectories(work.resolve("b2/rootfs/proc"));
    assertEquals(work.resolve("b2"), StaleMountCleaner.ownerRoot(other, work));
  }

  @Test
  void aCleanWorkDirectoryNeedsNothing(@TempDir Path work) throws Exception {
    assertEquals(List.of(), StaleMountCleaner.clean(work));
  }
}
