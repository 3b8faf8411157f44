package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardBuilds;
import io.imagebuilder.samples.testing.BootChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A qemu-arm64 image of bookworm with openssh-server, built by the library end to end under
 * qemu-user, boots on qemu's virt machine (AAVMF, TCG) to a login prompt on the serial console.
 */
class QemuArm64BootIT {
  @Test
  void bootsToALoginPrompt() throws Exception {
    Path image = BoardBuilds.get("qemu-arm64", "bookworm", "openssh-server").image();
    BootResult result = BootChecks.boot(image, "qemu-arm64", null);
    assertTrue(result.reachedLogin(), result.summary(60));
  }
}
