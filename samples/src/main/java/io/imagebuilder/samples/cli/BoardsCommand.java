package io.imagebuilder.samples.cli;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code imagebuilder boards}: the boards on the classpath, one per line. */
@Command(
    name = "boards",
    mixinStandardHelpOptions = true,
    description =
        "Lists the boards an image can be made bootable for (use the id with build --board).")
final class BoardsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<Board> boards = Boards.all();
    if (boards.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "No boards are available: none is on the classpath (boards come from io.imagebuilder:image-arm).");
      err.flush();
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    lines(boards).forEach(out::println);
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code id architecture description}, columns aligned. */
  static List<String> lines(List<Board> boards) {
    int idWidth = boards.stream().mapToInt(b -> b.id().length()).max().orElse(0);
    int archWidth =
        boards.stream().mapToInt(b -> b.architecture().debianName().length()).max().orElse(0);
    return boards.stream()
        .map(
            b ->
                String.format(
                    "%-" + idWidth + "s  %-" + archWidth + "s  %s",
                    b.id(),
                    b.architecture().debianName(),
                    firstLine(b.description())))
        .toList();
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
