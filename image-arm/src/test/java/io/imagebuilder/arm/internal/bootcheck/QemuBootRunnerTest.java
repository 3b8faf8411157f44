package io.imagebuilder.arm.internal.bootcheck;

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
}
