package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.samples.testing.FakeStageProvider;
import io.imagebuilder.samples.testing.ItBuilds;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pc-amd64 image of bookworm with openssh-server, built by the library end to end (bootstrap,
 * packages, kernel and GRUB, disk assembly), boots in qemu to a login prompt on the serial
 * console, with UEFI (OVMF) and with BIOS. Built once for both boots.
 */
class PcAmd64BootIT {
  private static Path image;

  @BeforeAll
  static void buildTheImageOnce() throws Exception {
    Path work = ItBuilds.freshWorkDir("pc-amd64-boot");
    BuildResult result = ImageBuilder.forSeries("bookworm").forBoard("pc-amd64")
        .withPackages("openssh-server")
        .withCacheDir(work.resolve("cache"))
        .withPlanTransform(PcAmd64BootIT::withoutTestStages)
        .build(work.resolve("out"));
    image = result.artifact(OutputFormat.RAW).orElseThrow().file();
  }

  /** The test classpath also registers the CLI tests' fake stages; a real build leaves them out. */
  private static Plan withoutTestStages(Plan plan) {
    return Plan.of(plan.stages().stream().map(PlannedStage::stage)
        .filter(s -> !s.type().startsWith(FakeStageProvider.PREFIX)).toList());
  }

  /** TCG unless asked: KVM on the CI hosts is nested and can stall in SeaBIOS. */
  private static BootResult boot(String firmware) throws Exception {
    BootCheck.Accelerator accelerator = System.getenv("IMAGEBUILDER_TEST_KVM") != null
        ? BootCheck.Accelerator.AUTO : BootCheck.Accelerator.TCG;
    return BootCheck.of(image, Boards.find("pc-amd64")).firmware(firmware).accelerator(accelerator)
        .timeout(Duration.ofMinutes(10)).run();
  }

  @Test
  void bootsWithUefiToALoginPrompt() throws Exception {
    BootResult result = boot("uefi");
    assertTrue(result.reachedLogin(), result.summary(30));
    assertEquals(BootResult.ExitReason.LOGIN_PROMPT, result.exitReason());
  }

  @Test
  void bootsWithBiosToALoginPrompt() throws Exception {
    BootResult result = boot("bios");
    assertTrue(result.reachedLogin(), result.summary(30));
  }
}
