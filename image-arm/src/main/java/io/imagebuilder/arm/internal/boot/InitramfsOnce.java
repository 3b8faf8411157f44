package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.arm.internal.exec.ElfExitBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates each kernel's initramfs once. When initramfs-tools and a kernel are installed in one
 * apt run, the kernel's postinst hook builds the initramfs, and the trigger initramfs-tools
 * activated builds it again when apt processes triggers at the end; under qemu-user each build
 * takes one to two minutes (trixie arm64: 102 s, then 90 s). So while apt runs, {@code
 * update-initramfs} is diverted to a stub that only notes that it was asked; afterwards the real
 * one is put back and runs once per kernel whose initramfs is missing or was asked for, or for
 * every kernel when the stage changed the initramfs settings. A kernel that was already there with
 * a current initramfs (a base image, a tree from another bootstrap tool) is left as it is.
 *
 * <p>The hold spans stages: board.kernel makes the initramfs of the kernel it installed and holds
 * the tool back again, the spec's packages install with the stub in place, and board.boot puts the
 * real tool back and makes the initramfs again only when one of them asked ({@link #REQUESTS}).
 *
 * <p>It runs with native helpers ({@link Command#withNativeHelpers()}): mkinitramfs is a shell
 * script that starts hundreds of processes, each of which costs qemu's start-up when emulated.
 * Should a hook have copied one of the host's tools in ({@link InitramfsElfCheck}), or the
 * initramfs not be readable, it is made again fully emulated.
 */
final class InitramfsOnce {
  static final String TOOL = "/usr/sbin/update-initramfs";
  static final String DIVERTED = TOOL + ".imagebuilder";

  /**
   * In the tree, not on the executor's /run tmpfs: the requests of the packages installed between
   * board.kernel and board.boot reach board.boot, also through the stage cache. {@link #generate}
   * removes it, so no image has it.
   */
  static final String REQUESTS = "/var/lib/imagebuilder-initramfs-requests";

  static final String STUB =
      "#!/bin/sh\n"
          + "# Written by ImageBuilder while packages install: the initramfs is built once, afterwards.\n"
          + "echo \"$*\" >> "
          + REQUESTS
          + " 2>/dev/null || true\n"
          + "exit 0\n";

  private InitramfsOnce() {}

  /** Diverts {@code update-initramfs} (installed or not yet) and puts the stub in its place. */
  static void hold(StageContext context) throws ImageBuildException, InterruptedException {
    context.run(
        Command.of(
            List.of("dpkg-divert", "--local", "--rename", "--divert", DIVERTED, "--add", TOOL)));
    try {
      Files.deleteIfExists(TargetFiles.resolve(context.rootfs(), REQUESTS));
      TargetFiles.write(context.rootfs(), TOOL, STUB, "rwxr-xr-x");
    } catch (IOException e) {
      throw new ImageBuildException("cannot hold back update-initramfs: " + e.getMessage(), e);
    }
  }

  /**
   * Puts the real {@code update-initramfs} back and builds the initramfs of every kernel in {@code
   * /lib/modules} that has an image in {@code /boot} and no initramfs yet; updates the others when
   * a package asked for it while the stub was in place or {@code inputsChanged} (the stage changed
   * the settings). Nothing when no initramfs generator came with the packages.
   */
  static void generate(StageContext context, boolean inputsChanged, Architecture architecture)
      throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    boolean requested;
    try {
      Files.deleteIfExists(TargetFiles.resolve(root, TOOL));
      Path requests = TargetFiles.resolve(root, REQUESTS);
      requested = Files.exists(requests, LinkOption.NOFOLLOW_LINKS);
      Files.deleteIfExists(requests);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot remove the update-initramfs stub: " + e.getMessage(), e);
    }
    context.run(Command.of(List.of("dpkg-divert", "--local", "--rename", "--remove", TOOL)));
    try {
      if (!Files.isRegularFile(TargetFiles.resolve(root, TOOL), LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      for (String version : kernelVersions(root)) {
        boolean exists = TargetFiles.exists(root, "/boot/initrd.img-" + version);
        if (exists && !requested && !inputsChanged) {
          context.log(
              "initramfs of "
                  + version
                  + " kept: no package asked for a new one and its settings are unchanged");
          continue;
        }
        Command update =
            Command.of(List.of("update-initramfs", exists ? "-u" : "-c", "-k", version));
        context.run(update.withNativeHelpers());
        String problem = hostBinariesIn(context, version, architecture);
        if (problem != null) {
          context.log("initramfs of " + version + " made again fully emulated: " + problem);
          context.run(Command.of(List.of("update-initramfs", "-u", "-k", version)));
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot look for the kernels' initramfs: " + e.getMessage(), e);
    }
  }

  /**
   * Why the initramfs just made may hold a binary of the host (the native helpers let a hook copy
   * one), or null when every executable in it is the target's.
   */
  private static String hostBinariesIn(
      StageContext context, String version, Architecture architecture) throws IOException {
    Path initrd = TargetFiles.resolve(context.rootfs(), "/boot/initrd.img-" + version);
    try {
      List<String> foreign =
          InitramfsElfCheck.foreignElfFiles(
              Files.readAllBytes(initrd), ElfExitBinary.machine(architecture));
      return foreign.isEmpty() ? null : "it held executables for another machine: " + foreign;
    } catch (IOException e) {
      return "cannot check its executables (" + e.getMessage() + ")";
    }
  }

  /** Kernel versions with modules (merged /usr) and an image in /boot, oldest first. */
  static List<String> kernelVersions(Path root) throws IOException {
    Path modules = TargetFiles.resolve(root, "/usr/lib/modules");
    if (!Files.isDirectory(modules, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> versions = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(modules)) {
      for (String v : dirs.map(p -> p.getFileName().toString()).toList()) {
        if (TargetFiles.exists(root, "/boot/vmlinuz-" + v)) {
          versions.add(v);
        }
      }
    }
    versions.sort(BoardKernelStage::compareVersions);
    return versions;
  }
}
