package io.imagebuilder.api.event;

/**
 * A human-readable message from the library, e.g. which mirror was used.
 *
 * @param trigger the build's progress channel
 * @param stageType the stage that logged it, or "" outside any stage
 * @param level how much a reader should care
 * @param message the text
 */
public record LogLine(String trigger, String stageType, Level level, String message)
    implements BuildEvent {
  /** How much a reader should care. */
  public enum Level {
    /** For the record. */
    INFO,
    /** Something the reader may want to act on. */
    WARNING
  }
}
