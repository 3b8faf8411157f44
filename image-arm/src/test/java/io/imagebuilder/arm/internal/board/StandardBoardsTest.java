package io.imagebuilder.arm.internal.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.Architecture;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardBoardsTest {
  @Test
  void listsTheStandardBoardsThroughTheApi() {
    assertEquals(
        List.of("pc-amd64", "qemu-arm64", "qemu-armhf", "raspberrypi-3", "raspberrypi-4", "raspberrypi-5"),
        Boards.all().stream().map(Board::id).toList());
  }

  @Test
  void describesEachBoard() {
    Board pi4 = Boards.find("raspberrypi-4");
    assertEquals(Architecture.ARM64, pi4.architecture());
    assertEquals("mbr", pi4.partitionTable());
    assertTrue(pi4.firmwarePackages().contains("raspi-firmware"));
    Board armhf = Boards.find("qemu-armhf");
    assertEquals(Architecture.ARMHF, armhf.architecture());
    assertEquals("ttyAMA0", armhf.serialConsole());
  }

  @Test
  void anUnknownBoardListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Boards.find("no-such-board"));
    assertTrue(e.getMessage().startsWith("unknown board 'no-such-board' (expected one of pc-amd64, qemu-arm64"), e.getMessage());
  }

  @Test
  void aBadDefinitionIsRejectedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BoardDefinition(
            "x", Architecture.ARM64, "d", List.of(), List.of(), "grub", "apm", "", "ttyS0"));
    assertTrue(e.getMessage().startsWith("invalid partition table 'apm' of board x"), e.getMessage());
  }
}
