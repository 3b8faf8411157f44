package io.imagebuilder.arm.internal.bootcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.boot.BootCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootCommandTest {
  @TempDir Path dir;

  @Test
  void theBoardIsTakenFromTheImageNameLongestIdFirst() {
    assertEquals(
        "qemu-arm64",
        BootCheck.boardFromFileName(Path.of("/x/debian-bookworm-qemu-arm64.img"))
            .map(Board::id)
            .orElseThrow());
    assertEquals(
        "pc-amd64",
        BootCheck.boardFromFileName(Path.of("ubuntu-noble-pc-amd64.qcow2"))
            .map(Board::id)
            .orElseThrow());
    assertTrue(BootCheck.boardFromFileName(Path.of("disk.img")).isEmpty());
  }

  @Test
  void badArgumentsExitWith2AndSayWhatWasExpected() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path img = Files.writeString(dir.resolve("disk.img"), "");
    assertEquals(
        2,
        BootCommand.run(
            new String[] {img.toString()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err)));
    assertTrue(
        err.toString()
            .contains("cannot tell the board of '" + img + "' from its name (expected --board ID)"),
        err.toString());
    err.reset();
    assertEquals(
        2,
        BootCommand.run(
            new String[] {img.toString(), "--speed", "9"}, System.out, new PrintStream(err)));
    assertTrue(err.toString().contains("unknown argument '--speed'"), err.toString());
    err.reset();
    assertEquals(
        2,
        BootCommand.run(
            new String[] {img.toString(), "--board"}, System.out, new PrintStream(err)));
    assertTrue(err.toString().contains("an option lacks its value"), err.toString());
  }
}
