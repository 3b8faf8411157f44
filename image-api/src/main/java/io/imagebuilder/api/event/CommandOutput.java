package io.imagebuilder.api.event;

/** One line that a command run inside the target printed (stdout and stderr merged). */
public record CommandOutput(String trigger, String stageType, String line) implements BuildEvent {}
