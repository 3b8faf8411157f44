package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyRcDTest {
  @Test
  void placedWhileRunningAndRemovedAfter(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("usr/sbin"));
    PolicyRcD p = new PolicyRcD(root);
    assertTrue(p.place());
    Path f = root.resolve("usr/sbin/policy-rc.d");
    assertTrue(Files.isExecutable(f));
    assertTrue(Files.readString(f).contains("exit 101"));
    p.remove();
    assertFalse(Files.exists(f));
  }

  @Test
  void notPlacedWithoutUsrSbin(@TempDir Path root) throws Exception {
    assertFalse(new PolicyRcD(root).place());
    assertFalse(Files.exists(root.resolve("usr")));
  }

  @Test
  void anExistingPolicyIsTheImagesOwnAndStays(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("usr/sbin"));
    Path f = Files.writeString(root.resolve("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 0\n");
    PolicyRcD p = new PolicyRcD(root);
    assertFalse(p.place());
    p.remove();
    assertEquals("#!/bin/sh\nexit 0\n", Files.readString(f));
  }

  @Test
  void aSymlinkedSbinIsNotFollowed(@TempDir Path dir) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("host-sbin"));
    Path root = Files.createDirectories(dir.resolve("rootfs/usr"));
    Files.createSymbolicLink(root.resolve("sbin"), outside);
    assertFalse(new PolicyRcD(dir.resolve("rootfs")).place());
    assertFalse(Files.exists(outside.resolve("policy-rc.d")));
  }
}
