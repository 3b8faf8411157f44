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
   * printing the summary. TCG unless $IMAGEBUILDER_TEST_KVM is set: KVM on the CI hosts is nested
   * and can stall in SeaBIOS; foreign architectures use TCG anyway.
   */
  public static BootResult boot(Path image, String boardId, String firmware) throws Exception {
    BootCheck.Accelerator accelerator = System.getenv("IMAGEBUILDER_TEST_KVM") != null
        ? BootCheck.Accelerator.AUTO : BootCheck.Accelerator.TCG;
    BootCheck check = BootCheck.of(image, Boards.find(boardId)).accelerator(accelerator)
        .timeout(Duration.ofMinutes(10));
    if (firmware != null) {
      check = check.firmware(firmware);
    }
    BootResult result = check.run();
    System.out.printf("%s%s: %s%n", boardId, firmware == null ? "" : " (" + firmware + ")", result.summary(0));
    return result;
  }
}
