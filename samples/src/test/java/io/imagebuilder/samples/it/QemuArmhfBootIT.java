package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardBuilds;
import io.imagebuilder.samples.testing.BootChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A qemu-armhf image of bookworm with openssh-server, built by the library end to end under
 * qemu-user, boots on qemu's virt machine (qemu-efi-arm's UEFI firmware, TCG) to a login prompt on
 * the serial console.
 */
class QemuArmhfBootIT {
  @Test
  void bootsToALoginPrompt() throws Exception {
    Path image = BoardBuilds.get("qemu-armhf", "bookworm", "openssh-server").image();
    BootResult result = BootChecks.boot(image, "qemu-armhf", null);
    assertTrue(result.reachedLogin(), result.summary(60));
  }
}
