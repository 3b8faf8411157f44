package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One step of a build, run over a {@link StageContext}. A stage describes itself: a stable type
 * name, a one-line summary and its options, which (as canonical JSON) feed the stage's id.
 *
 * <p>Options and ids. A stage is built from an options record holding exactly what it reads (a
 * provider maps the spec to the record); {@link #options()} is that record converted by {@link
 * StageOptions#of}, and the stage's id is sha256(type, options as canonical JSON, the previous
 * stage's id). A stage reads nothing else that decides its output: not {@link StageContext#spec()},
 * not a constant that is not in its options. Inputs its options cannot pin down (a repository's
 * InRelease, a file on the host) are recorded with {@link StageContext#recordInput}.
 *
 * <p>Changing a stage's behaviour. A stage type's behaviour does not change under the same name and
 * options: same options, same output. A change that gives different output for the same options
 * either adds an options field (whose value then changes every id the change affects) or takes a
 * new type name; never a hidden version constant. A new optional field that is {@code null} for
 * existing builds leaves their ids as they were, since null components are left out of the options.
 *
 * <p>Facts for later stages go through typed keys owned by the module that produces them ({@link
 * StageContext#put}); what the manifest needs about where the contents came from goes through
 * {@link StageContext#provenance()}.
 *
 * <p>{@link #verify} runs for every stage before any stage runs; {@link #cleanup} runs for every
 * started stage, in reverse order, after success, failure or cancellation; {@link #finished} runs
 * for every stage after a success, also when the result came from the stage cache.
 */
public interface Stage {
  /** {@return a stable type name, e.g. {@code rootfs.bootstrap}} */
  String type();

  /** {@return one line saying what this stage does with its options} */
  String summary();

  /** {@return the phase the stage runs in} */
  Phase phase();

  /** {@return the position among the stages of the same phase; lower runs first (default 0)} */
  default int orderInPhase() {
    return 0;
  }

  /**
   * What this stage does differently from another of its type: JSON-serialisable values (strings,
   * numbers, booleans, lists, maps, records), for a standard stage {@link StageOptions#of} its
   * options record. Part of the stage's id.
   *
   * @return the options by name
   */
  Map<String, Object> options();

  /** {@return the host tools this stage runs, each mapped to the Debian package that has it} */
  default Map<String, String> hostTools() {
    return Map.of();
  }

  /** {@return the artifact formats this stage writes} */
  default List<OutputFormat> produces() {
    return List.of();
  }

  /**
   * Checks before any stage runs; throw to stop the build before any work.
   *
   * @param context the build's context (no stage has run yet)
   * @throws ImageBuildException to stop the build, saying what is wrong
   */
  default void verify(StageContext context) throws ImageBuildException {}

  /**
   * Does the stage's work. An {@link java.io.IOException} is reported by the engine as this stage's
   * failure, like an {@link ImageBuildException}.
   *
   * @param context the build's context
   * @throws ImageBuildException if the stage fails
   * @throws IOException if reading or writing fails
   * @throws InterruptedException if the build is cancelled or the thread interrupted
   */
  void run(StageContext context) throws ImageBuildException, IOException, InterruptedException;

  /**
   * Runs once the build succeeded, for every stage of the plan, in plan order: after the stages
   * ran, or instead of them when the result came from the stage cache. For what a stage keeps
   * outside the output directory about every build, not only about the builds that ran it (the
   * manifest stage records each build in the image index). Default: nothing.
   *
   * @param build the finished build
   * @param log writes an information line to the build's events
   * @throws ImageBuildException if what the stage keeps could not be written; the build fails
   */
  default void finished(FinishedBuild build, java.util.function.Consumer<String> log)
      throws ImageBuildException {}

  /**
   * Releases what {@link #run} set up; called even when run failed or was cancelled.
   *
   * @param context the build's context
   * @throws ImageBuildException if something could not be released
   */
  default void cleanup(StageContext context) throws ImageBuildException {}
}
