package io.imagebuilder.api.event;

import java.time.Duration;

/** The build ended: {@code outcome} is succeeded, failed or cancelled. */
public record BuildFinished(String trigger, String specHash, Outcome outcome, Duration duration)
    implements BuildEvent {
  /** How the build ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    CANCELLED
  }
}
