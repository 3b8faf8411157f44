package io.imagebuilder.api;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.spec.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a successful build made. The output directory holds the artifacts, beside them (with
 * image-manifest) {@code <image>.manifest.json}, {@code <image>.manifest} and {@code
 * <image>.cdx.json}, and each started stage's log: {@code logs/<NN>-<stage type>.log}, NN the
 * stage's 1-based position in the plan, zero-padded (e.g. {@code logs/03-rootfs.packages.log}). A
 * log holds the stage's log lines, the commands it ran with their output, each line stamped with
 * the seconds since the build started, and how the stage ended; the logs are written after a
 * failure or cancellation too, the failing stage's ending with the error. Logs are not artifacts
 * and not reproducible; the manifest lists each stage's log.
 *
 * @param spec the spec that was built
 * @param specHash its hash
 * @param planId the last stage's id, which names the whole stage tree
 * @param artifacts the files written, with format, size and sha256
 * @param stages each stage's type, id and duration, in the order they ran
 * @param executor the execution strategy used, e.g. {@code native}
 * @param manifestFile the manifest written beside the artifacts, or null without image-manifest
 * @param fromCache whether the artifacts are an earlier build's of the same plan, taken from the
 *     stage cache because every input it resolved is unchanged ({@code stages} are that build's)
 */
public record BuildResult(
    ImageSpec spec,
    String specHash,
    String planId,
    List<Artifact> artifacts,
    List<CompletedStage> stages,
    String executor,
    Path manifestFile,
    boolean fromCache) {
  /** The manifest's file name suffix. */
  private static final String MANIFEST_SUFFIX = ".manifest.json";

  /** The lock's file name suffix, beside the manifest. */
  public static final String LOCK_SUFFIX = ".lock";

  /**
   * Copies the lists.
   *
   * @param spec the spec that was built
   * @param specHash its hash
   * @param planId the last stage's id, which names the whole stage tree
   * @param artifacts the files written, with format, size and sha256
   * @param stages each stage's type, id and duration, in the order they ran
   * @param executor the execution strategy used, e.g. {@code native}
   * @param manifestFile the manifest written beside the artifacts, or null without image-manifest
   * @param fromCache whether the result is an earlier build's, from the stage cache
   */
  public BuildResult {
    artifacts = List.copyOf(artifacts);
    stages = List.copyOf(stages);
  }

  /**
   * A result built now, not taken from the stage cache.
   *
   * @param spec the spec that was built
   * @param specHash its hash
   * @param planId the last stage's id
   * @param artifacts the files written
   * @param stages the stages that ran
   * @param executor the execution strategy used
   * @param manifestFile the manifest written beside the artifacts, or null
   */
  public BuildResult(
      ImageSpec spec,
      String specHash,
      String planId,
      List<Artifact> artifacts,
      List<CompletedStage> stages,
      String executor,
      Path manifestFile) {
    this(spec, specHash, planId, artifacts, stages, executor, manifestFile, false);
  }

  /** {@return the manifest file beside the artifacts, if one was written} */
  public Optional<Path> manifest() {
    return Optional.ofNullable(manifestFile);
  }

  /**
   * The lock file beside the manifest ({@code <image>.lock}, for {@code <image>.manifest.json}):
   * the packages of this build pinned for {@link ImageBuilder#withLock(Path)}.
   *
   * @return the lock file, if the build wrote one
   */
  public Optional<Path> lockFile() {
    if (manifestFile == null) {
      return Optional.empty();
    }
    String name = manifestFile.getFileName().toString();
    String image =
        name.endsWith(MANIFEST_SUFFIX)
            ? name.substring(0, name.length() - MANIFEST_SUFFIX.length())
            : name;
    Path lock = manifestFile.resolveSibling(image + LOCK_SUFFIX);
    return Files.isRegularFile(lock) ? Optional.of(lock) : Optional.empty();
  }

  /**
   * The first artifact of {@code format}, if one was written.
   *
   * @param format an output format
   * @return the artifact, or empty
   */
  public Optional<Artifact> artifact(io.imagebuilder.api.spec.OutputFormat format) {
    return artifacts.stream().filter(a -> a.format() == format).findFirst();
  }
}
