package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.arm.internal.board.BoardSnapshot;
import io.imagebuilder.arm.internal.disk.DiskAssembleStage;
import io.imagebuilder.internal.stages.OptionVariants;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value board.kernel, board.boot and disk.assemble read is part of their ids: each is built
 * from its options record, and changing any one component (each of the board's values included)
 * gives another id.
 */
class BoardStageOptionsTest {
  /** A board whose every value is set, so each can be changed. */
  private static final BoardSnapshot BOARD =
      new BoardSnapshot(
          "test-board",
          Architecture.ARM64,
          "a board for tests",
          List.of("linux-image-arm64"),
          List.of("firmware-misc-nonfree"),
          "grub-efi",
          "gpt",
          "console=ttyAMA0",
          "ttyAMA0",
          List.of("systemd-sysv", "udev"),
          List.of("virtio_blk"),
          List.of("main", "non-free-firmware"),
          List.of("arm64-efi"),
          Board.Partition.defaultsFor("gpt"),
          List.of(new Board.FileTemplate("/etc/board.conf", "root={rootUuid}\n")),
          List.of("EFI/BOOT/BOOTAA64.EFI"),
          "256MiB",
          true,
          Board.NETWORKD);

  @Test
  void everyOptionOfTheBoardStagesChangesTheirIds() {
    List<Stage> stages =
        List.of(
            new BoardKernelStage(
                new BoardKernelStage.Options(
                    BOARD, true, Architecture.ARM64, "MODULES=list\n", Boolean.TRUE)),
            new BoardBootStage(
                new BoardBootStage.Options(
                    BOARD, Architecture.ARM64, "a".repeat(64), Distribution.DEBIAN)),
            new DiskAssembleStage(
                new DiskAssembleStage.Options(
                    BOARD,
                    List.of(OutputFormat.RAW, OutputFormat.QCOW2),
                    "debian-bookworm-test-board",
                    "256MiB",
                    "a".repeat(64))));
    for (Stage stage : stages) {
      OptionVariants.Check check = OptionVariants.check(stage);
      assertEquals(
          List.of(), check.outsideTheId(), stage.type() + ": options that do not change its id");
      assertEquals(
          OptionVariants.allComponents(OptionVariants.optionsType(stage)),
          check.varied(),
          stage.type() + ": every option is changed");
    }
  }

  @Test
  void theProviderBuildsTheStagesFromTheirOptionsRecords() {
    for (String id : List.of("raspberrypi-4", "pc-amd64")) {
      Board board = Boards.find(id);
      ImageSpec spec =
          ImageSpec.builder("bookworm")
              .board(id)
              .architecture(board.architecture())
              .outputs(List.of(OutputFormat.RAW))
              .build();
      List<Stage> stages = new BoardStageProvider().stages(spec);
      assertEquals(
          List.of(BoardKernelStage.class, BoardBootStage.class, DiskAssembleStage.class),
          stages.stream().map(Object::getClass).toList());
      assertEquals(
          new BoardKernelStage(BoardKernelStage.Options.of(spec, board)).options(),
          stages.get(0).options());
      assertEquals(
          new BoardBootStage(BoardBootStage.Options.of(spec, board)).options(),
          stages.get(1).options());
      assertEquals(
          BoardSnapshot.of(board),
          BoardSnapshot.of(board),
          "a snapshot is data: equal values, equal snapshots");
    }
  }
}
