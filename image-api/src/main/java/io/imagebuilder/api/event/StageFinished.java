package io.imagebuilder.api.event;

import java.time.Duration;

/** A stage completed successfully. */
public record StageFinished(String trigger, String stageType, String stageId, Duration duration)
    implements BuildEvent {}
