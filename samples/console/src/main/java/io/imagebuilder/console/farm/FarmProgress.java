package io.imagebuilder.console.farm;

import io.imagebuilder.console.build.ArtifactView;
import java.time.Instant;
import java.util.List;

/**
 * What is published on the progress exchange with a request's trigger as the routing key (JSON):
 * each change of a build's state or running stage, then its result.
 *
 * @param buildId the console's build id; null for a request that was rejected
 * @param trigger the request's trigger
 * @param state QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, or REJECTED (a bad request, never
 *     queued)
 * @param stage the stage running, or the last one
 * @param artifacts the artifacts of a succeeded build, with their sha256
 * @param error why it failed or was rejected, or null
 * @param failedStage the stage that failed, or null
 * @param time when this was published
 */
public record FarmProgress(
    String buildId,
    String trigger,
    String state,
    String stage,
    List<ArtifactView> artifacts,
    String error,
    String failedStage,
    Instant time) {
  public FarmProgress {
    artifacts = List.copyOf(artifacts == null ? List.of() : artifacts);
  }
}
