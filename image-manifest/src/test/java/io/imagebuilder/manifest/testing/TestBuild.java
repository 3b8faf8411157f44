package io.imagebuilder.manifest.testing;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.ImagePartition;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageProvider;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.internal.engine.EventBus;
import io.imagebuilder.internal.engine.Planner;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.testing.TestExecutors;
import io.imagebuilder.manifest.internal.stages.ManifestStageProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a build through the real engine and planner with the manifest stages and stand-ins for what
 * other modules do: a bootstrap that writes the dpkg database and records repositories and origins,
 * a finalise that clamps timestamps, and an assemble that writes a sorted tar.zst (plus the
 * partitions of a pretend disk image, to exercise {@code StandardKeys.PARTITIONS}).
 */
public final class TestBuild {
  public static final String TARBALL = "bookworm-amd64.tar.zst";

  private TestBuild() {}

  /**
   * Builds {@code spec} with work dir under {@code temp}; the artifacts go to {@code out}, the
   * index to {@code cache}.
   */
  public static Engine.Outcome run(ImageSpec spec, Path temp, Path out, Path cache)
      throws ImageBuildException, IOException {
    return run(spec, temp, out, cache, false);
  }

  /** {@link #run(ImageSpec, Path, Path, Path)} with the engine's stage cache on or off. */
  public static Engine.Outcome run(
      ImageSpec spec, Path temp, Path out, Path cache, boolean stageCache)
      throws ImageBuildException, IOException {
    Path work = Files.createTempDirectory(temp, "work");
    Plan plan = new Planner(List.of(new StandInProvider(), new ManifestStageProvider())).plan(spec);
    Engine engine =
        new Engine(
            new Engine.Settings(
                spec,
                null,
                out,
                cache,
                work,
                root ->
                    TestExecutors.refusing("no command is expected in this test")
                        .open(root, Architecture.AMD64),
                new EventBus(),
                "test",
                new Cancellation(),
                null,
                stageCache,
                Duration.ZERO, // every tree kept, however quick its stages
                Duration.ZERO)); // every cached result checked
    return engine.run(plan);
  }

  /** The plan the planner makes for {@code spec} with the stand-ins and the manifest stages. */
  public static Plan plan(ImageSpec spec) {
    return new Planner(List.of(new StandInProvider(), new ManifestStageProvider())).plan(spec);
  }

  /** Stands in for image-rootfs and image-arm. */
  public static final class StandInProvider implements StageProvider {
    @Override
    public List<Stage> stages(ImageSpec spec) {
      return List.of(
          stage("test.bootstrap", Phase.BOOTSTRAP, 0, TestBuild::bootstrap),
          stage("test.finalise", Phase.FINALISE, 0, TestBuild::clampTimestamps),
          stage("test.assemble", Phase.ASSEMBLE, 0, TestBuild::assemble));
    }
  }

  private interface Body {
    void run(StageContext context) throws Exception;
  }

  private static Stage stage(String type, Phase phase, int order, Body body) {
    return new Stage() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public String summary() {
        return type;
      }

      @Override
      public Phase phase() {
        return phase;
      }

      @Override
      public int orderInPhase() {
        return order;
      }

      @Override
      public Map<String, Object> options() {
        return Map.of();
      }

      @Override
      public List<OutputFormat> produces() {
        return phase == Phase.ASSEMBLE ? List.of(OutputFormat.TAR_ZST) : List.of();
      }

      @Override
      public void run(StageContext context) throws ImageBuildException {
        try {
          body.run(context);
        } catch (Exception e) {
          throw new ImageBuildException(type + " failed: " + e, e);
        }
      }
    };
  }

  private static void bootstrap(StageContext context) throws IOException {
    Fixtures.rootfs(context.rootfs());
    Fixtures.repositories().forEach(context::addRepository);
    context.addPackageOrigins(Fixtures.origins().values());
  }

  private static void clampTimestamps(StageContext context) throws IOException {
    FileTime time = FileTime.from(Instant.ofEpochSecond(context.sourceDateEpoch().orElseThrow()));
    try (Stream<Path> all = Files.walk(context.rootfs())) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, time);
      }
    }
  }

  private static void assemble(StageContext context) throws IOException {
    Path tarball = Tarballs.write(context.rootfs(), context.outputDir().resolve(TARBALL));
    context.addArtifact(
        new Artifact(tarball, OutputFormat.TAR_ZST, Files.size(tarball), Sha256.ofFile(tarball)));
    context.addPartitions(
        TARBALL,
        List.of(
            new ImagePartition(
                1, "rootfs", null, "ext4", 1_048_576, 4096, Fixtures.sha("partition 1"))));
  }
}
