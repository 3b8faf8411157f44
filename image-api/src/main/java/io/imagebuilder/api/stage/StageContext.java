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
import java.util.Map;
import java.util.Optional;

/**
 * What a stage works with: the build's directories, executor, events, facts and provenance. One
 * context per build; its methods are thread-safe.
 */
public interface StageContext {
  /**
   * The build's spec. A stage should not read it while running: what a stage reads belongs in its
   * options, so that its id covers it (see {@link Stage#options()}); the standard stages never call
   * this (an architecture test checks it). It is here for hooks and tools that describe the whole
   * build.
   *
   * @return the spec being built
   */
  ImageSpec spec();

  /** {@return the directory the target's root filesystem is built in} */
  Path rootfs();

  /** {@return the scratch space of this build, deleted when it ends} */
  Path workDir();

  /** {@return where artifacts go} */
  Path outputDir();

  /** {@return the directory shared across builds (package cache, stage cache)} */
  Path cacheDir();

  /** {@return what runs commands as the target inside {@link #rootfs()}} */
  Executor executor();

  /** {@return the spec's board, if it names one} */
  Optional<Board> board();

  /** {@return the seconds every timestamp is clamped to, once known (spec or Release date)} */
  Optional<Long> sourceDateEpoch();

  /**
   * The seconds every timestamp is clamped to, for a stage that cannot work without them.
   *
   * @param use what the stage needs them for, for the error, e.g. {@code "the disk image"}
   * @return {@link #sourceDateEpoch()}'s value
   * @throws ImageBuildException naming {@code use} when none is known yet
   */
  default long requireSourceDateEpoch(String use) throws ImageBuildException {
    return sourceDateEpoch()
        .orElseThrow(
            () ->
                new ImageBuildException(
                    "no SOURCE_DATE_EPOCH is known for "
                        + use
                        + " (expected the spec to give one or the bootstrap to read the Release's"
                        + " date)"));
  }

  /**
   * Sets the seconds every timestamp is clamped to (a stage that read a Release date).
   *
   * @param epochSeconds seconds since 1970-01-01 UTC
   */
  void setSourceDateEpoch(long epochSeconds);

  /** {@return the trigger the events of this build carry} */
  String trigger();

  /**
   * The plan this build runs, transforms applied, when the context belongs to a build (a stage that
   * records the build, say, names it by {@link Plan#id()}).
   *
   * @return the plan, or empty outside a build
   */
  default Optional<Plan> plan() {
    return Optional.empty();
  }

  /** {@return the type of the stage currently running} */
  String currentStageType();

  /** {@return the id of the stage currently running} */
  String currentStageId();

  /**
   * Sends an event to the build's listeners.
   *
   * @param event the event
   */
  void publish(BuildEvent event);

  /**
   * Writes a line to the running stage's log (and publishes it as a log event).
   *
   * @param message the line
   */
  void log(String message);

  /**
   * Publishes progress counted in items (packages, files).
   *
   * @param label what is progressing
   * @param done items done
   * @param total items in all, or -1 when unknown
   */
  void progress(String label, long done, long total);

  /**
   * Publishes progress counted in bytes (downloads, writes).
   *
   * @param label what is progressing
   * @param done bytes done
   * @param total bytes in all, or -1 when unknown
   */
  default void progressBytes(String label, long done, long total) {
    publish(
        new io.imagebuilder.api.event.Progress(
            trigger(),
            currentStageType(),
            label,
            io.imagebuilder.api.event.Progress.Unit.BYTES,
            done,
            total));
  }

  /**
   * Runs a command inside the target, streaming its output as events. Once the build's
   * SOURCE_DATE_EPOCH is known it is in the command's environment (unless the command sets it), so
   * the target's tools write reproducible files.
   *
   * @param command the command
   * @return its exit code and the last lines of its output
   * @throws ImageBuildException if it cannot run or exits non-zero ({@link
   *     io.imagebuilder.api.error.CommandFailedException})
   * @throws InterruptedException if the build is cancelled or the thread interrupted
   */
  CommandResult run(Command command) throws ImageBuildException, InterruptedException;

  /**
   * {@link #run(Command)} with default environment and timeout.
   *
   * @param argv the program and its arguments
   * @return its exit code and the last lines of its output
   * @throws ImageBuildException if it cannot run or exits non-zero
   * @throws InterruptedException if the build is cancelled or the thread interrupted
   */
  default CommandResult run(String... argv) throws ImageBuildException, InterruptedException {
    return run(Command.of(argv));
  }

  /** {@return the stages of this build that completed so far, in the order they ran} */
  List<CompletedStage> completedStages();

