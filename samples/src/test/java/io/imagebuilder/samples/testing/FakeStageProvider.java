package io.imagebuilder.samples.testing;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Test-only stages: a bootstrap that reports download progress, a package stage that runs apt-get
 * through the executor, and a tar.zst assembly that writes a small file. Not registered with {@code
 * ServiceLoader}: a test gives it to the build ({@code RunConfiguration.withStageProviders}), so
 * real builds on the same classpath never see it.
 */
public final class FakeStageProvider implements StageProvider {
  public static final String PREFIX = "fake.";

  /** A package the fake apt-get fails on, to make a build fail in a stage. */
  public static final String FAILING_PACKAGE = "fail-me";

  @Override
  public List<Stage> stages(ImageSpec spec) {
    List<Stage> stages = new ArrayList<>();
    stages.add(new Bootstrap(spec));
    if (!spec.packages().isEmpty()) {
      stages.add(new Packages(spec.packages()));
    }
    if (spec.outputs().contains(OutputFormat.TAR_ZST)) {
      stages.add(new TarZst(spec.series(), spec.architecture().debianName()));
    }
    return stages;
  }

  record Bootstrap(ImageSpec spec) implements Stage {
    @Override
    public String type() {
      return PREFIX + "bootstrap";
    }

    @Override
    public String summary() {
      return "bootstrap " + spec.seriesRef() + " " + spec.variant() + " for " + spec.architecture();
    }

    @Override
    public Phase phase() {
      return Phase.BOOTSTRAP;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of(
          "series", spec.seriesRef().toString(),
          "architecture", spec.architecture().debianName(),
          "variant", spec.variant().id());
    }

    @Override
    public void run(StageContext context) {
      long total = 8L * 1024 * 1024;
      for (long done = 0; done <= total; done += total / 8) {
        context.progressBytes("downloading packages", done, total);
      }
      context.log("fake bootstrap of " + spec.seriesRef());
    }
  }

  record Packages(List<String> packages) implements Stage {
    @Override
    public String type() {
      return PREFIX + "packages";
    }

    @Override
    public String summary() {
      return "install " + String.join(" ", packages);
    }

    @Override
    public Phase phase() {
      return Phase.PACKAGES;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of("packages", packages);
    }

    @Override
    public void run(StageContext context) throws ImageBuildException, InterruptedException {
      List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y"));
      argv.addAll(packages);
      context.run(argv.toArray(String[]::new));
    }
  }

  record TarZst(String series, String architecture) implements Stage {
    @Override
    public String type() {
      return PREFIX + "tar";
    }

    @Override
    public String summary() {
      return "write the rootfs as tar.zst";
    }

    @Override
    public Phase phase() {
      return Phase.ASSEMBLE;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of("format", "tar.zst");
    }

    @Override
    public List<OutputFormat> produces() {
      return List.of(OutputFormat.TAR_ZST);
    }

    @Override
    public void run(StageContext context) throws ImageBuildException {
      byte[] content =
          ("fake rootfs of " + series + "/" + architecture + "\n").getBytes(StandardCharsets.UTF_8);
      Path file = context.outputDir().resolve(series + "-" + architecture + ".tar.zst");
      try {
        Files.write(file, content);
        String sha256 =
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        context.addArtifact(new Artifact(file, OutputFormat.TAR_ZST, content.length, sha256));
      } catch (IOException | NoSuchAlgorithmException e) {
        throw new ImageBuildException("cannot write " + file + ": " + e, e);
      }
    }
  }
}
