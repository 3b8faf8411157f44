package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.BootChecks;
import io.imagebuilder.testing.DiskImageFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A qemu-armhf image of bookworm with openssh-server, built by the library end to end under
 * qemu-user, boots on qemu's virt machine (qemu-efi-arm's UEFI firmware, TCG) to a login prompt on
 * the serial console.
 */
class QemuArmhfBootIT {
  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("qemu-armhf", "bookworm", "openssh-server");

  @Test
  void bootsToALoginPrompt() throws Exception {
    BootResult result = BootChecks.boot(IMAGE.diskImage(), "qemu-armhf", null);
    assertTrue(result.reachedLogin(), result.summary(60));
  }
}
