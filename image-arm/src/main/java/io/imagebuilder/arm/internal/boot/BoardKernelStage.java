package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.FileTemplate;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.arm.internal.board.BoardSnapshot;
import io.imagebuilder.arm.internal.disk.DiskIdentity;
import io.imagebuilder.arm.internal.disk.DiskImageWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * {@code board.kernel}: makes the rootfs bootable on its board. Before installing anything it
 * writes the initramfs settings ({@link InitramfsSettings}), the board's files (e.g. {@code
 * /etc/default/raspi-firmware}, whose ROOTPART makes raspi-firmware's hooks write a matching
 * cmdline.txt), {@code /etc/fstab} by UUID and, when asked, the grow-root unit. Then it installs
 * the kernel, firmware and boot packages with apt, builds each initramfs once ({@link
 * InitramfsOnce}), and sets up the bootloader: GRUB images made with grub-mkimage and our own
 * grub.cfg (no grub-install, no mounts), or for raspi-firmware its kernel hook re-run so
 * /boot/firmware matches. It configures the network as the board says ({@link BoardNetwork}:
 * systemd-networkd or ifupdown, DHCP on wired interfaces). Last it checks that the boot partition
 * holds the board's boot files.
 *
 * <p>Options ({@link Options}): the board's whole definition, {@code growRoot}, the spec's {@code
 * architecture} (checked against the board's), {@code identitySeed} (the spec hash, which the
 * filesystem and partition identifiers come from, {@link DiskIdentity}, the same ones disk.assemble
 * gives the filesystems), {@code distribution} (named in GRUB's menu) and {@code initramfsSettings}
 * (the initramfs-tools configuration). Installs go through the {@link PackageInstaller} service
 * (image-rootfs's fetches and decompresses the .debs natively under emulation), else a plain {@code
 * apt-get install}. Host tools: none; all runs in the target.
 */
public final class BoardKernelStage implements Stage {
  /**
   * What the board stage reads.
   *
   * @param board the board's definition
   * @param growRoot whether the root filesystem grows at first boot
   * @param architecture the spec's architecture, which must be the board's
   * @param identitySeed what the filesystem and partition identifiers derive from (the spec hash)
   * @param distribution the distribution, named in GRUB's menu
   * @param initramfsSettings the initramfs-tools settings written for the board ({@link
   *     InitramfsSettings#content})
   */
  public record Options(
      BoardSnapshot board,
      boolean growRoot,
      Architecture architecture,
      String identitySeed,
      Distribution distribution,
      String initramfsSettings) {
    /**
     * The options for {@code spec} on {@code board}: grow-root as the spec's disk options say, else
     * as the board does.
     *
     * @param spec the spec
     * @param board its board
     * @return the options
     */
    public static Options of(ImageSpec spec, Board board) {
      boolean growRoot =
          spec.disk() != null && spec.disk().growRoot() != null
              ? spec.disk().growRoot()
              : board.growRootFilesystem();
      return new Options(
          BoardSnapshot.of(board),
          growRoot,
          spec.architecture(),
          spec.specHash(),
          spec.distribution(),
          InitramfsSettings.content(board));
    }
  }

  private final Options options;
  private final BoardSnapshot board;
  private final boolean growRoot;

  /**
   * The stage for {@code options}.
   *
   * @param options what it reads
   */
  public BoardKernelStage(Options options) {
    this.options = options;
    this.board = options.board();
    this.growRoot = options.growRoot();
  }

  /**
   * Every package the stage installs for the board's defaults, in order: kernel, firmware, boot,
   * grow-root.
   */
  public static List<String> packages(Board board) {
    return packages(board, board.growRootFilesystem());
  }

  /**
   * The packages this stage installs at first: kernel, firmware, boot, grow-root when asked, and
   * ifupdown's when the board asks for it.
   */
  List<String> installs() {
    List<String> all = new ArrayList<>(packages(board, growRoot));
    BoardNetwork.packages(board.networking()).stream()
        .filter(p -> !all.contains(p))
        .forEach(all::add);
    return all;
  }

  private static List<String> packages(Board board, boolean growRoot) {
    List<String> all = new ArrayList<>();
    for (List<String> l :
        List.of(
            board.kernelPackages(),
            board.firmwarePackages(),
            board.bootPackages(),
            growRoot ? GrowRoot.PACKAGES : List.<String>of())) {
      for (String p : l) {
        if (!all.contains(p)) {
          all.add(p);
        }
      }
    }
    return all;
  }

  @Override
  public String type() {
    return "board.kernel";
  }

  @Override
  public String summary() {
    return "install the kernel and " + board.bootloader() + " for board " + board.id();
  }

  @Override
  public Phase phase() {
    return Phase.BOARD;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    if (options.architecture() != board.architecture()) {
      throw new ImageBuildException(
          "board "
              + board.id()
              + " is "
              + board.architecture()
              + " but the spec's architecture is "
              + options.architecture()
              + " (expected the board's architecture)");
    }
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    BootIdentity id = BootIdentity.of(board, new DiskIdentity(options.identitySeed()));
    // Whether this stage changed what mkinitramfs reads (beyond the packages, whose hooks ask
    // for a new initramfs themselves); fstab matters to it only for a separate /usr.
    boolean initramfsInputsChanged;
    try {
      initramfsInputsChanged =
          TargetFiles.write(root, InitramfsSettings.PATH, options.initramfsSettings(), "rw-r--r--");
      String hook = InitramfsSettings.hook(board);
      if (hook != null) {
        initramfsInputsChanged |=
            TargetFiles.write(root, InitramfsSettings.HOOK, hook, "rwxr-xr-x");
      }
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
      for (Partition p : board.partitions()) {
        if (p.mountPoint() != null && !p.mountPoint().equals("/")) {
          TargetFiles.mkdirs(root, p.mountPoint());
        }
      }
      if (growRoot) {
        GrowRoot.install(root);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot write the boot configuration: " + e.getMessage(), e);
    }
    List<String> aptOptions =
        List.of("-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold");
    InitramfsOnce.hold(context);
    // image-rootfs's installer fetches and decompresses the .debs natively under emulation.
    PackageInstaller installer =
        ServiceLoader.load(PackageInstaller.class, BoardKernelStage.class.getClassLoader())
            .findFirst()
            .orElse(BoardKernelStage::aptGetInstall);
    List<String> installs = installs();
    installer.install(context, aptOptions, installs);
    context.checkCancelled();
    String network;
    try {
      network = BoardNetwork.resolve(board.networking(), root);
    } catch (IOException e) {
      throw new ImageBuildException("cannot look for systemd-networkd: " + e.getMessage(), e);
    }
    BoardNetwork.configure(
        context,
        network,
        installs.containsAll(BoardNetwork.IFUPDOWN_PACKAGES),
        more -> installer.install(context, aptOptions, more));
    context.checkCancelled();
    InitramfsOnce.generate(context, initramfsInputsChanged, options.architecture());
    context.checkCancelled();
    if (!board.grubTargets().isEmpty()) {
      installGrub(context, id);
    }
    if (board.bootloader().equals("raspi-firmware")) {
      // The hook ran when the kernel was installed; run it again so /boot/firmware also follows
      // our settings when the kernel was already there (a base image, a cached stage).
      context.run(
          new Command(
              List.of("/etc/kernel/postinst.d/z50-raspi-firmware"),
              Map.of("DEB_MAINT_PARAMS", "configure"),
              null,
              null));
    }
    checkBootFiles(root, id);
  }

  private static void aptGetInstall(
      StageContext context, List<String> options, List<String> packages)
      throws ImageBuildException, InterruptedException {
    // the download with the network, the install (maintainer scripts) without
    for (boolean download : List.of(true, false)) {
      List<String> install =
          new ArrayList<>(List.of("apt-get", "install", "--yes", "--no-install-recommends"));
      if (download) {
        install.add("--download-only");
      }
      install.addAll(options);
      install.addAll(packages);
      Command command =
          new Command(install, Map.of("DEBIAN_FRONTEND", "noninteractive"), null, null);
      context.run(download ? command.withNetwork() : command);
    }
  }

  private void installGrub(StageContext context, BootIdentity id)
      throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    try {
      String kernel = bootPath(root, "vmlinuz");
      String initrd = bootPath(root, "initrd.img");
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

  /** {@code /vmlinuz} (the link Debian keeps current) if there is one, else the newest in /boot. */
  static String bootPath(Path root, String name) throws IOException, ImageBuildException {
    for (String candidate : List.of("/" + name, "/boot/" + name)) {
      if (TargetFiles.exists(root, candidate)) {
        return candidate;
      }
    }
    try (Stream<Path> s = Files.list(root.resolve("boot"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(name + "-"))
          .max(BoardKernelStage::compareVersions)
          .map(n -> "/boot/" + n)
          .orElseThrow(
              () ->
                  new ImageBuildException(
                      "no /boot/"
                          + name
                          + "-* in the rootfs (expected the kernel package to install one)"));
    }
  }

  /** Version-aware enough for kernel file names: numbers compare as numbers. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
    String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c =
          x[i].matches("\\d+") && y[i].matches("\\d+")
              ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]))
              : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
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
