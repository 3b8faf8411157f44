package io.imagebuilder.console.farm;

import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.StageView;
import java.util.List;

/** The JSON bodies a worker sends the console over HTTP ({@code /api/farm/builds/{id}/...}). */
public final class WorkerReports {
  private WorkerReports() {}

  /**
   * {@code POST .../claim}: the worker took the job off its queue.
   *
   * @param worker the worker's name, for the log
   */
  public record Claim(String worker) {}

  /**
   * {@code POST .../progress}: log lines since the last report, and the stages so far.
   *
   * @param lines new log lines, in order
   * @param stages every stage so far
   */
  public record Progress(List<String> lines, List<StageView> stages) {
    public Progress {
      lines = List.copyOf(lines == null ? List.of() : lines);
      stages = List.copyOf(stages == null ? List.of() : stages);
    }
  }

  /**
   * {@code POST .../result}, after every artifact was uploaded ({@code PUT .../files/{name}}).
   *
   * @param status SUCCEEDED, FAILED or CANCELLED
   * @param stages every stage
   * @param artifacts the artifacts, with the sha256 each was uploaded with
   * @param error why it failed, or null
   * @param failedStage the stage that failed, or null
   */
  public record Result(
      BuildStatus status,
      List<StageView> stages,
      List<ArtifactView> artifacts,
      String error,
      String failedStage) {
    public Result {
      stages = List.copyOf(stages == null ? List.of() : stages);
      artifacts = List.copyOf(artifacts == null ? List.of() : artifacts);
    }
  }
}
