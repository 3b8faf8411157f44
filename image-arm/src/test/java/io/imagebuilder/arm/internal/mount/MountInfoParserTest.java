package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoParserTest {
  static final String FIXTURE =
      "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
          + "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
          + "80 22 254:0 /work/b/rootfs /work/b/rootfs rw,relatime - ext4 /dev/vda rw\n"
          + "81 80 0:50 / /work/b/rootfs/proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
          + "82 80 0:51 / /work/b/rootfs/dev rw,nosuid,relatime - tmpfs imagebuilder-dev rw,size=16384k,mode=755\n"
          + "83 82 0:52 / /work/b/rootfs/dev/pts rw,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666\n"
          + "90 22 0:60 / /work/with\\040space\\134x rw master:3 propagate_from:1 - tmpfs none rw\n";

  @Test
  void parsesFieldsAndOptionalPropagation() {
    List<MountEntry> all = MountInfoParser.parse(FIXTURE);
    assertEquals(7, all.size());
    MountEntry root = all.get(0);
    assertEquals(22, root.id());
    assertEquals(1, root.parentId());
    assertEquals(Path.of("/"), root.mountPoint());
    assertEquals("ext4", root.fsType());
    assertEquals("/dev/vda", root.source());
    assertEquals("shared:1", root.propagation());
    MountEntry pts = all.get(5);
    assertEquals(Path.of("/work/b/rootfs/dev/pts"), pts.mountPoint());
    assertEquals("devpts", pts.fsType());
    assertEquals(82, pts.parentId());
    assertEquals("", pts.propagation());
  }

  @Test
  void undoesOctalEscapesInPaths() {
    MountEntry e = MountInfoParser.parse(FIXTURE).get(6);
    assertEquals(Path.of("/work/with space\\x"), e.mountPoint());
    assertEquals("master:3 propagate_from:1", e.propagation());
  }

  @Test
  void rejectsTextThatIsNotMountinfo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MountInfoParser.parse("proc /proc proc rw 0 0\n"));
    assertTrue(e.getMessage().contains("'proc /proc proc rw 0 0'"), e.getMessage());
  }

  @Test
  void readsTheLiveTable() throws Exception {
    assertTrue(
        MountInfoParser.current().stream().anyMatch(m -> m.mountPoint().equals(Path.of("/"))));
  }
}
