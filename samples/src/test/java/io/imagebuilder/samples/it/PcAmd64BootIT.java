package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.samples.testing.BoardBuilds;
import io.imagebuilder.samples.testing.BootChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pc-amd64 image of bookworm with openssh-server, built by the library end to end (bootstrap,
 * packages, kernel and GRUB, disk assembly), boots in qemu to a login prompt on the serial console,
 * with UEFI (OVMF) and with BIOS. Built once for both boots.
 */
class PcAmd64BootIT {
  private static Path image;

  @BeforeAll
  static void buildTheImageOnce() throws Exception {
    image = BoardBuilds.get("pc-amd64", "bookworm", "openssh-server").image();
  }

  @Test
  void bootsWithUefiToALoginPrompt() throws Exception {
    BootResult result = BootChecks.boot(image, "pc-amd64", "uefi");
    assertTrue(result.reachedLogin(), result.summary(30));
    assertEquals(BootResult.ExitReason.LOGIN_PROMPT, result.exitReason());
  }

  @Test
  void bootsWithBiosToALoginPrompt() throws Exception {
    BootResult result = BootChecks.boot(image, "pc-amd64", "bios");
    assertTrue(result.reachedLogin(), result.summary(30));
  }
}
