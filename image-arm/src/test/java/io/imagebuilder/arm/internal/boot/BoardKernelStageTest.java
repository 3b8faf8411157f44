package io.imagebuilder.arm.internal.boot;

import static io.imagebuilder.arm.internal.boot.BoardStageTests.context;
import static io.imagebuilder.arm.internal.boot.BoardStageTests.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.arm.internal.exec.ElfExitBinary;
import io.imagebuilder.internal.testing.TestStageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardKernelStageTest {
  @TempDir Path root;
  @TempDir Path work;

  /** The stage as the provider builds it for the context's spec. */
  private static BoardKernelStage stage(TestStageContext ctx, Board board) {
    return new BoardKernelStage(BoardKernelStage.Options.of(ctx.spec(), board));
  }

  /** Pretends to be the target: grub-mkimage writes its -o file. */
  private void pretend(Command c) {
    BoardStageTests.pretendGrub(root, c);
  }

  /** Whether {@code c} runs {@code program}; apt's download (with the network) does not count. */
  private static boolean runs(Command c, String program) {
    return c.argv().get(0).equals(program) && !c.argv().contains("--download-only");
  }

  private static Command command(TestStageContext ctx, String program) {
    return ctx.commands().stream()
        .filter(c -> runs(c, program))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + program + " among " + ctx.commands()));
  }

  @Test
  void aGrubBoardGetsItsPackagesInitramfsSettingsAndGrowRootButNothingWithTheDisksIdentity()
      throws Exception {
    Board pc = Boards.find("pc-amd64");
    ImageSpec spec = spec(pc);
    kernelLinks();
    TestStageContext ctx = context(spec, pc, root, work, this::pretend);
    stage(ctx, pc).run(ctx);

    Command apt = command(ctx, "apt-get");
    assertEquals(
        List.of("apt-get", "install", "--yes", "--no-install-recommends"),
        apt.argv().subList(0, 4));
    // only the download before it may reach the network; the install runs maintainer scripts
    assertFalse(apt.network());
    Command download = ctx.commands().get(ctx.commands().indexOf(apt) - 1);
    assertTrue(
        download.network() && download.argv().contains("--download-only"), download.toString());
    assertTrue(
        apt.argv()
            .containsAll(
                List.of(
                    "linux-image-amd64",
                    "grub-efi-amd64-bin",
                    "grub-pc-bin",
                    "systemd-sysv",
                    "udev",
                    "fdisk")),
        apt.argv().toString());
    assertEquals("noninteractive", apt.environment().get("DEBIAN_FRONTEND"));

    String initramfs =
        Files.readString(root.resolve("etc/initramfs-tools/conf.d/imagebuilder.conf"));
    assertTrue(initramfs.contains("MODULES=most") && initramfs.contains("RESUME=none"), initramfs);
    assertTrue(
        Files.isSymbolicLink(
            root.resolve(
                "etc/systemd/system/multi-user.target.wants/imagebuilder-growroot.service")));
    assertTrue(Files.isExecutable(root.resolve("usr/lib/imagebuilder/growroot")));
    assertTrue(Files.isDirectory(root.resolve("boot/efi")), "the ESP's mount point");
    // fstab and GRUB carry the disk's identifiers (from the spec hash): board.boot's
    assertFalse(Files.exists(root.resolve("etc/fstab")));
    assertFalse(Files.exists(root.resolve("boot/grub/grub.cfg")));
    assertTrue(ctx.commands().stream().noneMatch(c -> c.argv().get(0).equals("grub-mkimage")));
  }

  /** Like {@link #pretend}, and the boot packages' apt run installs systemd's networkd. */
  private void pretendSystemd(Command c) {
    pretend(c);
    if (runs(c, "apt-get")) {
      try {
        Path networkd = root.resolve("usr/lib/systemd/systemd-networkd");
        Files.createDirectories(networkd.getParent());
        Files.writeString(networkd, "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void kernelLinks() throws IOException {
    Files.createDirectories(root.resolve("boot"));
    Files.createSymbolicLink(root.resolve("vmlinuz"), Path.of("boot/vmlinuz-6.1.0-9-amd64"));
    Files.createSymbolicLink(root.resolve("initrd.img"), Path.of("boot/initrd.img-6.1.0-9-amd64"));
  }

  @Test
  void aSystemdImageGetsNetworkdEnabledWithDhcpOnWiredInterfaces() throws Exception {
    Board pc = Boards.find("pc-amd64");
    kernelLinks();
    TestStageContext ctx = context(spec(pc), pc, root, work, this::pretendSystemd);
    stage(ctx, pc).run(ctx);

    String network =
        Files.readString(root.resolve("etc/systemd/network/20-imagebuilder-wired.network"));
    assertTrue(network.contains("[Match]\nType=ether\nName=en* eth*\n"), network);
    assertTrue(network.contains("[Network]\nDHCP=yes\n"), network);
    Command enable = command(ctx, "systemctl");
    assertEquals(List.of("systemctl", "enable", "systemd-networkd.service"), enable.argv());
    assertTrue(
        ctx.commands().indexOf(enable) > ctx.commands().indexOf(command(ctx, "apt-get")),
        "enabled once systemd is installed: " + ctx.commands());
    assertEquals(
        1,
        ctx.commands().stream().filter(c -> runs(c, "apt-get")).count(),
        "no ifupdown installed: " + ctx.commands());
    assertFalse(Files.exists(root.resolve("etc/network/interfaces.d/imagebuilder-wired")));
  }

  @Test
  void anImageWithoutNetworkdGetsIfupdownAndADhcpClient() throws Exception {
    Board pc = Boards.find("pc-amd64");
    kernelLinks();
    TestStageContext ctx = context(spec(pc), pc, root, work, this::pretend);
    stage(ctx, pc).run(ctx);

    List<Command> apt = ctx.commands().stream().filter(c -> runs(c, "apt-get")).toList();
    assertEquals(2, apt.size(), ctx.commands().toString());
    List<String> second = apt.get(1).argv();
    assertEquals(
        List.of("ifupdown", "isc-dhcp-client"), second.subList(second.size() - 2, second.size()));
    String stanza = Files.readString(root.resolve("etc/network/interfaces.d/imagebuilder-wired"));
    assertTrue(
        stanza.contains(
            "allow-hotplug /en*=imagebuilder-wired /eth*=imagebuilder-wired\n"
                + "iface imagebuilder-wired inet dhcp\n"),
        stanza);
    assertTrue(ctx.commands().stream().noneMatch(c -> c.argv().get(0).equals("systemctl")));
    assertFalse(Files.exists(root.resolve("etc/systemd/network/20-imagebuilder-wired.network")));
  }

  @Test
  void theInitramfsSettingsNameTheRootFilesystemSoFsckIsIncluded() {
    for (Board b : Boards.all()) {
      String settings = InitramfsSettings.content(b);
      assertTrue(settings.contains("\nFSTYPE=ext4\n"), b.id() + ": " + settings);
      assertEquals(settings, BoardKernelStage.Options.of(spec(b), b).initramfsSettings());
    }
  }

  /** An initramfs holding one executable of {@code arch}, gzip-compressed. */
  private static byte[] initrd(Architecture arch) {
    try {
      return NewcCpio.gzip(
          NewcCpio.archive(java.util.Map.of("usr/bin/tool", ElfExitBinary.forArchitecture(arch))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Plays apt and dpkg-divert: apt installs a kernel and initramfs-tools (to the diverted name).
   */
  private void pretendKernelInstall(Command c, List<String> toolDuringApt) {
    try {
      List<String> argv = c.argv();
      Path tool = root.resolve(InitramfsOnce.TOOL.substring(1));
      Path diverted = root.resolve(InitramfsOnce.DIVERTED.substring(1));
      if (runs(c, "apt-get")) {
        toolDuringApt.add(Files.readString(tool));
        Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-9-amd64"));
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("boot/vmlinuz-6.1.0-9-amd64"), "kernel");
        Files.writeString(diverted, "#!/bin/sh\n# the real one\n");
        // systemd-sysv came with it: networkd is configured, nothing more installed.
        Files.createDirectories(root.resolve("usr/lib/systemd"));
        Files.writeString(root.resolve("usr/lib/systemd/systemd-networkd"), "");
      } else if (argv.get(0).equals("dpkg-divert") && argv.contains("--remove")) {
        Files.move(diverted, tool);
      } else if (argv.get(0).equals("dpkg-divert") && Files.exists(tool)) {
        Files.move(tool, diverted);
      } else if (argv.get(0).equals("update-initramfs")) {
        Files.write(
            root.resolve("boot/initrd.img-" + argv.get(argv.size() - 1)),
            initrd(Architecture.AMD64));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pretend(c);
  }

  /** board.boot of the same spec, run after this stage (and the packages) in the same tree. */
  private static void boot(TestStageContext ctx, Board board) throws Exception {
    new BoardBootStage(BoardBootStage.Options.of(ctx.spec(), board)).run(ctx);
  }

  @Test
  void theInitramfsIsBuiltOnceAfterAptWithUpdateInitramfsHeldBackMeanwhile() throws Exception {
    Board pc = Boards.find("pc-amd64");
    Files.createDirectories(root.resolve("usr/sbin"));
    List<String> toolDuringApt = new ArrayList<>();
    TestStageContext ctx =
        context(spec(pc), pc, root, work, c -> pretendKernelInstall(c, toolDuringApt));
    stage(ctx, pc).run(ctx);

    List<String> programs = ctx.commands().stream().map(c -> String.join(" ", c.argv())).toList();
    int apt = ctx.commands().indexOf(command(ctx, "apt-get"));
    assertEquals(
        "dpkg-divert --local --rename --divert /usr/sbin/update-initramfs.imagebuilder --add /usr/sbin/update-initramfs",
        programs.get(apt - 2));
    assertTrue(programs.get(apt - 1).contains("--download-only"), programs.get(apt - 1));
    assertEquals(List.of(InitramfsOnce.STUB), toolDuringApt, "apt ran with the stub in place");
    assertEquals("systemctl enable systemd-networkd.service", programs.get(apt + 1));
    assertEquals(
        "dpkg-divert --local --rename --remove /usr/sbin/update-initramfs", programs.get(apt + 2));
    assertEquals("update-initramfs -c -k 6.1.0-9-amd64", programs.get(apt + 3));
    assertTrue(
        ctx.commands().get(apt + 3).nativeHelpers(), "mkinitramfs may run with native helpers");
    assertEquals(
        "dpkg-divert --local --rename --divert /usr/sbin/update-initramfs.imagebuilder --add /usr/sbin/update-initramfs",
        programs.get(apt + 4),
        "held back again for the packages after the stage");
    assertEquals(InitramfsOnce.STUB, Files.readString(root.resolve("usr/sbin/update-initramfs")));
    assertTrue(
        Files.readString(root.resolve(InitramfsOnce.DIVERTED.substring(1)))
            .contains("the real one"));

    boot(ctx, pc);
    List<String> all = ctx.commands().stream().map(c -> String.join(" ", c.argv())).toList();
    assertEquals(
        1, all.stream().filter(p -> p.startsWith("update-initramfs")).count(), all.toString());
    assertTrue(
        Files.readString(root.resolve("usr/sbin/update-initramfs")).contains("the real one"),
        "board.boot put the real one back");
  }

  @Test
  void aPackageThatAsksForANewInitramfsBetweenTheStagesGetsItInBoardBoot() throws Exception {
    Board pc = Boards.find("pc-amd64");
    Files.createDirectories(root.resolve("usr/sbin"));
    TestStageContext ctx =
        context(spec(pc), pc, root, work, c -> pretendKernelInstall(c, new ArrayList<>()));
    stage(ctx, pc).run(ctx);
    assertEquals(List.of("update-initramfs -c -k 6.1.0-9-amd64"), initramfsCommands(ctx));
    // rootfs.packages: a package's postinst calls the stub, which notes it in the tree
    Path requests = root.resolve(InitramfsOnce.REQUESTS.substring(1));
    Files.createDirectories(requests.getParent());
    Files.writeString(requests, "-u\n");

    boot(ctx, pc);
    assertEquals(
        List.of("update-initramfs -c -k 6.1.0-9-amd64", "update-initramfs -u -k 6.1.0-9-amd64"),
        initramfsCommands(ctx));
    assertTrue(Files.notExists(root.resolve(InitramfsOnce.REQUESTS.substring(1))));
  }

  /**
   * A kernel with its initramfs already in the tree (a base image, another bootstrap tool); plays
   * dpkg-divert and apt, whose packages ask for a new initramfs when {@code packageAsks}.
   */
  private TestStageContext preinstalledKernel(Board board, boolean packageAsks) throws IOException {
    return preinstalledKernel(board, packageAsks, false);
  }

  /**
   * As above; with {@code helperLeak} an initramfs made with native helpers holds a foreign binary.
   */
  private TestStageContext preinstalledKernel(Board board, boolean packageAsks, boolean helperLeak)
      throws IOException {
    Path tool = root.resolve(InitramfsOnce.TOOL.substring(1));
    Path diverted = root.resolve(InitramfsOnce.DIVERTED.substring(1));
    Files.createDirectories(tool.getParent());
    Files.writeString(tool, "#!/bin/sh\n# the real one\n");
    Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-9-amd64"));
    Files.createDirectories(root.resolve("boot"));
    Files.writeString(root.resolve("boot/vmlinuz-6.1.0-9-amd64"), "kernel");
    Files.write(root.resolve("boot/initrd.img-6.1.0-9-amd64"), initrd(Architecture.AMD64));
    return context(
        spec(board),
        board,
        root,
        work,
        c -> {
          try {
            List<String> argv = c.argv();
            if (argv.get(0).equals("dpkg-divert")) {
              Files.move(
                  argv.contains("--remove") ? diverted : tool,
                  argv.contains("--remove") ? tool : diverted);
            } else if (argv.get(0).equals("update-initramfs")) {
              Files.write(
                  root.resolve("boot/initrd.img-6.1.0-9-amd64"),
                  initrd(
                      helperLeak && c.nativeHelpers() ? Architecture.ARM64 : Architecture.AMD64));
            } else if (runs(c, "apt-get") && packageAsks) {
              // what the stub does when a package's trigger calls it
              Path requests = root.resolve(InitramfsOnce.REQUESTS.substring(1));
              Files.createDirectories(requests.getParent());
              Files.writeString(requests, "-u\n");
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          pretend(c);
        });
  }

  private static List<String> initramfsCommands(TestStageContext ctx) {
    return ctx.commands().stream()
        .map(c -> String.join(" ", c.argv()))
        .filter(p -> p.startsWith("update-initramfs"))
        .toList();
  }

  @Test
  void aCurrentInitramfsIsKeptWhenNothingAskedForANewOne() throws Exception {
    Board pc = Boards.find("pc-amd64");
    TargetFiles.write(root, InitramfsSettings.PATH, InitramfsSettings.content(pc), "rw-r--r--");
    TestStageContext ctx = preinstalledKernel(pc, false);
    stage(ctx, pc).run(ctx);
    assertEquals(List.of(), initramfsCommands(ctx));
    assertTrue(
        ctx.messages().stream().anyMatch(m -> m.startsWith("initramfs of 6.1.0-9-amd64 kept")),
        ctx.messages().toString());
    assertTrue(
        Files.readString(root.resolve(InitramfsOnce.DIVERTED.substring(1)))
            .contains("the real one"),
        "the real one is held back for board.boot");
  }

  @Test
  void anInitramfsIsUpdatedWhenAPackageAskedWhileTheStubWasInPlace() throws Exception {
    Board pc = Boards.find("pc-amd64");
    TargetFiles.write(root, InitramfsSettings.PATH, InitramfsSettings.content(pc), "rw-r--r--");
    TestStageContext ctx = preinstalledKernel(pc, true);
    stage(ctx, pc).run(ctx);
    assertEquals(List.of("update-initramfs -u -k 6.1.0-9-amd64"), initramfsCommands(ctx));
    assertTrue(
        Files.notExists(root.resolve(InitramfsOnce.REQUESTS.substring(1))),
        "the request note is gone");
  }

  @Test
  void anInitramfsWithAForeignBinaryFromTheHelpersIsMadeAgainFullyEmulated() throws Exception {
    Board pc = Boards.find("pc-amd64");
    TestStageContext ctx = preinstalledKernel(pc, true, true);
    stage(ctx, pc).run(ctx);
    List<Command> updates =
        ctx.commands().stream().filter(c -> c.argv().get(0).equals("update-initramfs")).toList();
    assertEquals(2, updates.size(), updates.toString());
    assertTrue(updates.get(0).nativeHelpers());
    assertFalse(updates.get(1).nativeHelpers());
    assertTrue(
        ctx.messages().stream()
            .anyMatch(
                m ->
                    m.contains(
                        "made again fully emulated: it held executables for another machine: [usr/bin/tool]")),
        ctx.messages().toString());
  }

  @Test
  void anInitramfsIsUpdatedWhenTheStageChangedItsSettings() throws Exception {
    Board pc = Boards.find("pc-amd64");
    TestStageContext ctx = preinstalledKernel(pc, false);
    stage(ctx, pc).run(ctx);
    assertEquals(List.of("update-initramfs -u -k 6.1.0-9-amd64"), initramfsCommands(ctx));
  }

  @Test
  void aSpecOfAnotherArchitectureIsRefusedBeforeAnyWork() {
    Board pi = Boards.find("raspberrypi-4");
    ImageSpec amd =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).board(pi.id()).build();
    TestStageContext ctx = context(amd, pi, root, work, c -> {});
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> stage(ctx, pi).verify(ctx));
    assertTrue(
        e.getMessage()
            .contains("board raspberrypi-4 is arm64 but the spec's architecture is amd64"),
        e.getMessage());
  }

  @Test
  void kernelFilesAreFoundByVersion() throws Exception {
    Files.createDirectories(root.resolve("boot"));
    Files.writeString(root.resolve("boot/vmlinuz-6.1.0-9-arm64"), "");
    Files.writeString(root.resolve("boot/vmlinuz-6.1.0-10-arm64"), "");
    assertEquals("/boot/vmlinuz-6.1.0-10-arm64", BoardKernelStage.bootPath(root, "vmlinuz"));
  }
}
