package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.FileTemplate;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.arm.internal.board.BoardSnapshot;
import io.imagebuilder.arm.internal.disk.DiskIdentity;
import io.imagebuilder.arm.internal.disk.DiskImageWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code board.boot}: the cheap end of making the rootfs bootable, after the spec's packages: what
 * carries the disk's identifiers, which come from the spec hash and so change with every package.
 * It writes the board's files (e.g. {@code /etc/default/raspi-firmware}, whose ROOTPART makes
 * raspi-firmware's hook write a matching cmdline.txt) and {@code /etc/fstab} by UUID; puts {@code
 * update-initramfs} back, which {@code board.kernel} ({@link BoardKernelStage}) held back, and
 * makes an initramfs again only when a package installed since asked for one or a board file
 * changed the initramfs settings ({@link InitramfsOnce}); sets up the bootloader: GRUB images made
 * with grub-mkimage and our own grub.cfg (no grub-install, no mounts), or for raspi-firmware its
 * kernel hook re-run so /boot/firmware follows the settings. Last it checks that the boot partition
 * holds the board's boot files.
 *
 * <p>Options ({@link Options}): the board's whole definition, the spec's {@code architecture} (the
 * initramfs check looks for executables of it), {@code identitySeed} (the spec hash, which the
 * filesystem and partition identifiers come from, {@link DiskIdentity}, the same ones disk.assemble
 * gives the filesystems) and {@code distribution} (named in GRUB's menu). Host tools: none; all
 * runs in the target.
 */
public final class BoardBootStage implements Stage {
  /**
   * What the boot stage reads.
   *
   * @param board the board's definition
   * @param architecture the spec's architecture
   * @param identitySeed what the filesystem and partition identifiers derive from (the spec hash)
   * @param distribution the distribution, named in GRUB's menu
   */
  public record Options(
      BoardSnapshot board,
      Architecture architecture,
      String identitySeed,
      Distribution distribution) {
    /**
     * The options for {@code spec} on {@code board}.
     *
     * @param spec the spec
     * @param board its board
     * @return the options
     */
    public static Options of(ImageSpec spec, Board board) {
      return new Options(
          BoardSnapshot.of(board), spec.architecture(), spec.specHash(), spec.distribution());
    }
  }

  private final Options options;
  private final BoardSnapshot board;

  /**
   * The stage for {@code options}.
   *
   * @param options what it reads
   */
  public BoardBootStage(Options options) {
    this.options = options;
    this.board = options.board();
  }

  @Override
  public String type() {
    return "board.boot";
  }

  @Override
  public String summary() {
    return "write fstab and the " + board.bootloader() + " boot files for board " + board.id();
  }

  @Override
  public Phase phase() {
    return Phase.BOARD;
  }

  @Override
  public int orderInPhase() {
    return 1; // after board.kernel, when a locked build runs it in this phase
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    BootIdentity id = BootIdentity.of(board, new DiskIdentity(options.identitySeed()));
    boolean initramfsInputsChanged = false;
    try {
      Map<String, String> values = id.placeholders(board);
      for (FileTemplate f : board.files()) {
        boolean changed =
            TargetFiles.write(
                root,
                f.path(),
                BootIdentity.fill(f.template(), values, "board file " + f.path()),
                "rw-r--r--");
        initramfsInputsChanged |= changed && f.path().startsWith("/etc/initramfs-tools/");
      }
      TargetFiles.write(root, "/etc/fstab", fstab(board, id), "rw-r--r--");
    } catch (IOException e) {
      throw new ImageBuildException("cannot write the boot configuration: " + e.getMessage(), e);
    }
    InitramfsOnce.generate(context, initramfsInputsChanged, options.architecture());
    context.checkCancelled();
    if (!board.grubTargets().isEmpty()) {
      installGrub(context, id);
    }
    if (board.bootloader().equals("raspi-firmware")) {
      // The hook ran when the kernel was installed, before the board's settings were written; run
      // it again so /boot/firmware follows them (and the initramfs, if it was made again).
      context.run(
          new Command(
              List.of("/etc/kernel/postinst.d/z50-raspi-firmware"),
              Map.of("DEB_MAINT_PARAMS", "configure"),
              null,
              null));
    }
    checkBootFiles(root, id);
  }

  private void installGrub(StageContext context, BootIdentity id)
      throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    try {
      String kernel = BoardKernelStage.bootPath(root, "vmlinuz");
      String initrd = BoardKernelStage.bootPath(root, "initrd.img");
      String name = options.distribution().id().equals("ubuntu") ? "Ubuntu" : "Debian GNU/Linux";
      TargetFiles.write(root, GrubFiles.EARLY_CFG, GrubFiles.earlyConfig(id), "rw-r--r--");
      TargetFiles.write(
          root,
          GrubFiles.GRUB_CFG,
          GrubFiles.grubConfig(board, id, kernel, initrd, name),
          "rw-r--r--");
      for (String target : board.grubTargets()) {
        String output;
        if (GrubFiles.isEfi(target)) {
          String esp =
              id.bootPartition()
                  .map(Partition::mountPoint)
                  .orElseThrow(
                      () ->
                          new ImageBuildException(
                              "board "
                                  + board.id()
                                  + " boots GRUB "
                                  + target
                                  + " but has no FAT boot partition"));
          TargetFiles.mkdirs(root, esp + "/EFI/BOOT");
          output = esp + "/EFI/BOOT/" + GrubFiles.efiFileName(target);
        } else {
          TargetFiles.mkdirs(root, "/boot/grub/" + target);
          output = DiskImageWriter.GRUB_CORE_IMG;
        }
        context.run(Command.of(GrubFiles.mkimageArgv(target, output, board)));
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot install GRUB: " + e.getMessage(), e);
    }
  }

  static String fstab(Board board, BootIdentity id) {
    StringBuilder sb =
        new StringBuilder(
            "# Written by ImageBuilder for board "
                + board.id()
                + ": filesystems by UUID.\n# <file system> <mount point> <type> <options> <dump> <pass>\n");
    sb.append("UUID=").append(id.rootUuid()).append(" / ext4 rw,errors=remount-ro 0 1\n");
    id.bootPartition()
        .ifPresent(
            p ->
                sb.append("UUID=")
                    .append(id.bootUuid())
                    .append(' ')
                    .append(p.mountPoint())
                    .append(" vfat ")
                    .append(p.role().equals(Partition.ROLE_ESP) ? "umask=0077" : "defaults")
                    .append(" 0 2\n"));
    return sb.toString();
  }

  private void checkBootFiles(Path root, BootIdentity id) throws ImageBuildException {
    if (board.bootFiles().isEmpty()) {
      return;
    }
    String mount = id.bootPartition().map(Partition::mountPoint).orElse("/boot");
    List<String> missing = new ArrayList<>();
    for (String f : board.bootFiles()) {
      try {
        if (!TargetFiles.exists(root, mount + "/" + f)) {
          missing.add(f);
        }
      } catch (IOException e) {
        missing.add(f + " (" + e.getMessage() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new ImageBuildException(
          "board "
              + board.id()
              + ": "
              + mount
              + " lacks "
              + String.join(", ", missing)
              + " after the kernel and firmware were installed (expected the packages "
              + board.firmwarePackages()
              + " to provide them)");
    }
  }
}
