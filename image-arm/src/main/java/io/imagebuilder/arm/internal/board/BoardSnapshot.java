package io.imagebuilder.arm.internal.board;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import java.util.List;

/**
 * A board's definition as data, for the options of the stages that read it ({@code board.kernel},
 * {@code disk.assemble}): every value a {@link Board} gives, so a stage's id changes with any of
 * them, whatever class defines the board. Its qemu hints are not here: no build stage reads them.
 *
 * @param id the board id
 * @param architecture its architecture
 * @param description one line about it
 * @param kernelPackages its kernel packages
 * @param firmwarePackages its firmware packages
 * @param bootloader its bootloader
 * @param partitionTable gpt or mbr
 * @param kernelCommandLine the kernel command line
 * @param serialConsole the serial console
 * @param bootPackages packages every bootable image of it has
 * @param initramfsModules modules its initramfs must hold
 * @param components archive components its packages need
 * @param grubTargets GRUB platforms it boots
 * @param partitions its disk's partitions
 * @param files files written for it
 * @param bootFiles files its boot partition must hold
 * @param rootFreeSpace free space left in the root filesystem
 * @param growRootFilesystem whether the root filesystem grows at first boot
 * @param networking how the image's network is configured
 */
public record BoardSnapshot(
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
    boolean growRootFilesystem,
    String networking)
    implements Board {
  /** Copies the lists. */
  public BoardSnapshot {
    kernelPackages = List.copyOf(kernelPackages);
    firmwarePackages = List.copyOf(firmwarePackages);
    bootPackages = List.copyOf(bootPackages);
    initramfsModules = List.copyOf(initramfsModules);
    components = List.copyOf(components);
    grubTargets = List.copyOf(grubTargets);
    partitions = List.copyOf(partitions);
    files = List.copyOf(files);
    bootFiles = List.copyOf(bootFiles);
  }

  /**
   * The values {@code board} gives now.
   *
   * @param board any board
   * @return its snapshot
   */
  public static BoardSnapshot of(Board board) {
    if (board instanceof BoardSnapshot snapshot) {
      return snapshot;
    }
    return new BoardSnapshot(
        board.id(),
        board.architecture(),
        board.description(),
        board.kernelPackages(),
        board.firmwarePackages(),
        board.bootloader(),
        board.partitionTable(),
        board.kernelCommandLine(),
        board.serialConsole(),
        board.bootPackages(),
        board.initramfsModules(),
        board.components(),
        board.grubTargets(),
        board.partitions(),
        board.files(),
        board.bootFiles(),
        board.rootFreeSpace(),
        board.growRootFilesystem(),
        board.networking());
  }
}
