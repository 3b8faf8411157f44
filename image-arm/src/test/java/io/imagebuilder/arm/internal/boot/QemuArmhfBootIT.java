package io.imagebuilder.arm.internal.boot;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.OutputFormat;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A qemu-armhf bookworm image with openssh-server boots with AAVMF32 (TCG) to a login prompt. */
// Their fixtures are made with mmdebstrap under qemu-user (20 min per architecture here): they run
// on request until they build on the library's own bootstrap, which fits the CI time budget.
@EnabledIfSystemProperty(named = "imagebuilder.disk.it", matches = "true",
    disabledReason = "disk image ITs run with -Dimagebuilder.disk.it=true (mmdebstrap fixtures)")
class QemuArmhfBootIT {
  @Test
  void bootsWithAavmf32ToALoginPrompt() throws Exception {
    BoardImages.Built built = BoardImages.build("qemu-armhf", List.of(OutputFormat.RAW), BoardImages.newWorkRoot("qemu-armhf"));
    try {
      System.out.printf("qemu-armhf: board.kernel %.1f s, disk.assemble %.1f s, image %d bytes%n",
          built.kernelSeconds(), built.assembleSeconds(), Files.size(built.image()));
      BootResult r = BootCheck.of(built.image(), Boards.find("qemu-armhf")).timeout(Duration.ofMinutes(10)).run();
      System.out.print("qemu-armhf: " + r.summary(0));
      assertTrue(r.reachedLogin(), r.summary(60));
    } finally {
      MmdebstrapFixture.delete(built.workRoot());
    }
  }
}
