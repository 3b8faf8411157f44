package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.BootChecks;
import io.imagebuilder.samples.testing.EmulatedInitramfsCheck;
import io.imagebuilder.samples.testing.SshLogin;
import io.imagebuilder.testing.DiskImageFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A qemu-arm64 image of bookworm with openssh-server and a user with an authorized key, built by
 * the library end to end under qemu-user, boots on qemu's virt machine (AAVMF, TCG) to a login
 * prompt on the serial console and answers an SSH login with the key through qemu's forwarded port;
 * its initramfs, made with native helpers, is the one a fully emulated mkinitramfs makes.
 */
class QemuArm64BootIT {
  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("qemu-arm64", "bookworm", "openssh-server");

  @Test
  void bootsToALoginPromptAndAnswersAnSshLoginWithTheKey() throws Exception {
    BootChecks.LoggedIn in = BootChecks.bootAndLogIn(IMAGE.diskImage(), "qemu-arm64", null);
    BootResult result = in.boot();
    assertTrue(result.reachedLogin(), result.summary(60));
    assertNotNull(in.login(), result.summary(60));
    assertEquals("aarch64", in.machine(), in.login().output());
    assertEquals(SshLogin.USER, in.user(), in.login().output());
    assertEquals("systemd", in.init(), in.login().output());
    PcAmd64BootIT.assertCleanBoot(result);
  }

  /**
   * The check stage fails the build on any difference, so the image being ready proves it passed;
   * its log (restored with a result reused from the stage cache) shows what it compared.
   */
  @Test
  void initramfsMadeWithNativeHelpersIsTheFullyEmulatedOne() throws Exception {
    BuildResult result = IMAGE.result();
    CompletedStage check =
        result.stages().stream()
            .filter(s -> s.type().equals("test.initramfs-emulated"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no initramfs check in " + result.stages()));
    assertEquals(
        "board.kernel",
        result.stages().get(result.stages().indexOf(check) - 1).type(),
        "the check ran right after the kernel stage");
    Path logs = IMAGE.diskImage().resolveSibling("logs");
    String log;
    try (Stream<Path> files = Files.list(logs)) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().endsWith("-test.initramfs-emulated.log"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no log of the check in " + logs));
      log = Files.readString(file);
    }
    assertTrue(log.contains(EmulatedInitramfsCheck.HELPERS_LINE), log);
    assertEquals(
        1,
        log.lines().filter(l -> l.contains(EmulatedInitramfsCheck.KERNEL_LINE)).count(),
        "one kernel compared: " + log);
  }
}
