package io.imagebuilder.samples.testing;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.BoardProvider;
import io.imagebuilder.api.spec.Architecture;
import java.util.List;

/** Test-only boards with known descriptions (one of two lines), for the board listing's layout. */
public final class FakeBoardProvider implements BoardProvider {
  public static final String ARM64_BOARD = "test-board-arm64";
  public static final String AMD64_BOARD = "test-pc";

  @Override
  public List<Board> boards() {
    return List.of(
        new FakeBoard(
            ARM64_BOARD, Architecture.ARM64, "A test board\nwith a second line that is not listed"),
        new FakeBoard(AMD64_BOARD, Architecture.AMD64, "A test PC"));
  }

  record FakeBoard(String id, Architecture architecture, String description) implements Board {
    @Override
    public List<String> kernelPackages() {
      return List.of("linux-image-" + architecture.debianName());
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
      return "console=ttyS0";
    }

    @Override
    public String serialConsole() {
      return "ttyS0";
    }
  }
}
