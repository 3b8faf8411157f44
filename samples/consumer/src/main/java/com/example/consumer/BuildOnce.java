package com.example.consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.imagebuilder.api.BuildHandle;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.event.StageFinished;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a bookworm amd64 minbase root filesystem through a run configuration, on the library's
 * own thread, waiting with a timeout, and prints what it built as YAML: artifacts with their
 * sha256, the spec hash and the stages run. Arguments: the output directory and the cache
 * directory.
 */
public final class BuildOnce {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path cache = Path.of(args[1]);
    ImageBuilder image = ImageBuilder.forSeries("bookworm").forArchitecture("amd64").withVariant("minbase");
    RunConfiguration run = RunConfiguration.into(out)
        .withCacheDir(cache)
        .withTimeout(Duration.ofMinutes(20))
        .onEvent(StageFinished.class, e -> System.err.println("done: " + e.stageType()));

    BuildHandle handle = image.start(run);
    BuildResult result = handle.await(Duration.ofMinutes(21));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("specHash", result.specHash());
    report.put("artifacts", result.artifacts().stream()
        .map(a -> Map.of("file", out.relativize(a.file()).toString(), "sha256", a.sha256()))
        .toList());
    report.put("stages", handle.completedStages().stream().map(s -> s.type()).toList());
    System.out.print(new ObjectMapper(new YAMLFactory()).writeValueAsString(report));
  }

  private BuildOnce() {}
}
