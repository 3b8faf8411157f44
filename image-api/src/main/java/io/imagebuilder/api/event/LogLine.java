package io.imagebuilder.api.event;

/** A human-readable message from the library, e.g. which mirror was used. */
public record LogLine(String trigger, Level level, String message) implements BuildEvent {
  /** How much a reader should care. */
  public enum Level {
    INFO,
    WARNING
  }
}
