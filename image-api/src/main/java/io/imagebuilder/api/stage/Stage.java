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
  /** A stable type name, e.g. {@code rootfs.bootstrap}. */
  String type();

  /** One line saying what this stage does with its options. */
  String summary();

  Phase phase();

  /** Position among the stages of the same phase; lower runs first. Default 0. */
  default int orderInPhase() {
    return 0;
  }

  /**
   * What this stage does differently from another of its type: JSON-serialisable values (strings,
   * numbers, booleans, lists, maps, records). Part of the stage's id.
   */
  Map<String, Object> options();

  /** Host tools this stage runs, mapped to the Debian package that has each. */
  default Map<String, String> hostTools() {
    return Map.of();
  }

  /** Artifact formats this stage writes. */
  default List<OutputFormat> produces() {
    return List.of();
  }

  /** Checks before any stage runs; throw to stop the build before any work. */
  default void verify(StageContext context) throws ImageBuildException {}

  /**
   * Does the stage's work. An {@link java.io.IOException} is reported by the engine as this
   * stage's failure, like an {@link ImageBuildException}.
   */
  void run(StageContext context) throws ImageBuildException, IOException, InterruptedException;

  /** Releases what {@link #run} set up; called even when run failed or was cancelled. */
  default void cleanup(StageContext context) throws ImageBuildException {}
}
