package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.arm.internal.boot.BoardStageProvider;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.internal.engine.EventBus;
import io.imagebuilder.internal.testing.TestExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the engine over a board plan (a stand-in bootstrap that leaves a file, then the board
 * stages); prints the failure. {@link MissingHostToolIT} runs it where a host tool is hidden.
 */
public final class MissingToolProbe {
  private MissingToolProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Board board = Boards.find(args[1]);
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(board.architecture())
            .board(board.id())
            .outputs(List.of(OutputFormat.RAW, OutputFormat.QCOW2))
            .sourceDateEpoch(1)
            .build();
    Stage bootstrap =
        new Stage() {
          @Override
          public String type() {
            return "test.bootstrap";
          }

          @Override
          public String summary() {
            return "leave a mark";
          }

          @Override
          public Phase phase() {
            return Phase.BOOTSTRAP;
          }

          @Override
          public Map<String, Object> options() {
            return Map.of();
          }

          @Override
          public void run(StageContext c) throws ImageBuildException {
            try {
              Files.writeString(dir.resolve("work-was-done"), "yes");
            } catch (java.io.IOException e) {
              throw new ImageBuildException(e.getMessage(), e);
            }
          }
        };
    List<Stage> stages = new ArrayList<>(List.of(bootstrap));
    stages.addAll(new BoardStageProvider().stages(spec));
    Engine engine =
        new Engine(
            new Engine.Settings(
                spec,
                board,
                dir.resolve("out"),
                dir.resolve("cache"),
                dir.resolve("work"),
                root ->
                    TestExecutors.refusing("no commands in the probe")
                        .open(root, Architecture.host()),
                new EventBus(),
                "test",
                new Cancellation(),
                null,
                false,
                Engine.Settings.KEEP_TREE_AFTER,
                java.time.Duration.ZERO));
    try {
      engine.run(Plan.of(stages));
      System.out.println("BUILD SUCCEEDED");
    } catch (ImageBuildException e) {
      System.out.println("BUILD FAILED: " + e.getMessage());
    }
  }
}