  /**
   * Adds an artifact to the build's result.
   *
   * @param artifact a file the stage wrote into the output directory
   */
  void addArtifact(Artifact artifact);

  /** {@return the artifacts added so far} */
  List<Artifact> artifacts();

  /**
   * Records an input this stage read that its options do not pin down (see {@link ResolvedInput}):
   * the stage cache reuses this build's result only while the input is unchanged. Default: ignored
   * (a context with no stage cache).
   *
   * @param input the input with its digest
   */
  default void recordInput(ResolvedInput input) {}

  /**
   * A file this stage wrote into the output directory that belongs to the build's result besides
   * its artifacts (a manifest, an SBOM): kept with the artifacts in the stage cache. Default:
   * ignored.
   *
   * @param file the file in the output directory
   */
  default void addOutputFile(Path file) {}

  /**
   * Records a fact for later stages under a key owned by the module that produces it (e.g.
   * image-rootfs keeps which repository offers each .deb under its own key). Values are data
   * (records of strings, numbers, lists), not behaviour, so the engine can keep them with a stage's
   * result.
   *
   * @param <T> the value's type
   * @param key the fact's key
   * @param value the fact
   */
  <T> void put(ContextKey<T> key, T value);

  /**
   * A fact an earlier stage recorded with {@link #put}.
   *
   * @param <T> the value's type
   * @param key the fact's key
   * @return the fact, or empty when no stage recorded it
   */
  <T> Optional<T> get(ContextKey<T> key);

  /**
   * What the stages found out so far about where the build's contents came from; the manifest
   * writer's input.
   *
   * @return the provenance, {@link BuildProvenance#EMPTY} before any stage added to it
   */
  default BuildProvenance provenance() {
    return get(BuildProvenance.KEY).orElse(BuildProvenance.EMPTY);
  }

  /**
   * Adds a repository packages were read from to the {@link #provenance()}.
   *
   * @param repository the repository as read
   */
  default void addRepository(UsedRepository repository) {
    synchronized (this) {
      put(BuildProvenance.KEY, provenance().withRepository(repository));
    }
  }

  /**
   * Adds (or replaces, by package name) the origins of installed packages' .debs.
   *
   * @param origins the origins
   */
  default void addPackageOrigins(Iterable<PackageOrigin> origins) {
    synchronized (this) {
      put(BuildProvenance.KEY, provenance().withOrigins(origins));
    }
  }

  /**
   * Records the base image the build started from instead of bootstrapping.
   *
   * @param baseImage the base image
   */
  default void setBaseImage(BaseImage baseImage) {
    synchronized (this) {
      put(BuildProvenance.KEY, provenance().withBaseImage(baseImage));
    }
  }

  /**
   * Records image paths whose content this stage made at build time on purpose, so a rebuild of the
   * same spec differs there (SSH host keys of an image without an init to make them at first boot):
   * the manifest lists them, and a reproducibility check leaves them out.
   *
   * @param imagePaths absolute paths inside the image
   */
  default void addNonReproducible(List<String> imagePaths) {
    synchronized (this) {
      put(BuildProvenance.KEY, provenance().withNonReproducible(imagePaths));
    }
  }

  /**
   * Records the partitions of a disk image artifact, replacing what was recorded for that file.
   *
   * @param artifactFileName the artifact's file name, e.g. {@code board.img}
   * @param partitions its partitions in table order
   */
  default void addPartitions(String artifactFileName, List<ImagePartition> partitions) {
    synchronized (this) {
      put(BuildProvenance.KEY, provenance().withPartitions(artifactFileName, partitions));
    }
  }

  /**
   * The log file of each stage started so far (the running one included), each a path relative to
   * the output directory ({@code logs/<NN>-<stage type>.log}); the engine writes them and lists
   * them in the build's result. Default: none (a context with no stage logs).
   *
   * @return log paths by stage id
   */
  default Map<String, String> stageLogs() {
    return Map.of();
  }

  /**
   * Hands the build's manifest to the engine, which writes it to {@code <image>.manifest.json} in
   * the output directory once the stage has run, puts it in the build's result, keeps it with the
   * result in the stage cache, and keeps the output directory's files when the build fails after it
   * was written. Default: ignored (a context with no engine behind it).
   *
   * @param manifest the image's name and the manifest's JSON text
   */
  default void setManifest(BuildManifest manifest) {}

  /**
   * Throws if the build was cancelled or the thread interrupted.
   *
   * @throws ImageBuildException ({@link io.imagebuilder.api.error.BuildCancelledException}) if so
   */
  void checkCancelled() throws ImageBuildException;
}
