package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Boards;
import io.imagebuilder.samples.testing.FakeBoardProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardsCommandTest {
  @Test
  void listsEveryBoardWithArchitectureAndFirstDescriptionLine() {
    CliRun run = CliRun.run("boards");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(Boards.all().size(), lines.size(), run::toString);
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("qemu-arm64 +arm64 +qemu-system-aarch64 -M virt .*")),
        run::toString);
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("pc-amd64 +amd64 +x86-64 PC or VM.*")),
        run::toString);
  }

  @Test
  void columnsAreAligned() {
    List<String> lines = BoardsCommand.lines(new FakeBoardProvider().boards());
    assertEquals(
        List.of("test-board-arm64  arm64  A test board", "test-pc           amd64  A test PC"),
        lines);
  }
}
