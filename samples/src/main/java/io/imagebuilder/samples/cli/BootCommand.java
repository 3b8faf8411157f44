package io.imagebuilder.samples.cli;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.error.ImageBuildException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imagebuilder boot IMAGE}: boots a disk image in qemu with its board's machine and
 * firmware, reads the serial console and says whether it reached a login prompt. KVM is used only
 * when a short probe shows it runs a guest here, else TCG (the log says why). Needs no root: only
 * read access to the image. The image is not modified (qemu's snapshot mode). Exit 0 when it did, 1
 * when not.
 */
@Command(
    name = "boot",
    mixinStandardHelpOptions = true,
    description =
        "Boots a disk image in qemu and checks that it reaches a login prompt on the serial console.")
final class BootCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The raw disk image.")
  Path image;

  @Option(
      names = "--board",
      paramLabel = "ID",
      description = "The board it was built for (default: from the file name).")
  String board;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      defaultValue = "600",
      description = "Seconds to wait for the prompt (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--firmware",
      paramLabel = "NAME",
      description =
          "The board's firmware to boot with, e.g. uefi or bios (default: the board's first).")
  String firmware;

  @Override
  public Integer call() throws ImageBuildException, InterruptedException {
    if (!Files.isRegularFile(image)) {
      throw new IllegalArgumentException(
          "invalid image '" + image + "' (expected a disk image file)");
    }
    if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException(
          "invalid timeout '" + timeoutSeconds + "' (expected seconds > 0)");
    }
    Board target =
        board != null
            ? Boards.find(board)
            : BootCheck.boardFromFileName(image)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "cannot tell the board of '"
                                + image
                                + "' from its name (expected --board ID)"));
    BootCheck check = BootCheck.of(image, target).timeout(Duration.ofSeconds(timeoutSeconds));
    if (firmware != null) {
      check = check.firmware(firmware);
    }
    BootResult result = check.run();
    PrintWriter out = spec.commandLine().getOut();
    out.println(result.summary(20));
    out.flush();
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
