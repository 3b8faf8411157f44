package io.imagebuilder.api.event;

/**
 * Progress of a measurable step, e.g. bytes downloaded. {@code total} is -1 when unknown. The
 * unit is up to the label's owner; {@code done == total} marks the end.
 */
public record Progress(String trigger, String label, long done, long total) implements BuildEvent {}
