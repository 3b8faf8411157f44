package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnmounterTest {
  @Test
  void childrenComeBeforeWhatTheySitOnAndStackedMountsTopFirst() {
    List<MountEntry> table =
        List.of(
            new MountEntry(80, 22, Path.of("/w/r"), "ext4", "/dev/vda", ""),
            new MountEntry(81, 80, Path.of("/w/r/proc"), "proc", "proc", ""),
            new MountEntry(82, 80, Path.of("/w/r/dev"), "tmpfs", "x", ""),
            new MountEntry(83, 82, Path.of("/w/r/dev/pts"), "devpts", "devpts", ""),
            new MountEntry(84, 81, Path.of("/w/r/proc"), "tmpfs", "on-top", ""));
    List<Integer> ids =
        Unmounter.deepestFirst(table).stream().map(MountEntry::id).collect(Collectors.toList());
    assertEquals(List.of(83, 84, 82, 81, 80), ids);
  }

  @Test
  void belowSelectsTheRootAndItsDescendantsOnly() {
    List<MountEntry> table =
        List.of(
            new MountEntry(1, 0, Path.of("/"), "ext4", "/dev/vda", ""),
            new MountEntry(2, 1, Path.of("/w/r"), "ext4", "/dev/vda", ""),
            new MountEntry(3, 2, Path.of("/w/r/proc"), "proc", "proc", ""),
            new MountEntry(4, 1, Path.of("/w/rootfs2/proc"), "proc", "proc", ""));
    assertEquals(
        List.of(2, 3),
        Unmounter.below(table, Path.of("/w/r")).stream()
            .map(MountEntry::id)
            .collect(Collectors.toList()));
  }
}
