package io.imagebuilder.arm.internal.bootcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.board.BoardDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuBootRunnerTest {
  @TempDir Path dir;

  private static Board withQemu(String binary, String code) {
    return new BoardDefinition(
        "fake",
        Architecture.ARM64,
        "d",
        List.of(),
        List.of(),
        "grub-efi",
        "gpt",
        "",
        "ttyAMA0",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new Board.QemuHints(
            binary, "virt", "cortex-a57", 0, 0, List.of(new Board.Firmware("uefi", code, null))));
  }

  @Test
  void aMissingQemuFailsNamingThePackage() throws Exception {
    Path img = Files.writeString(dir.resolve("a.img"), "");
    MissingHostToolException e =
        assertThrows(
            MissingHostToolException.class,
            () -> BootCheck.of(img, withQemu("qemu-system-nosuch", null)).run());
    assertTrue(
        e.getMessage().contains("'qemu-system-nosuch'")
            && e.getMessage().contains("apt-get install qemu-system"),
        e.getMessage());
  }

  @Test
  void aMissingFirmwareFailsNamingThePackage() throws Exception {
    Path img = Files.writeString(dir.resolve("a.img"), "");
    MissingHostToolException e =
        assertThrows(
            MissingHostToolException.class,
            () ->
                BootCheck.of(
                        img, withQemu("qemu-system-aarch64", "/usr/share/AAVMF/NOSUCH_CODE.fd"))
                    .run());
    assertTrue(e.getMessage().contains("apt-get install qemu-efi-aarch64"), e.getMessage());
  }

  @Test
  void aCompressedImageIsRefused() throws Exception {
    Path img = Files.writeString(dir.resolve("a.img.zst"), "");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BootCheck.of(img, Boards.find("qemu-arm64")).run());
    assertTrue(e.getMessage().contains("decompress it first"), e.getMessage());
  }

  @Test
  void aBoardWithoutQemuHintsCannotBeBooted() throws Exception {
    Path img = Files.writeString(dir.resolve("a.img"), "");
    Exception e =
        assertThrows(Exception.class, () -> BootCheck.of(img, Boards.find("raspberrypi-4")).run());
    assertTrue(
        e.getMessage().contains("board raspberrypi-4 cannot be booted in qemu"), e.getMessage());
  }

  @Test
  void kvmIsNeverUsedForAnotherArchitectureOrWhenTcgIsAsked() throws Exception {
    Architecture other =
        Architecture.host() == Architecture.ARM64 ? Architecture.AMD64 : Architecture.ARM64;
    Board.QemuHints q = withQemu("qemu-system-aarch64", null).qemu().orElseThrow();
    assertFalse(QemuBootRunner.accelerator(BootCheck.Accelerator.AUTO, q, other).kvm());
    assertFalse(
        QemuBootRunner.accelerator(BootCheck.Accelerator.TCG, q, Architecture.host()).kvm());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QemuBootRunner.accelerator(BootCheck.Accelerator.KVM, q, other));
    assertTrue(e.getMessage().contains("KVM was asked for but the board is"), e.getMessage());
  }

  @Test
  void aLargerDiskIsAPerRunOverlayAndSeedsAttachReadOnly() throws Exception {
    Assumptions.assumeTrue(
        io.imagebuilder.internal.process.HostTools.find("qemu-img").isPresent(),
        "qemu-img (qemu-utils) is not installed");
    Path img = Files.write(dir.resolve("a.img"), new byte[1 << 20]);
    Path seed = Files.writeString(dir.resolve("seed.img"), "");
    Board board = withQemu("qemu-system-aarch64", null);
    BootCheck check = BootCheck.of(img, board).readOnlyDrive(seed).diskSize(64L << 20);
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path overlay = QemuBootRunner.overlay(img, 64L << 20, tmp);
    String info =
        new String(
            new ProcessBuilder("qemu-img", "info", "--output=json", overlay.toString())
                .start()
                .getInputStream()
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(info.contains("\"virtual-size\": 67108864"), info);
    assertTrue(info.contains("\"backing-filename\": \"" + img + "\""), info);
    assertEquals(1 << 20, Files.size(img), "the image itself is unchanged");
    List<String> argv =
        QemuBootRunner.commandLine(board.qemu().orElseThrow(), check, overlay, null, false);
    String args = String.join(" ", argv);
    assertTrue(args.contains("format=qcow2,file=" + overlay), args);
    assertFalse(args.contains("snapshot=on"), args);
    assertTrue(args.endsWith("-drive if=virtio,readonly=on,format=raw,file=" + seed), args);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QemuBootRunner.overlay(img, 1000, tmp));
    assertEquals(
        "invalid disk size '1000' (expected at least the image's 1048576 bytes of a.img)",
        e.getMessage());
  }
}
