package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.BootChecks;
import io.imagebuilder.samples.testing.SshLogin;
import io.imagebuilder.testing.DiskImageFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pc-amd64 image of bookworm with openssh-server and a user with an authorized key, built by the
 * library end to end (bootstrap, packages, kernel and GRUB, networking, disk assembly), boots in
 * qemu to a login prompt on the serial console, with UEFI (OVMF) and with BIOS. Under UEFI the test
 * logs in over SSH through qemu's user networking and a forwarded port, with the key: the image got
 * an address by DHCP and sshd answers. Both boot logs show the initramfs checking the root
 * filesystem (fsck was in it), no fsck warning and no failed unit. Built once for both boots.
 */
class PcAmd64BootIT {
  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("pc-amd64", "bookworm", "openssh-server");

  @Test
  void bootsWithUefiAndAnswersAnSshLoginWithTheKey() throws Exception {
    BootChecks.LoggedIn in = BootChecks.bootAndLogIn(IMAGE.diskImage(), "pc-amd64", "uefi");
    BootResult result = in.boot();
    assertTrue(result.reachedLogin(), result.summary(30));
    assertEquals(BootResult.ExitReason.LOGIN_PROMPT, result.exitReason());
    assertNotNull(in.login(), result.summary(30));
    assertEquals("x86_64", in.machine(), in.login().output());
    assertEquals(SshLogin.USER, in.user(), in.login().output());
    assertEquals("systemd", in.init(), in.login().output());
    assertCleanBoot(result);
  }

  @Test
  void bootsWithBiosToALoginPrompt() throws Exception {
    BootResult result = BootChecks.boot(IMAGE.diskImage(), "pc-amd64", "bios");
    assertTrue(result.reachedLogin(), result.summary(30));
    assertCleanBoot(result);
  }

  /**
   * The boot log (serial console) shows the initramfs checking the root filesystem with fsck.ext4,
   * no fsck warning and no unit systemd reports as failed.
   */
  static void assertCleanBoot(BootResult result) {
    List<String> console = result.consoleLines();
    for (String line : console) {
      assertFalse(
          line.contains("fsck not present") || line.contains("fsck hook"),
          "the boot log has an fsck warning: " + line);
      assertFalse(line.contains("[FAILED]"), "a unit failed: " + line);
    }
    assertTrue(
        console.stream().anyMatch(l -> l.contains("Will now check root file system")),
        "the initramfs did not check the root filesystem");
    assertTrue(
        console.stream().anyMatch(l -> l.contains("fsck.ext4")),
        "the initramfs's fsck did not run fsck.ext4");
  }
}
