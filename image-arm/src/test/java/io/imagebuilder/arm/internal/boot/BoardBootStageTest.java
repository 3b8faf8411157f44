package io.imagebuilder.arm.internal.boot;

import static io.imagebuilder.arm.internal.boot.BoardStageTests.context;
import static io.imagebuilder.arm.internal.boot.BoardStageTests.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.arm.internal.disk.DiskIdentity;
import io.imagebuilder.internal.testing.TestStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardBootStageTest {
  @TempDir Path root;
  @TempDir Path work;

  /** The stage as the provider builds it for the context's spec. */
  private static BoardBootStage stage(TestStageContext ctx, Board board) {
    return new BoardBootStage(BoardBootStage.Options.of(ctx.spec(), board));
  }

  /** Pretends to be the target: grub-mkimage writes its -o file. */
  private void pretend(Command c) {
    BoardStageTests.pretendGrub(root, c);
  }

  private static Command command(TestStageContext ctx, String program) {
    return ctx.commands().stream()
        .filter(c -> c.argv().get(0).equals(program))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + program + " among " + ctx.commands()));
  }

  @Test
  void aGrubBoardGetsFstabGrubImagesAndAConfigThatBootsTheRootByUuid() throws Exception {
    Board pc = Boards.find("pc-amd64");
    ImageSpec spec = spec(pc);
    Files.createDirectories(root.resolve("boot"));
    Files.createSymbolicLink(root.resolve("vmlinuz"), Path.of("boot/vmlinuz-6.1.0-9-amd64"));
    Files.createSymbolicLink(root.resolve("initrd.img"), Path.of("boot/initrd.img-6.1.0-9-amd64"));
    TestStageContext ctx = context(spec, pc, root, work, this::pretend);
    stage(ctx, pc).run(ctx);

    String rootUuid = new DiskIdentity(spec.specHash()).filesystemUuid("root").toString();
    String fstab = Files.readString(root.resolve("etc/fstab"));
    assertTrue(fstab.contains("UUID=" + rootUuid + " / ext4 rw,errors=remount-ro 0 1\n"), fstab);
    assertTrue(
        fstab.matches("(?s).*UUID=[0-9A-F]{4}-[0-9A-F]{4} /boot/efi vfat umask=0077 0 2\n.*"),
        fstab);

    List<String> efi = command(ctx, "grub-mkimage").argv();
    assertEquals(
        List.of("grub-mkimage", "-O", "x86_64-efi", "-o", "/boot/efi/EFI/BOOT/BOOTX64.EFI"),
        efi.subList(0, 5));
    List<String> bios =
        ctx.commands().get(ctx.commands().indexOf(command(ctx, "grub-mkimage")) + 1).argv();
    assertEquals(
        List.of("grub-mkimage", "-O", "i386-pc", "-o", "/boot/grub/i386-pc/core.img"),
        bios.subList(0, 5));
    assertTrue(bios.contains("biosdisk") && bios.contains("serial"), bios.toString());

    String cfg = Files.readString(root.resolve("boot/grub/grub.cfg"));
    assertTrue(
        cfg.contains(
            "\tlinux /vmlinuz root=UUID=" + rootUuid + " ro console=tty0 console=ttyS0,115200\n"),
        cfg);
    assertTrue(cfg.contains("search --no-floppy --fs-uuid --set=root " + rootUuid), cfg);
    assertTrue(cfg.contains("terminal_output console serial"), cfg);
    String early = Files.readString(root.resolve("boot/grub/imagebuilder-early.cfg"));
    assertTrue(early.contains(rootUuid), early);
  }

  @Test
  void aRaspberryPiGetsRaspiFirmwareSettingsWithTheRootPartuuidAndItsHookRerun() throws Exception {
    Board pi = Boards.find("raspberrypi-4");
    ImageSpec spec = spec(pi);
    Files.createDirectories(root.resolve("boot/firmware"));
    for (String f : pi.bootFiles()) {
      Files.writeString(root.resolve("boot/firmware").resolve(f), "x");
    }
    TestStageContext ctx = context(spec, pi, root, work, c -> {});
    stage(ctx, pi).run(ctx);

    DiskIdentity ids = new DiskIdentity(spec.specHash());
    String defaults = Files.readString(root.resolve("etc/default/raspi-firmware"));
    assertTrue(
        defaults.contains(String.format("ROOTPART=\"PARTUUID=%08x-02\"", ids.mbrSignature())),
        defaults);
    assertTrue(defaults.contains("CONSOLES=\"tty0 ttyS1,115200\""), defaults);
    assertTrue(defaults.contains("CMA=0"), defaults);
    Command hook = ctx.commands().get(ctx.commands().size() - 1);
    assertEquals(List.of("/etc/kernel/postinst.d/z50-raspi-firmware"), hook.argv());
    assertEquals("configure", hook.environment().get("DEB_MAINT_PARAMS"));
    String fstab = Files.readString(root.resolve("etc/fstab"));
    assertTrue(fstab.contains(" /boot/firmware vfat defaults 0 2"), fstab);
  }

  @Test
  void missingBootFilesFailTheStageNamingThem() {
    Board pi = Boards.find("raspberrypi-4");
    TestStageContext ctx = context(spec(pi), pi, root, work, c -> {});
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> stage(ctx, pi).run(ctx));
    assertTrue(
        e.getMessage().contains("/boot/firmware lacks start4.elf, fixup4.dat"), e.getMessage());
  }

  @Test
  void placeholdersAreFilledAndAnUnknownOneIsNamed() {
    BootIdentity id = BootIdentity.of(Boards.find("qemu-arm64"), new DiskIdentity("h"));
    assertEquals(
        "root=" + id.rootUuid(),
        BootIdentity.fill("root=${rootUuid}", id.placeholders(Boards.find("qemu-arm64")), "t"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BootIdentity.fill(
                    "${nope}", id.placeholders(Boards.find("qemu-arm64")), "board file /x"));
    assertTrue(
        e.getMessage().startsWith("unknown placeholder '${nope}' in board file /x"),
        e.getMessage());
  }
}
