package io.imagebuilder.api.event;

import java.time.Duration;

/** The build ended: {@code outcome} is succeeded, failed or cancelled. */
public record BuildFinished(String trigger, String specHash, Outcome outcome, Duration duration)
    implements BuildEvent {
  /** How the build ended. */
  public enum Outcome {
    /** Every stage ran; the artifacts are in the output directory. */
    SUCCEEDED,
    /** A stage, a check or a listener failed; the build threw an {@code ImageBuildException}. */
    FAILED,
    /** Interrupted, cancelled or past its timeout; every started stage's cleanup ran. */
    CANCELLED
  }
}
