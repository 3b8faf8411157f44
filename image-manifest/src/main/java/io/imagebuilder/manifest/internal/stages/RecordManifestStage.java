package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BuildManifest;
import io.imagebuilder.api.stage.FinishedBuild;
import io.imagebuilder.api.stage.ImagePartition;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.manifest.api.BuildOrigin;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.ManifestPartition;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.internal.CycloneDxSbom;
import io.imagebuilder.manifest.internal.OutputFiles;
import io.imagebuilder.manifest.internal.index.IndexFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code manifest.record}: writes the views of the manifest beside the artifacts and records the
 * build in the image index. For an image named after its first artifact without the format's
 * extension ({@code bookworm-arm64.tar.zst} gives {@code bookworm-arm64}):
 *
 * <ul>
 *   <li>{@code <image>.manifest.json}: the complete manifest, with every artifact's sha256 and, for
 *       disk images, each partition's (from the build's provenance);
 *   <li>{@code <image>.manifest}: {@code package<TAB>version} per line, sorted (Ubuntu's form);
 *   <li>{@code <image>.cdx.json}: the CycloneDX 1.6 SBOM;
 *   <li>{@code <image>.lock}: the manifest's {@link io.imagebuilder.api.spec.Lock} (every package's
 *       version, architecture, .deb sha256 and repository, each repository's InRelease sha256 and
 *       key, the base image's sha256), for a rebuild with {@code withLock}.
 * </ul>
 *
 * <p>The first is the engine's to write: the stage hands it the manifest ({@link
 * StageContext#setManifest}), and the engine writes the file and puts it in the build's result. The
 * build is recorded in the index of the build's cache directory ({@code <cacheDir>/index.db}, the
 * default index when the default cache is used). Options ({@link Options}): {@code spec}, {@code
 * schemaVersion}, {@code cyclonedx}. Host tools: none.
 *
 * <p>Verify checks (reading only) that an existing index file is an index it can write, so a
 * corrupt or foreign file fails the build before any work instead of after it, and that the output
 * directory holds no image of another spec ({@link OtherSpecImages}).
 */
public final class RecordManifestStage implements Stage {
  /**
   * What the record stage reads.
   *
   * @param spec the spec the manifest records
   * @param schemaVersion the manifest's schema version
   * @param cyclonedx the CycloneDX version of the SBOM
   */
  public record Options(ImageSpec spec, int schemaVersion, String cyclonedx) {
    /**
     * The options for {@code spec}, with the schema versions this library writes.
     *
     * @param spec the spec
     * @return the options
     */
    public static Options of(ImageSpec spec) {
      return new Options(spec, Manifest.SCHEMA_VERSION, CycloneDxSbom.VERSION.getVersionString());
    }
  }

  private final Options options;

  /**
   * The stage for {@code options}.
   *
   * @param options what it reads
   */
  public RecordManifestStage(Options options) {
    this.options = options;
  }

  @Override
  public String type() {
    return "manifest.record";
  }

  @Override
  public String summary() {
    return "write the manifest, package list and CycloneDX SBOM beside the artifacts; record the build in the index";
  }

  @Override
  public Phase phase() {
    return Phase.RECORD;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    IndexFile.checkUsable(ImageIndex.fileIn(context.cacheDir()));
    OtherSpecImages.refuse(context.outputDir(), options.spec().specHash());
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    Manifest base = RootfsManifest.of(options.spec(), context, RootfsManifest.stagesSoFar(context));
    Manifest manifest = base.withArtifacts(artifacts(context));
    String image = imageName(context.artifacts(), manifest.specHash());
    Path dir = context.outputDir();
    try {
      OutputFiles.write(dir.resolve(image + ".manifest"), Manifests.ubuntuManifest(manifest));
      OutputFiles.write(dir.resolve(image + ".cdx.json"), Manifests.cycloneDx(manifest, image));
      OutputFiles.write(dir.resolve(image + BuildResult.LOCK_SUFFIX), manifest.lock().toJson());
      for (String suffix : List.of(".manifest", ".cdx.json", BuildResult.LOCK_SUFFIX)) {
        context.addOutputFile(dir.resolve(image + suffix));
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the manifest of " + image + " to " + dir + ": " + e.getMessage(), e);
    }
    context.setManifest(new BuildManifest(image, manifest.toJson()));
  }

  /**
   * Records the build in the index, a build served from the stage cache too: one image row per
   * distinct artifact, a build record per build. The manifest is read back from the file the engine
   * wrote (or restored), so the index holds the very bytes beside the artifacts.
   */
  @Override
  public void finished(FinishedBuild build, Consumer<String> log) throws ImageBuildException {
    if (build.manifest().isEmpty()) {
      return;
    }
    Manifest manifest;
    try {
      manifest = Manifests.read(build.manifestFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the manifest " + build.manifestFile() + ": " + e.getMessage(), e);
    }
    BuildOrigin origin =
        new BuildOrigin(
            build.plan().id(), build.plan().toJson(), build.outputDir().toAbsolutePath());
    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(build.cacheDir()))) {
      long id = index.record(manifest, origin);
      log.accept(
          "recorded build "
              + id
              + " of spec "
              + manifest.specHash()
              + " in "
              + index.file()
              + (build.fromCache() ? " (its result from the stage cache)" : ""));
    }
  }

  private static List<ManifestArtifact> artifacts(StageContext context) {
    Map<String, List<ImagePartition>> partitions = context.provenance().partitions();
    List<ManifestArtifact> out = new ArrayList<>();
    for (Artifact a : context.artifacts()) {
      ManifestArtifact artifact = ManifestArtifact.of(a);
      List<ImagePartition> parts = partitions.getOrDefault(artifact.file(), List.of());
      out.add(
          artifact.withPartitions(
              parts.stream()
                  .map(
                      p ->
                          new ManifestPartition(
                              p.number(),
                              p.name(),
                              p.type(),
                              p.filesystem(),
                              p.offset(),
                              p.size(),
                              p.sha256()))
                  .toList()));
    }
    return out;
  }

  /**
   * The first artifact's file name without its format's extension; {@code image-<spec hash prefix>}
   * when the build wrote no artifact.
   */
  static String imageName(List<Artifact> artifacts, String specHash) {
    if (artifacts.isEmpty()) {
      return "image-" + specHash.substring(0, 12);
    }
    Artifact first = artifacts.get(0);
    String name = first.file().getFileName().toString();
    String suffix = "." + first.format().extension();
    if (name.endsWith(suffix) && name.length() > suffix.length()) {
      return name.substring(0, name.length() - suffix.length());
    }
    int dot = name.indexOf('.', 1);
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
