package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import java.util.ArrayList;
import java.util.List;

/**
 * GRUB without grub-install, which needs the ESP mounted and a block device to probe: an image per
 * platform made by {@code grub-mkimage} with the modules to find the root filesystem by UUID built
 * in, and an embedded configuration that loads {@code /boot/grub/grub.cfg} from it. That grub.cfg
 * is ours: it boots {@code /vmlinuz} and {@code /initrd.img}, the links Debian's kernel packages
 * keep pointing at the newest kernel, so it stays right across kernel updates.
 */
final class GrubFiles {
  static final String EARLY_CFG = "/boot/grub/imagebuilder-early.cfg";
  static final String GRUB_CFG = "/boot/grub/grub.cfg";

  private static final List<String> COMMON_MODULES =
      List.of(
          "part_gpt",
          "part_msdos",
          "fat",
          "ext2",
          "normal",
          "linux",
          "search",
          "search_fs_uuid",
          "configfile",
          "echo",
          "gzio",
          "test",
          "boot");

  private GrubFiles() {}

  /** The removable-media path UEFI firmware boots without NVRAM entries. */
  static String efiFileName(String target) {
    switch (target) {
      case "arm64-efi":
        return "BOOTAA64.EFI";
      case "arm-efi":
        return "BOOTARM.EFI";
      case "x86_64-efi":
        return "BOOTX64.EFI";
      case "i386-efi":
        return "BOOTIA32.EFI";
      case "riscv64-efi":
        return "BOOTRISCV64.EFI";
      default:
        throw new IllegalArgumentException("not an EFI GRUB target: '" + target + "'");
    }
  }

  static boolean isEfi(String target) {
    return target.endsWith("-efi");
  }

  static boolean serialTerminal(Board board) {
    return board.architecture() == Architecture.AMD64 || board.architecture() == Architecture.I386;
  }

  /** grub-mkimage's argv for {@code target}, writing to {@code output} (a path in the target). */
  static List<String> mkimageArgv(String target, String output, Board board) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "grub-mkimage",
                "-O",
                target,
                "-o",
                output,
                "-c",
                EARLY_CFG,
                "-p",
                "/boot/grub",
                "-d",
                "/usr/lib/grub/" + target));
    argv.addAll(COMMON_MODULES);
    if (target.equals("i386-pc")) {
      argv.add("biosdisk");
    }
    if (target.equals("x86_64-efi") || target.equals("i386-efi")) {
      argv.add("efi_gop");
    }
    if (serialTerminal(board)) {
      argv.add("serial");
      argv.add("terminal");
    }
    return argv;
  }

  static String earlyConfig(BootIdentity id) {
    return "search --no-floppy --fs-uuid --set=root "
        + id.rootUuid()
        + "\n"
        + "set prefix=($root)/boot/grub\n"
        + "configfile ($root)"
        + GRUB_CFG
        + "\n";
  }

  static String grubConfig(
      Board board, BootIdentity id, String kernel, String initrd, String distroName) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Written by ImageBuilder for board ")
        .append(board.id())
        .append(": GRUB finds the root filesystem by UUID and boots the newest kernel.\n");
    sb.append("set timeout=1\nset default=0\n");
    if (serialTerminal(board)) {
      sb.append("serial --unit=0 --speed=115200\n");
      sb.append("terminal_input console serial\nterminal_output console serial\n");
    }
    sb.append("search --no-floppy --fs-uuid --set=root ").append(id.rootUuid()).append('\n');
    sb.append("menuentry '").append(distroName).append("' {\n");
    sb.append("\tlinux ").append(kernel).append(" root=UUID=").append(id.rootUuid()).append(" ro");
    if (!board.kernelCommandLine().isBlank()) {
      sb.append(' ').append(board.kernelCommandLine().strip());
    }
    sb.append('\n');
    sb.append("\tinitrd ").append(initrd).append('\n');
    sb.append("}\n");
    return sb.toString();
  }
}
