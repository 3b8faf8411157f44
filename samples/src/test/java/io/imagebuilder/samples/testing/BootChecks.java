package io.imagebuilder.samples.testing;

import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import java.nio.file.Path;
import java.time.Duration;

/** Boots a built image through {@link BootCheck} the way the integration tests need it. */
public final class BootChecks {
  private BootChecks() {}

  /**
   * Boots {@code image} on its board with the given firmware ({@code null}: the board's default),
   * printing the summary. The accelerator is the library's choice (AUTO): KVM only when its probe
   * saw a guest run (a nested KVM on CI hosts can stall in SeaBIOS), else TCG, logged with why;
   * $IMAGEBUILDER_TEST_TCG forces TCG.
   */
  public static BootResult boot(Path image, String boardId, String firmware) throws Exception {
    BootCheck.Accelerator accelerator =
        System.getenv("IMAGEBUILDER_TEST_TCG") != null
            ? BootCheck.Accelerator.TCG
            : BootCheck.Accelerator.AUTO;
    BootCheck check =
        BootCheck.of(image, Boards.find(boardId))
            .accelerator(accelerator)
            .timeout(Duration.ofMinutes(10));
    if (firmware != null) {
      check = check.firmware(firmware);
    }
    BootResult result = check.run();
    System.out.printf(
        "%s%s: %s%n", boardId, firmware == null ? "" : " (" + firmware + ")", result.summary(0));
    return result;
  }
}
