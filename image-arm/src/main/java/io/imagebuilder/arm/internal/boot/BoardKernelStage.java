package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.arm.internal.board.BoardSnapshot;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.deb822.Stanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code board.kernel}: the part of making the rootfs bootable that does not depend on the spec's
 * package list, so it runs before {@code rootfs.packages} and a build that only adds a package
 * reuses it from the stage cache. It writes the initramfs settings ({@link InitramfsSettings}), the
 * mount points of the board's partitions and, when asked, the grow-root unit ({@link GrowRoot});
 * installs the kernel, firmware and boot packages with apt (from the lists {@code rootfs.lists}
 * wrote); configures the network as the board says ({@link BoardNetwork}: systemd-networkd or
 * ifupdown, DHCP on wired interfaces); and builds each initramfs once ({@link InitramfsOnce}). It
 * leaves {@code update-initramfs} held back, so the packages installed after it only note that they
 * want a new initramfs; {@code board.boot} ({@link BoardBootStage}) puts it back and makes the
 * initramfs again only then. Everything that carries the disk's identifiers (fstab, GRUB, the
 * board's files) is {@code board.boot}'s.
 *
 * <p>A locked build ({@code locked}) installs every locked package, the kernel's too, in {@code
 * rootfs.packages}, so there this stage runs after it (as {@code board.boot} does) and installs
 * only what is not installed yet, which moves no locked package to another version.
 *
 * <p>Options ({@link Options}): the board's whole definition, {@code growRoot}, the spec's {@code
 * architecture} (checked against the board's), {@code initramfsSettings} (the initramfs-tools
 * configuration) and {@code locked}. Installs go through the {@link PackageInstaller} service
 * (image-rootfs's fetches and decompresses the .debs natively under emulation), else a plain {@code
 * apt-get install}. Host tools: none; all runs in the target.
 */
public final class BoardKernelStage implements Stage {
  /**
   * What the kernel stage reads.
   *
   * @param board the board's definition
   * @param growRoot whether the root filesystem grows at first boot
   * @param architecture the spec's architecture, which must be the board's
   * @param initramfsSettings the initramfs-tools settings written for the board ({@link
   *     InitramfsSettings#content})
   * @param locked true when the spec has a lock (the stage then runs after the packages and
   *     installs only what is missing), null otherwise
   */
  public record Options(
      BoardSnapshot board,
      boolean growRoot,
      Architecture architecture,
      String initramfsSettings,
      Boolean locked) {
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
          InitramfsSettings.content(board),
          spec.lock() != null ? Boolean.TRUE : null);
    }

    private boolean isLocked() {
      return Boolean.TRUE.equals(locked);
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

  /** Before the spec's packages; after them in a locked build, which installs the kernel there. */
  @Override
  public Phase phase() {
    return options.isLocked() ? Phase.BOARD : Phase.PACKAGES;
  }

  @Override
  public int orderInPhase() {
    return -1; // before rootfs.packages (and before board.boot)
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
    // Whether this stage changed what mkinitramfs reads (beyond the packages, whose hooks ask
    // for a new initramfs themselves).
    boolean initramfsInputsChanged;
    try {
      initramfsInputsChanged =
          TargetFiles.write(root, InitramfsSettings.PATH, options.initramfsSettings(), "rw-r--r--");
      String hook = InitramfsSettings.hook(board);
      if (hook != null) {
        initramfsInputsChanged |=
            TargetFiles.write(root, InitramfsSettings.HOOK, hook, "rwxr-xr-x");
      }
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
    List<String> todo = options.isLocked() ? notInstalled(root, installs) : installs;
    if (todo.isEmpty()) {
      context.log("locked build: every board package is installed (from the lock)");
    } else {
      installer.install(context, aptOptions, todo);
    }
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
        more -> {
          List<String> missing = options.isLocked() ? notInstalled(root, more) : more;
          if (!missing.isEmpty()) {
            installer.install(context, aptOptions, missing);
          }
        });
    context.checkCancelled();
    InitramfsOnce.generate(context, initramfsInputsChanged, options.architecture());
    context.checkCancelled();
    // Held again: what the packages after this stage ask for, board.boot does once.
    InitramfsOnce.hold(context);
  }

  /** Those of {@code packages} dpkg does not have installed. */
  private static List<String> notInstalled(Path root, List<String> packages)
      throws ImageBuildException {
    Set<String> installed = new HashSet<>();
    Path status = root.resolve("var/lib/dpkg/status");
    try {
      if (Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
        for (Stanza s : Deb822.parse(Files.readString(status, StandardCharsets.UTF_8))) {
          if (s.has("Package") && DpkgState.of(s).installed()) {
            installed.add(s.get("Package"));
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the installed packages from " + status + ": " + e.getMessage(), e);
    }
    return packages.stream().filter(p -> !installed.contains(p)).toList();
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
}
