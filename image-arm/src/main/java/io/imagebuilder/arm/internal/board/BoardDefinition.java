package io.imagebuilder.arm.internal.board;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A board read from its JSON resource. The fields after {@code serialConsole} are optional in the
 * JSON; a missing one takes the {@link Board} default.
 */
public record BoardDefinition(
    String id,
    Architecture architecture,
    String description,
    List<String> kernelPackages,
    List<String> firmwarePackages,
    String bootloader,
    String partitionTable,
    String kernelCommandLine,
    String serialConsole,
    List<String> bootPackages,
    List<String> initramfsModules,
    List<String> components,
    List<String> grubTargets,
    List<Partition> partitions,
    List<FileTemplate> files,
    List<String> bootFiles,
    String rootFreeSpace,
    Boolean growRoot,
    String networking,
    QemuHints qemuHints)
    implements Board {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern MODULE = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final List<String> GRUB_TARGETS =
      List.of("arm64-efi", "arm-efi", "x86_64-efi", "i386-efi", "i386-pc", "riscv64-efi");
  private static final List<String> NETWORKING_MODES =
      List.of(NETWORKING_AUTO, NETWORKD, IFUPDOWN, NETWORKING_NONE);
  private static final Board DEFAULTS =
      new Board() {
        @Override
        public String id() {
          return "defaults";
        }

        @Override
        public Architecture architecture() {
          return Architecture.AMD64;
        }

        @Override
        public String description() {
          return "";
        }

        @Override
        public List<String> kernelPackages() {
          return List.of();
        }

        @Override
        public List<String> firmwarePackages() {
          return List.of();
        }

        @Override
        public String bootloader() {
          return "";
        }

        @Override
        public String partitionTable() {
          return "gpt";
        }

        @Override
        public String kernelCommandLine() {
          return "";
        }

        @Override
        public String serialConsole() {
          return "";
        }
      };

  public BoardDefinition {
    Checks.matches(id, ID, "board id", "lower-case letters, digits and '-'");
    Checks.notNull(architecture, "architecture of board " + id);
    Checks.notNull(description, "description of board " + id);
    kernelPackages = Checks.distinctCopy(kernelPackages, "kernel packages");
    firmwarePackages = Checks.distinctCopy(firmwarePackages, "firmware packages");
    kernelPackages.forEach(Checks::packageRequest);
    firmwarePackages.forEach(Checks::packageRequest);
    Checks.notNull(bootloader, "bootloader of board " + id);
    if (!List.of("gpt", "mbr").contains(partitionTable)) {
      throw new IllegalArgumentException(
          "invalid partition table '"
              + partitionTable
              + "' of board "
              + id
              + " (expected gpt or mbr)");
    }
    kernelCommandLine = kernelCommandLine == null ? "" : kernelCommandLine;
    Checks.notNull(serialConsole, "serial console of board " + id);
    bootPackages =
        bootPackages == null
            ? DEFAULTS.bootPackages()
            : Checks.distinctCopy(bootPackages, "boot packages");
    bootPackages.forEach(Checks::packageRequest);
    initramfsModules = Checks.distinctCopy(initramfsModules, "initramfs modules");
    for (String m : initramfsModules) {
      Checks.matches(
          m, MODULE, "initramfs module of board " + id, "a kernel module name such as virtio_blk");
    }
    components =
        components == null ? DEFAULTS.components() : Checks.distinctCopy(components, "components");
    grubTargets = Checks.distinctCopy(grubTargets, "GRUB targets");
    for (String t : grubTargets) {
      if (!GRUB_TARGETS.contains(t)) {
        throw new IllegalArgumentException(
            "invalid GRUB target '"
                + t
                + "' of board "
                + id
                + " (expected one of "
                + GRUB_TARGETS
                + ")");
      }
    }
    partitions =
        partitions == null
            ? Partition.defaultsFor(partitionTable)
            : Checks.distinctCopy(partitions, "partitions");
    requireOneRoot(id, partitions);
    files = Checks.distinctCopy(files, "board files");
    bootFiles = Checks.distinctCopy(bootFiles, "boot files");
    rootFreeSpace = rootFreeSpace == null ? DEFAULTS.rootFreeSpace() : rootFreeSpace;
    if (!rootFreeSpace.matches("[0-9]+(KiB|MiB|GiB)")) {
      throw new IllegalArgumentException(
          "invalid root free space '"
              + rootFreeSpace
              + "' of board "
              + id
              + " (expected a size such as 256MiB)");
    }
    growRoot = growRoot == null ? DEFAULTS.growRootFilesystem() : growRoot;
    networking = networking == null ? DEFAULTS.networking() : networking;
    if (!NETWORKING_MODES.contains(networking)) {
      throw new IllegalArgumentException(
          "invalid networking '"
              + networking
              + "' of board "
              + id
              + " (expected one of "
              + NETWORKING_MODES
              + ")");
    }
  }

  private static void requireOneRoot(String id, List<Partition> partitions) {
    long roots = partitions.stream().filter(p -> Partition.ROLE_ROOT.equals(p.role())).count();
    if (roots != 1) {
      throw new IllegalArgumentException(
          "board " + id + " has " + roots + " root partitions (expected exactly one)");
    }
  }

  @Override
  public boolean growRootFilesystem() {
    return growRoot;
  }

  @Override
  public Optional<QemuHints> qemu() {
    return Optional.ofNullable(qemuHints);
  }
}
