package io.imagebuilder.api.event;

import java.time.Duration;

/** A stage failed or was cancelled; {@code message} says why. */
public record StageFailed(
    String trigger, String stageType, String stageId, Duration duration, String message)
    implements BuildEvent {}
