package io.imagebuilder.api.event;

/**
 * One line that a command run inside the target printed (stdout and stderr merged).
 *
 * @param trigger the build's progress channel
 * @param stageType the stage that ran the command
 * @param line the line, without its newline
 */
public record CommandOutput(String trigger, String stageType, String line) implements BuildEvent {}
