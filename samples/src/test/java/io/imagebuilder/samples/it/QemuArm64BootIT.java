package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardBuilds;
import io.imagebuilder.samples.testing.BootChecks;
import io.imagebuilder.samples.testing.EmulatedInitramfsCheck;
import io.imagebuilder.samples.testing.SshLogin;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A qemu-arm64 image of bookworm with openssh-server and a user with an authorized key, built by
 * the library end to end under qemu-user, boots on qemu's virt machine (AAVMF, TCG) to a login
 * prompt on the serial console and answers an SSH login with the key through qemu's forwarded port;
 * its initramfs, made with native helpers, is the one a fully emulated mkinitramfs makes.
 */
class QemuArm64BootIT {
  @Test
  void bootsToALoginPromptAndAnswersAnSshLoginWithTheKey() throws Exception {
    Path image = BoardBuilds.get("qemu-arm64", "bookworm", "openssh-server").image();
    BootChecks.LoggedIn in = BootChecks.bootAndLogIn(image, "qemu-arm64", null);
    BootResult result = in.boot();
    assertTrue(result.reachedLogin(), result.summary(60));
    assertNotNull(in.login(), result.summary(60));
    assertEquals("aarch64", in.machine(), in.login().output());
    assertEquals(SshLogin.USER, in.user(), in.login().output());
    assertEquals("systemd", in.init(), in.login().output());
    PcAmd64BootIT.assertCleanBoot(result);
  }

  @Test
  void initramfsMadeWithNativeHelpersIsTheFullyEmulatedOne() throws Exception {
    EmulatedInitramfsCheck.Findings found =
        BoardBuilds.get("qemu-arm64", "bookworm", "openssh-server").initramfs();
    assertTrue(
        found.helpersRan(), "a command that allows native helpers did not run the host's shell");
    assertTrue(
        found.helpersAvoidedWhenNotAsked(),
        "a command that does not allow them ran the host's shell");
    assertEquals(1, found.kernels().size(), "kernels: " + found.kernels());
    for (EmulatedInitramfsCheck.Comparison c : found.kernels()) {
      assertTrue(c.identical(), c.toString());
    }
  }
}
