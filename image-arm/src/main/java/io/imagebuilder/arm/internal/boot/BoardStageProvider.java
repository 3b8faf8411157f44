package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import io.imagebuilder.arm.internal.disk.DiskAssembleStage;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages of a spec with a board: {@code board.kernel} (before the spec's packages), {@code
 * board.boot} (after them) and {@code disk.assemble} for disk outputs, each built from its options
 * record mapped here from the spec.
 */
public final class BoardStageProvider implements StageProvider {
  @Override
  public List<Stage> stages(ImageSpec spec) {
    if (spec.board() == null) {
      return List.of();
    }
    Board board = Boards.find(spec.board());
    List<Stage> stages = new ArrayList<>();
    stages.add(new BoardKernelStage(BoardKernelStage.Options.of(spec, board)));
    stages.add(new BoardBootStage(BoardBootStage.Options.of(spec, board)));
    DiskAssembleStage assemble = DiskAssembleStage.forSpec(spec, board);
    if (assemble != null) {
      stages.add(assemble);
    }
    return stages;
  }
}
