package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.testing.TestStageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** What the board stages' tests share: their spec, their context and a pretend grub-mkimage. */
final class BoardStageTests {
  private BoardStageTests() {}

  /** A context over the test's rootfs for {@code board}; commands go to {@code onCommand}. */
  static TestStageContext context(
      ImageSpec spec, Board board, Path root, Path work, Consumer<Command> onCommand) {
    return new TestStageContext(spec, root, work).withBoard(board).onCommand(onCommand);
  }

  /** bookworm for {@code board}, with a fixed SOURCE_DATE_EPOCH. */
  static ImageSpec spec(Board board) {
    return ImageSpec.builder("bookworm")
        .architecture(board.architecture())
        .board(board.id())
        .sourceDateEpoch(1_700_000_000L)
        .build();
  }

  /** Pretends to be the target's grub-mkimage: writes its {@code -o} file under {@code root}. */
  static void pretendGrub(Path root, Command c) {
    try {
      List<String> argv = c.argv();
      if (argv.get(0).equals("grub-mkimage")) {
        Path out = root.resolve(argv.get(argv.indexOf("-o") + 1).substring(1));
        Files.createDirectories(out.getParent());
        Files.writeString(out, "grub");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
