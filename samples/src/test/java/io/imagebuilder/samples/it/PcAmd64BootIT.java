package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardBuilds;
import io.imagebuilder.samples.testing.BootChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pc-amd64 image of bookworm with openssh-server and a user with an authorized key, built by the
 * library end to end (bootstrap, packages, kernel and GRUB, networking, disk assembly), boots in
 * qemu to a login prompt on the serial console, with UEFI (OVMF) and with BIOS. Under UEFI the test
 * logs in over SSH through qemu's user networking and a forwarded port, with the key: the image got
 * an address by DHCP, sshd answers, systemd reached "running", and the initramfs checked the root
 * filesystem (fsck was in it). Built once for both boots.
 */
class PcAmd64BootIT {
  private static Path image;

  @BeforeAll
  static void buildTheImageOnce() throws Exception {
    image = BoardBuilds.get("pc-amd64", "bookworm", "openssh-server").image();
  }

  @Test
  void bootsWithUefiAndAnswersAnSshLoginWithTheKey() throws Exception {
    BootChecks.LoggedIn in = BootChecks.bootAndLogIn(image, "pc-amd64", "uefi");
    BootResult result = in.boot();
    assertTrue(result.reachedLogin(), result.summary(30));
    assertEquals(BootResult.ExitReason.LOGIN_PROMPT, result.exitReason());
    assertNotNull(in.login(), result.summary(30));
    assertEquals("x86_64", in.machine(), in.login().output());
    assertEquals("running", in.state(), "failed units: " + in.failedUnits());
    assertTrue(
        in.fsckLog().contains("fsck.ext4"),
        "the initramfs checked the root filesystem: " + in.fsckLog());
    assertNoFsckWarning(result);
  }

  @Test
  void bootsWithBiosToALoginPrompt() throws Exception {
    BootResult result = BootChecks.boot(image, "pc-amd64", "bios");
    assertTrue(result.reachedLogin(), result.summary(30));
    assertNoFsckWarning(result);
  }

  static void assertNoFsckWarning(BootResult result) {
    for (String line : result.consoleLines()) {
      assertFalse(
          line.contains("fsck not present") || line.contains("fsck hook"),
          "the boot log has an fsck warning: " + line);
    }
  }
}
