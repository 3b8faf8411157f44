package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.BuildManifest;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.internal.testing.TestExecutors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage cache: an unchanged plan with unchanged inputs returns the earlier build's result. */
class StageCacheTest {
  @TempDir Path temp;

  private final List<String> runs = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  /** One stage that reads a host file (recorded as an input) and writes it out as a tarball. */
  private Stage tarballOf(Path input, String option) {
    return new Stage() {
      @Override
      public String type() {
        return "test.tarball";
      }

      @Override
      public String summary() {
        return "copy " + input;
      }

      @Override
      public Phase phase() {
        return Phase.BOOTSTRAP;
      }

      @Override
      public Map<String, Object> options() {
        return Map.of("option", option);
      }

      @Override
      public List<OutputFormat> produces() {
        return List.of(OutputFormat.TAR_ZST);
      }

      @Override
      public void run(StageContext context) throws IOException {
        runs.add(option);
        byte[] bytes = Files.readAllBytes(input);
        String sha = Hashing.sha256().hashBytes(bytes).toString();
        context.recordInput(
            new ResolvedInput(ResolvedInput.FILE, input.toAbsolutePath().toString(), sha));
        Path out = context.outputDir().resolve("image.tar.zst");
        Files.write(out, bytes);
        context.addArtifact(new Artifact(out, OutputFormat.TAR_ZST, bytes.length, sha));
        context.setManifest(new BuildManifest("image", "{\"from\":\"" + option + "\"}"));
      }
    };
  }

  private BuildResult build(Stage stage, String out) throws Exception {
    return build(stage, out, Duration.ZERO);
  }

  private BuildResult build(Stage stage, String out, Duration trust) throws Exception {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .build(
            RunConfiguration.into(temp.resolve(out))
                .withCacheDir(temp.resolve("cache"))
                .withExecutor(TestExecutors.succeeding())
                .withStageCache(true)
                .withCachedResultsTrustedFor(trust)
                .withStageProviders(List.of(spec -> List.of(stage)))
                .onEvent(LogLine.class, l -> log.add(l.message())));
  }

