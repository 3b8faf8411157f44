package io.imagebuilder.api.event;

/** A stage began; {@code index} counts from 1 up to {@code count}. */
public record StageStarted(
    String trigger, String stageType, String stageId, String summary, int index, int count)
    implements BuildEvent {}
