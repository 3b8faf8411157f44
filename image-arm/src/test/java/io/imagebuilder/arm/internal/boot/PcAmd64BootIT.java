package io.imagebuilder.arm.internal.boot;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.arm.internal.disk.Artifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pc-amd64 bookworm image with openssh-server boots to a login prompt on the serial console,
 * with UEFI (OVMF) and with BIOS (SeaBIOS), and the same spec built twice is byte-identical.
 */
// Their fixtures are made with mmdebstrap under qemu-user (20 min per architecture here): they run
// on request until they build on the library's own bootstrap, which fits the CI time budget.
@EnabledIfSystemProperty(named = "imagebuilder.disk.it", matches = "true",
    disabledReason = "disk image ITs run with -Dimagebuilder.disk.it=true (mmdebstrap fixtures)")
class PcAmd64BootIT {
  private static BoardImages.Built first;

  @BeforeAll
  static void build() throws Exception {
    first = BoardImages.build("pc-amd64", List.of(OutputFormat.RAW, OutputFormat.QCOW2, OutputFormat.RAW_ZST),
        BoardImages.newWorkRoot("pc-amd64"));
    System.out.printf("pc-amd64: board.kernel %.1f s, disk.assemble %.1f s, image %d bytes%n",
        first.kernelSeconds(), first.assembleSeconds(), Files.size(first.image()));
    for (Artifact a : first.context().artifacts()) {
      System.out.printf("  artifact %s %s %d bytes sha256 %s%n", a.file().getFileName(), a.format(), a.size(), a.sha256());
    }
  }

  @AfterAll
  static void clean() throws Exception {
    if (first != null) {
      MmdebstrapFixture.delete(first.workRoot());
    }
  }

  @Test
  void bootsWithUefiToALoginPrompt() throws Exception {
    BootResult r = boot("uefi");
    assertTrue(r.reachedLogin(), r.summary(40));
  }

  @Test
  void bootsWithBiosToALoginPrompt() throws Exception {
    BootResult r = boot("bios");
    assertTrue(r.reachedLogin(), r.summary(40));
  }

  @Test
  void theQcow2AndTheZstdHoldTheSameDisk() throws Exception {
    Path qcow2 = first.image().resolveSibling(first.image().getFileName().toString().replace(".img", ".qcow2"));
    String same = MmdebstrapFixture.run(List.of("qemu-img", "compare", "-f", "raw", "-F", "qcow2",
        first.image().toString(), qcow2.toString()));
    assertTrue(same.contains("Images are identical"), same);
    Path zst = first.image().resolveSibling(first.image().getFileName() + ".zst");
    String sum = MmdebstrapFixture.run(List.of("sh", "-c", "zstd -dc \"$1\" | sha256sum", "sh", zst.toString()));
    assertEquals(Artifacts.sha256(first.image()), sum.substring(0, 64));
  }

  @Test
  void theSameSpecBuiltTwiceGivesTheSameBytes() throws Exception {
    BoardImages.Built second = BoardImages.build("pc-amd64",
        List.of(OutputFormat.RAW, OutputFormat.QCOW2, OutputFormat.RAW_ZST), BoardImages.newWorkRoot("pc-amd64-again"));
    try {
      assertEquals(Artifacts.sha256(first.image()), Artifacts.sha256(second.image()));
      assertEquals(first.context().artifacts().stream().map(Artifact::sha256).toList(),
          second.context().artifacts().stream().map(Artifact::sha256).toList());
    } finally {
      MmdebstrapFixture.delete(second.workRoot());
    }
  }

  private static BootResult boot(String firmware) throws Exception {
    Board board = Boards.find("pc-amd64");
    // TCG: KVM on this CI host is nested (a VM in a VM) and stalls guests; see the report.
    BootCheck.Accelerator accel = System.getenv("IMAGEBUILDER_TEST_KVM") != null
        ? BootCheck.Accelerator.AUTO : BootCheck.Accelerator.TCG;
    BootResult r = BootCheck.of(first.image(), board).firmware(firmware).accelerator(accel)
        .timeout(Duration.ofMinutes(10)).run();
    Files.writeString(first.workRoot().resolve("console-" + firmware + ".log"), r.consoleText());
    System.out.printf("pc-amd64 %s: %s", firmware, r.summary(0));
    return r;
  }
}
