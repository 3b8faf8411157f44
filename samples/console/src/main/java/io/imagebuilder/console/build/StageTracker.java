package io.imagebuilder.console.build;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import java.util.ArrayList;
import java.util.List;

/** The stages of one build, from its events. Thread-safe. */
public final class StageTracker {
  /** The type of the stage a failed build failed in, or null when it failed before any stage. */
  public static String failedStage(ImageBuildException e) {
    // findCause looks at e itself too
    return e.findCause(StageFailedException.class)
        .map(StageFailedException::stageType)
        .orElse(null);
  }

  /** The log line of a stage that starts, e.g. {@code [2/9] rootfs.packages: install hello}. */
  public static String startLine(StageStarted e) {
    return "[" + e.index() + "/" + e.count() + "] " + e.stageType() + ": " + e.summary();
  }

  private final List<StageView> stages = new ArrayList<>();

  public StageTracker() {}

  /** A tracker that starts with the stages another process reported (a farm worker). */
  public StageTracker(List<StageView> reported) {
    stages.addAll(reported);
  }

  public synchronized List<StageView> started(StageStarted e) {
    stages.add(
        new StageView(e.index(), e.stageType(), e.stageId(), e.summary(), "RUNNING", null, null));
    return snapshot();
  }

  public synchronized List<StageView> finished(StageFinished e) {
    replace(e.stageId(), "SUCCEEDED", e.duration().toMillis(), null);
    return snapshot();
  }

  public synchronized List<StageView> failed(StageFailed e) {
    replace(e.stageId(), "FAILED", e.duration().toMillis(), e.message());
    return snapshot();
  }

  /** The stages once the build has ended: one still running was stopped with it. */
  public synchronized List<StageView> ended(BuildStatus status) {
    for (int i = 0; i < stages.size(); i++) {
      StageView s = stages.get(i);
      if ("RUNNING".equals(s.status())) {
        stages.set(
            i,
            new StageView(
                s.index(), s.type(), s.id(), s.summary(), status.name(), s.durationMillis(), null));
      }
    }
    return snapshot();
  }

  public synchronized List<StageView> snapshot() {
    return List.copyOf(stages);
  }

  private void replace(String stageId, String status, long millis, String message) {
    for (int i = stages.size() - 1; i >= 0; i--) {
      StageView s = stages.get(i);
      if (s.id().equals(stageId) && "RUNNING".equals(s.status())) {
        stages.set(
            i, new StageView(s.index(), s.type(), s.id(), s.summary(), status, millis, message));
        return;
      }
    }
  }
}
