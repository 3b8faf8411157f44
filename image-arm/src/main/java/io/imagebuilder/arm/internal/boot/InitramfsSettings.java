package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import java.util.List;

/**
 * initramfs-tools settings written before the kernel is installed, so its one initramfs generation
 * is right for the board and as quick as it can be under emulation.
 *
 * <ul>
 *   <li>{@code MODULES=list} with the board's modules, added by a hook, when the board names them:
 *       under qemu-user every file mkinitramfs copies costs several emulated processes, and {@code
 *       most} copies a thousand modules (measured: over 25 minutes for arm64 on a busy 2-core host,
 *       against about a minute with a list). Otherwise {@code MODULES=most}; never {@code dep},
 *       which would look at the build host's hardware, not the board's.
 *   <li>{@code RESUME=none}: otherwise the resume hook records the build host's swap device.
 *   <li>{@code COMPRESS=zstd} at level 3: the compressor runs emulated too.
 *   <li>{@code FSTYPE} the root partition's filesystem: otherwise the fsck hook looks for the root
 *       device by its UUID on the build host, where it does not exist yet ("Couldn't identify type
 *       of root file system for fsck hook"), and leaves fsck out, so the boot skips the root
 *       filesystem's check ("fsck not present").
 * </ul>
 *
 * <p>The module list goes in a hook rather than {@code /etc/initramfs-tools/modules}, a conffile of
 * initramfs-tools that dpkg would ask about.
 *
 * <p>Public for the board benchmark (samples), whose mmdebstrap peer writes the same settings.
 */
public final class InitramfsSettings {
  public static final String PATH = "/etc/initramfs-tools/conf.d/imagebuilder.conf";
  public static final String HOOK = "/etc/initramfs-tools/hooks/imagebuilder-modules";

  private InitramfsSettings() {}

  public static String content(Board board) {
    return String.join(
        "\n",
        "# Written by ImageBuilder: right for the board, not the build host, and quick to build.",
        "MODULES=" + (board.initramfsModules().isEmpty() ? "most" : "list"),
        "RESUME=none",
        "COMPRESS=zstd",
        "COMPRESSLEVEL=3",
        "FSTYPE=" + rootFilesystem(board),
        "");
  }

  private static String rootFilesystem(Board board) {
    return board.partitions().stream()
        .filter(p -> Board.Partition.ROLE_ROOT.equals(p.role()))
        .map(Board.Partition::filesystem)
        .findFirst()
        .orElse("ext4");
  }

  /** The hook that adds the board's modules, or null when the board lists none. */
  public static String hook(Board board) {
    List<String> modules = board.initramfsModules();
    if (modules.isEmpty()) {
      return null;
    }
    return String.join(
        "\n",
        "#!/bin/sh",
        "# Written by ImageBuilder: the modules the board needs to find its root filesystem.",
        "case \"$1\" in prereqs) exit 0 ;; esac",
        ". /usr/share/initramfs-tools/hook-functions",
        "manual_add_modules " + String.join(" ", modules),
        "");
  }
}
