package io.imagebuilder.api.stage;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a stage works with. One context per build; its methods are thread-safe. */
public interface StageContext {
  ImageSpec spec();

  /** The directory the target's root filesystem is built in. */
  Path rootfs();

  /** Scratch space of this build, deleted when it ends. */
  Path workDir();

  /** Where artifacts go. */
  Path outputDir();

  /** Shared across builds (package cache, stage cache). */
  Path cacheDir();

  /** Runs commands as the target inside {@link #rootfs()}. */
  Executor executor();

  /** The spec's board, if it names one. */
  Optional<Board> board();

  /** The seconds every timestamp is clamped to, once known (spec or Release date). */
  Optional<Long> sourceDateEpoch();

  void setSourceDateEpoch(long epochSeconds);

  /** The trigger events of this build carry. */
  String trigger();

  /**
   * The plan this build runs, transforms applied, when the context belongs to a build (a stage
   * that records the build, say, names it by {@link Plan#id()}).
   */
  default Optional<Plan> plan() {
    return Optional.empty();
  }

  /** The type and id of the stage currently running. */
  String currentStageType();

  String currentStageId();

  void publish(BuildEvent event);

  void log(String message);

  /** Progress counted in items (packages, files). */
  void progress(String label, long done, long total);

  /** Progress counted in bytes (downloads, writes). */
  default void progressBytes(String label, long done, long total) {
    publish(new io.imagebuilder.api.event.Progress(
        trigger(), currentStageType(), label, io.imagebuilder.api.event.Progress.Unit.BYTES, done, total));
  }

  /**
   * Runs a command inside the target, streaming its output as events. Once the build's
   * SOURCE_DATE_EPOCH is known it is in the command's environment (unless the command sets it),
   * so the target's tools write reproducible files.
   *
   * @throws io.imagebuilder.api.error.CommandFailedException if it exits non-zero
   */
  CommandResult run(Command command) throws ImageBuildException, InterruptedException;

  /** {@link #run(Command)} with default environment and timeout. */
  default CommandResult run(String... argv) throws ImageBuildException, InterruptedException {
    return run(Command.of(argv));
  }

  /** The stages of this build that completed so far, in the order they ran. */
  List<CompletedStage> completedStages();

  void addArtifact(Artifact artifact);

  List<Artifact> artifacts();

  /**
   * Records an input this stage read that its options do not pin down (see {@link
   * ResolvedInput}): the stage cache reuses this build's result only while the input is
   * unchanged. Default: ignored (a context with no stage cache).
   */
  default void recordInput(ResolvedInput input) {}

  /**
   * A file this stage wrote into the output directory that belongs to the build's result besides
   * its artifacts (a manifest, an SBOM): kept with the artifacts in the stage cache. Default:
   * ignored.
   */
  default void addOutputFile(Path file) {}

  <T> void put(ContextKey<T> key, T value);

  <T> Optional<T> get(ContextKey<T> key);

  /** Throws if the build was cancelled or the thread interrupted. */
  void checkCancelled() throws ImageBuildException;
}
