package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardStageProviderTest {
  private static final Board PI = Boards.find("raspberrypi-4");

  private static ImageSpec.Builder pi() {
    return ImageSpec.builder("bookworm").board(PI.id()).architecture(PI.architecture());
  }

  private static Stage stage(List<Stage> stages, String type) {
    return stages.stream().filter(s -> s.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void aBoardGetsItsKernelBootAndDiskStagesWithTheBoardsDefaults() {
    List<Stage> stages = new BoardStageProvider().stages(pi().build());
    assertEquals(
        List.of("board.kernel", "board.boot", "disk.assemble"),
        stages.stream().map(Stage::type).toList());
    assertEquals(PI.rootFreeSpace(), stage(stages, "disk.assemble").options().get("rootFreeSpace"));
    assertEquals(PI.growRootFilesystem(), stage(stages, "board.kernel").options().get("growRoot"));
  }

  @Test
  void theSpecsDiskOptionsOverrideTheBoard() {
    ImageSpec spec = pi().rootFreeSpace("3GiB").growRoot(!PI.growRootFilesystem()).build();
    List<Stage> stages = new BoardStageProvider().stages(spec);
    assertEquals("3GiB", stage(stages, "disk.assemble").options().get("rootFreeSpace"));
    Stage kernel = stage(stages, "board.kernel");
    assertEquals(!PI.growRootFilesystem(), kernel.options().get("growRoot"));
    List<String> packages = ((BoardKernelStage) kernel).installs();
    boolean growPackages = packages.containsAll(GrowRoot.PACKAGES);
    if (PI.growRootFilesystem()) {
      assertFalse(growPackages, "no grow-root packages when growth is turned off: " + packages);
    } else {
      assertTrue(growPackages, "the grow-root packages when growth is turned on: " + packages);
    }
  }

  @Test
  void theKernelStageRunsBeforeTheSpecsPackagesAndTheBootStageAfterThem() {
    List<Stage> stages = new BoardStageProvider().stages(pi().addPackage("curl").build());
    Stage kernel = stage(stages, "board.kernel");
    Stage boot = stage(stages, "board.boot");
    // rootfs.packages is phase PACKAGES, order 0
    assertEquals(Phase.PACKAGES, kernel.phase());
    assertTrue(kernel.orderInPhase() < 0, "before rootfs.packages: " + kernel.orderInPhase());
    assertEquals(Phase.BOARD, boot.phase());
    assertFalse(kernel.options().containsKey("identitySeed"), kernel.options().toString());
    assertTrue(boot.options().containsKey("identitySeed"), boot.options().toString());
  }

  @Test
  void aLockedBuildRunsTheKernelStageAfterThePackagesWhichInstallTheLockedKernel() {
    ImageSpec locked =
        pi().lock(new Lock(Lock.FORMAT_VERSION, List.of(), List.of(), null, null)).build();
    List<Stage> stages = new BoardStageProvider().stages(locked);
    Stage kernel = stage(stages, "board.kernel");
    Stage boot = stage(stages, "board.boot");
    assertEquals(Phase.BOARD, kernel.phase());
    assertTrue(kernel.orderInPhase() < boot.orderInPhase());
    assertEquals(true, kernel.options().get("locked"));
    assertFalse(
        stage(new BoardStageProvider().stages(pi().build()), "board.kernel")
            .options()
            .containsKey("locked"),
        "an unlocked build's kernel stage has no locked option");
  }

  @Test
  void aSpecWithoutABoardGetsNoBoardStages() {
    ImageSpec rootfsOnly = ImageSpec.builder("bookworm").architecture(PI.architecture()).build();
    assertTrue(new BoardStageProvider().stages(rootfsOnly).isEmpty());
  }
}
