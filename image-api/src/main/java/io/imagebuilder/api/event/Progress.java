package io.imagebuilder.api.event;

/**
 * Progress of a measurable step, e.g. bytes downloaded or packages unpacked. {@code total} is -1
 * when unknown; {@code done == total} marks the end.
 *
 * @param trigger the build's progress channel
 * @param stageType the stage making the progress, or "" outside any stage
 * @param label what is counted, e.g. {@code download}
 * @param unit what {@code done} and {@code total} count
 * @param done how many so far
 * @param total how many in all, or -1
 */
public record Progress(
    String trigger, String stageType, String label, Unit unit, long done, long total)
    implements BuildEvent {
  /** What {@code done} and {@code total} count. */
  public enum Unit {
    /** Packages, files or other items. */
    ITEMS,
    /** Bytes. */
    BYTES
  }
}
