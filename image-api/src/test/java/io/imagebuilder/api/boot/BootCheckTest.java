package io.imagebuilder.api.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootCheckTest {
  @TempDir Path dir;

  /** A board with only what the interface requires. */
  private static final Board BOARD =
      new Board() {
        @Override
        public String id() {
          return "plain";
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
          return "grub-efi";
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
          return "ttyS0";
        }
      };

  @Test
  void portsForwardedAreKeptAndABadOneIsNamed() throws Exception {
    BootCheck check = BootCheck.of(Files.writeString(dir.resolve("a.img"), ""), BOARD);
    assertEquals(Map.of(), check.tcpForwards());
    assertTrue(check.whileRunning().isEmpty());
    check.forwardTcp(2222, 22).forwardTcp(8080, 80).whileRunning(() -> {});
    assertEquals(Map.of(2222, 22, 8080, 80), check.tcpForwards());
    assertTrue(check.whileRunning().isPresent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> check.forwardTcp(0, 22));
    assertEquals("invalid port '0' (expected 1 to 65535)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> check.forwardTcp(2222, 65536));
    assertEquals("invalid port '65536' (expected 1 to 65535)", e.getMessage());
  }

  @Test
  void aBoardsNetworkingIsAutoByDefault() {
    assertEquals(Board.NETWORKING_AUTO, BOARD.networking());
  }

  @Test
  void aSeedDriveAndALargerDiskAreKeptAndBadOnesNamed() throws Exception {
    Path img = Files.writeString(dir.resolve("a.img"), "");
    Path seed = Files.writeString(dir.resolve("seed.img"), "");
    BootCheck check = BootCheck.of(img, BOARD);
    assertEquals(List.of(), check.readOnlyDrives());
    assertTrue(check.diskSize().isEmpty());
    check.readOnlyDrive(seed).diskSize(8L << 30);
    assertEquals(List.of(seed), check.readOnlyDrives());
    assertEquals(8L << 30, check.diskSize().getAsLong());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> check.diskSize(0));
    assertEquals("invalid disk size '0' (expected > 0 bytes)", e.getMessage());
    Path missing = dir.resolve("nosuch.img");
    e = assertThrows(IllegalArgumentException.class, () -> check.readOnlyDrive(missing));
    assertEquals(
        "invalid drive '" + missing + "' (expected a readable file, e.g. a seed image)",
        e.getMessage());
  }
}
