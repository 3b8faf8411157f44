package io.imagebuilder.arm.internal.bootcheck;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.error.ImageBuildException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code imagebuilder boot IMAGE [--board ID] [--timeout SECONDS] [--firmware NAME]}: what the CLI
 * calls. Prints {@link BootResult#summary(int)}; exit code 0 when the prompt was reached, 1 when
 * not, 2 for bad arguments.
 */
public final class BootCommand {
  private BootCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    Path image = null;
    String boardId = null;
    String firmware = null;
    long seconds = 300;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--board" -> boardId = args[++i];
          case "--timeout" -> seconds = Long.parseLong(args[++i]);
          case "--firmware" -> firmware = args[++i];
          default -> {
            if (args[i].startsWith("-") || image != null) {
              throw new IllegalArgumentException(
                  "unknown argument '"
                      + args[i]
                      + "' (expected IMAGE [--board ID] [--timeout SECONDS] [--firmware NAME])");
            }
            image = Path.of(args[i]);
          }
        }
      }
      if (image == null) {
        throw new IllegalArgumentException(
            "no image given (expected IMAGE [--board ID] [--timeout SECONDS])");
      }
      Path img = image;
      Board board =
          boardId != null
              ? Boards.find(boardId)
              : BootCheck.boardFromFileName(img)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "cannot tell the board of '"
                                  + img
                                  + "' from its name (expected --board ID)"));
      BootCheck check =
          BootCheck.of(img, board).timeout(Duration.ofSeconds(seconds)).firmware(firmware);
      out.println("Booting " + img + " as " + board.id() + " (timeout " + seconds + " s)...");
      BootResult r = check.run();
      out.print(r.summary(r.succeeded() ? 3 : 30));
      return r.succeeded() ? 0 : 1;
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      err.println(
          "imagebuilder boot: "
              + (e instanceof ArrayIndexOutOfBoundsException
                  ? "an option lacks its value"
                  : e.getMessage()));
      return 2;
    } catch (ImageBuildException e) {
      err.println("imagebuilder boot: " + e.getMessage());
      return 1;
    }
  }
}
