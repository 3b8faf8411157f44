package io.imagebuilder.api.event;

/**
 * Progress of a measurable step, e.g. bytes downloaded or packages unpacked. {@code total} is -1
 * when unknown; {@code done == total} marks the end.
 */
public record Progress(String trigger, String label, Unit unit, long done, long total)
    implements BuildEvent {
  /** What {@code done} and {@code total} count. */
  public enum Unit {
    ITEMS,
    BYTES
  }

  /** Progress counted in items. */
  public Progress(String trigger, String label, long done, long total) {
    this(trigger, label, Unit.ITEMS, done, total);
  }
}
