package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One step of a build, run over a {@link StageContext}. A stage describes itself: a stable type
 * name, a one-line summary and its options, which (as canonical JSON) feed the stage's id. A
 * stage type's behaviour does not change under the same name: same options, same output.
 *
 * <p>{@link #verify} runs for every stage before any stage runs; {@link #cleanup} runs for every
 * started stage, in reverse order, after success, failure or cancellation.
 */
public interface Stage {
  /**
   * A stable type name, e.g. {@code rootfs.bootstrap}.
   *
   * @return the type name; a stage's behaviour never changes under the same name
   */
  String type();

  /**
   * One line saying what this stage does with its options.
   *
   * @return the summary, for plans and logs
   */
  String summary();

  /**
   * The phase the stage belongs to; a plan runs phases in order.
   *
   * @return the phase
   */
  Phase phase();

  /**
   * Position among the stages of the same phase; lower runs first. Default 0.
   *
   * @return the position; lower runs first
   */
  default int orderInPhase() {
    return 0;
  }

  /**
   * What this stage does differently from another of its type: JSON-serialisable values (strings,
   * numbers, booleans, lists, maps, records). Part of the stage's id.
   *
   * @return the options; empty for a stage without any
   */
  Map<String, Object> options();

  /**
   * Host tools this stage runs, mapped to the Debian package that has each.
   *
   * @return tool name to Debian package, e.g. {@code mkfs.vfat} to {@code dosfstools}; empty by default
   */
  default Map<String, String> hostTools() {
    return Map.of();
  }

  /**
   * Artifact formats this stage writes.
   *
   * @return the formats; empty by default
   */
  default List<OutputFormat> produces() {
    return List.of();
  }

  /**
   * Checks before any stage runs; throw to stop the build before any work.
   *
   * @param context the build's context (nothing has run yet)
   * @throws ImageBuildException to stop the build, naming what is wrong
   */
  default void verify(StageContext context) throws ImageBuildException {}

  /**
   * Does the stage's work. An {@link java.io.IOException} is reported by the engine as this
   * stage's failure, like an {@link ImageBuildException}.
   *
   * @param context the build's context: spec, rootfs, work directory, executor, events
   * @throws ImageBuildException when the stage fails; the engine wraps it in a {@link
   *     io.imagebuilder.api.error.StageFailedException}
   * @throws IOException when reading or writing files fails
   * @throws InterruptedException when the build is cancelled
   */
  void run(StageContext context) throws ImageBuildException, IOException, InterruptedException;

  /**
   * Releases what {@link #run} set up; called even when run failed or was cancelled.
   *
   * @param context the build's context
   * @throws ImageBuildException when cleaning up fails; the engine reports it after the other
   *     cleanups ran
   */
  default void cleanup(StageContext context) throws ImageBuildException {}
}