  @Test
  void anUnchangedPlanWithUnchangedInputsReturnsTheSameBytesWithoutRunningAStage()
      throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "the image's bytes");
    BuildResult first = build(tarballOf(input, "a"), "out1");
    BuildResult second = build(tarballOf(input, "a"), "out2");

    assertEquals(List.of("a"), runs, "the second build ran no stage");
    assertFalse(first.fromCache());
    assertTrue(second.fromCache());
    Artifact a = first.artifacts().get(0);
    Artifact b = second.artifacts().get(0);
    assertEquals(temp.resolve("out2/image.tar.zst").toAbsolutePath(), b.file());
    assertEquals(a.sha256(), b.sha256());
    assertArrayEquals(Files.readAllBytes(a.file()), Files.readAllBytes(b.file()));
    assertEquals(
        "{\"from\":\"a\"}",
        Files.readString(temp.resolve("out2/image.manifest.json")),
        "the manifest the engine wrote comes along");
    assertEquals(temp.resolve("out1/image.manifest.json"), first.manifestFile());
    assertEquals(temp.resolve("out2/image.manifest.json"), second.manifestFile());
    assertEquals(first.stages(), second.stages(), "the stages that made the bytes");
    assertTrue(
        log.stream().anyMatch(l -> l.startsWith("reused the result of an earlier build")),
        log.toString());
  }

  @Test
  void aReusedResultBringsTheLogsOfTheBuildThatMadeItsBytes() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "the image's bytes");
    build(tarballOf(input, "a"), "out1");
    Path firstLog = temp.resolve("out1/logs/01-test.tarball.log");
    assertTrue(Files.isRegularFile(firstLog), "the first build wrote its stage log");
    Files.createDirectories(temp.resolve("out2/logs"));
    Files.writeString(temp.resolve("out2/logs/01-test.tarball.log"), "an older build's log");

    BuildResult second = build(tarballOf(input, "a"), "out2");

    assertTrue(second.fromCache());
    assertEquals(
        Files.readString(firstLog),
        Files.readString(temp.resolve("out2/logs/01-test.tarball.log")),
        "the log beside the reused bytes is the one of the build that made them");
  }

  @Test
  void aChangedInputOrAChangedOptionBuildsAgain() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "one");
    build(tarballOf(input, "a"), "out1");
    build(tarballOf(input, "b"), "out2");
    assertEquals(List.of("a", "b"), runs, "another option is another plan");

    Files.writeString(input, "two");
    BuildResult changed = build(tarballOf(input, "a"), "out3");

    assertEquals(List.of("a", "b", "a"), runs);
    assertFalse(changed.fromCache());
    assertEquals("two", Files.readString(changed.artifacts().get(0).file()));
    assertTrue(
        log.stream().anyMatch(l -> l.contains("changed since the cached build")), log.toString());
  }

  @Test
  void aResultYoungerThanTheTrustedAgeIsReturnedEvenThoughAnInputChanged() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "one");
    build(tarballOf(input, "a"), "out1");
    Files.writeString(input, "two");

    BuildResult trusted = build(tarballOf(input, "a"), "out2", Duration.ofDays(1));

    assertTrue(trusted.fromCache());
    assertEquals("one", Files.readString(trusted.artifacts().get(0).file()));
    assertEquals(List.of("a"), runs, "no stage ran");
    assertTrue(
        log.stream().anyMatch(l -> l.contains("trusting the result without checking its inputs")),
        log.toString());
  }

  @Test
  void aResultOlderThanTheTrustedAgeIsCheckedAndBuiltAgainWhenAnInputChanged() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "one");
    build(tarballOf(input, "a"), "out1");
    Files.writeString(input, "two");
    Thread.sleep(20);

    BuildResult checked = build(tarballOf(input, "a"), "out2", Duration.ofMillis(10));

    assertFalse(checked.fromCache());
    assertEquals("two", Files.readString(checked.artifacts().get(0).file()));
    assertEquals(List.of("a", "a"), runs);
  }

  @Test
  void aDamagedCachedArtifactIsNeverHandedOutAndTheNextBuildRepairsTheEntry() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "good bytes");
    build(tarballOf(input, "a"), "out1");
    Path cached;
    try (Stream<Path> files = Files.walk(temp.resolve("cache/results"))) {
      cached =
          files
              .filter(f -> f.getFileName().toString().equals("image.tar.zst"))
              .findFirst()
              .orElseThrow();
    }
    Files.writeString(cached, "evil bytes");

    BuildResult second = build(tarballOf(input, "a"), "out2");
    assertFalse(second.fromCache());
    assertEquals("good bytes", Files.readString(second.artifacts().get(0).file()));

    BuildResult third = build(tarballOf(input, "a"), "out3");
    assertTrue(third.fromCache(), "the entry was stored anew");
    assertEquals("good bytes", Files.readString(third.artifacts().get(0).file()));
    assertEquals(List.of("a", "a"), runs);
  }

  @Test
  void anArtifactChangedInPlaceAfterItsBuildIsNeverRestored() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "good bytes");
    BuildResult first = build(tarballOf(input, "a"), "out1");
    // what booting a raw image does: the same file, written in place
    Files.writeString(first.artifacts().get(0).file(), "booted bytes");

    BuildResult second = build(tarballOf(input, "a"), "out2");
    assertFalse(second.fromCache());
    assertEquals("good bytes", Files.readString(second.artifacts().get(0).file()));
    assertEquals(List.of("a", "a"), runs);
  }

  @Test
  void switchedOffItNeitherReadsNorWritesTheCache() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "x");
    for (String out : List.of("out1", "out2")) {
      ImageBuilder.forSeries("bookworm")
          .forArchitecture(Architecture.AMD64)
          .build(
              RunConfiguration.into(temp.resolve(out))
                  .withCacheDir(temp.resolve("cache"))
                  .withExecutor(TestExecutors.succeeding())
                  .withStageCache(false)
                  .withStageProviders(List.of(spec -> List.of(tarballOf(input, "a")))));
    }
    assertEquals(List.of("a", "a"), runs);
    assertFalse(Files.exists(temp.resolve("cache/results")));
  }

  @Test
  void aCachedResultNeverOverwritesOtherBytesInTheOutputDirectory() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "cached bytes");
    build(tarballOf(input, "a"), "out1");
    Path out = Files.createDirectories(temp.resolve("out2"));
    Files.writeString(out.resolve("image.manifest.json"), "{\"from\":\"someone else\"}");

    BuildResult second = build(tarballOf(input, "a"), "out2");

    assertFalse(second.fromCache(), "the build ran and its own checks decided");
    assertTrue(
        log.stream().anyMatch(l -> l.contains("holds other bytes than the cached result's")),
        log.toString());
  }
}
