package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.samples.testing.ItBuilds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stage cache with real bookworm minbase amd64 builds in one cache, as a user would make them:
 * the command line builds the default image twice (the second run returns the same bytes from the
 * result cache without bootstrapping, after checking the archive's InRelease is still the one the
 * first build used, and records its build in the index beside the first's), then with one package
 * added (it starts from the cached bootstrap); through the API, a build made to fail in its last
 * tree stage is run again fixed and resumes from the last tree the cache kept, without
 * bootstrapping.
 */
class StageCacheIT {
  /** {@code java -jar imagebuilder.jar build ...} with the stage cache on (its default). */
  private static Run build(Path cache, Path out, String... more) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dimagebuilder.stageCache=true",
                "-jar",
                ItBuilds.cliJar().toString(),
                "build",
                "--cache",
                cache.toString(),
                "--out",
                out.toString()));
    argv.addAll(List.of(more));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    return new Run(output, (System.nanoTime() - start) / 1e9);
  }

  private record Run(String output, double seconds) {
    String sha256() {
      return output
          .lines()
          .filter(l -> l.startsWith("sha256:"))
          .findFirst()
          .orElseThrow()
          .substring(7)
          .strip();
    }

    String line(String start) {
      return output
          .lines()
          .filter(l -> l.contains(start))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no line with '" + start + "' in:\n" + output));
    }
  }

  /** A last tree stage that runs {@code sh -c script} in the target. */
  private record Check(String script) implements Stage {
    @Override
    public String type() {
      return "it.check";
    }

    @Override
    public String summary() {
      return "sh -c '" + script + "'";
    }

    @Override
    public Phase phase() {
      return Phase.FINALISE;
    }

    @Override
    public int orderInPhase() {
      return Integer.MAX_VALUE;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of("script", script);
    }

    @Override
    public void run(StageContext context)
        throws io.imagebuilder.api.error.ImageBuildException, InterruptedException {
      context.run(io.imagebuilder.api.exec.Command.of("sh", "-c", script));
    }
  }

  /** The plan with {@code check} after its last tree-building stage. */
  private static Plan withCheck(Plan plan, Check check) {
    String lastTreeStage = null;
    for (PlannedStage p : plan.stages()) {
      if (p.stage().phase().compareTo(Phase.ASSEMBLE) < 0) {
        lastTreeStage = p.type();
      }
    }
    return plan.insertAfter(lastTreeStage, check);
  }

  private static List<String> buildWithCheck(Path cache, Path out, String script) throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .withHostname("resumed")
        .withPlanTransform(plan -> withCheck(plan, new Check(script)))
        .build(
            RunConfiguration.into(out)
                .withCacheDir(cache)
                .withStageCache(true)
                .onEvent(LogLine.class, l -> log.add(l.message())));
    return log;
  }

  @Test
  void sameSpecFromTheResultCacheOnePackageMoreFromTheCachedBootstrapAndAFailedBuildResumes()
      throws Exception {
    Path work = ItBuilds.freshWorkDir("stage-cache");
    Path cache = work.resolve("cache");

    Run first = build(cache, work.resolve("out1"));
    Run second = build(cache, work.resolve("out2"));
    Run oneMore = build(cache, work.resolve("out3"), "--package", "hello");
    System.out.printf(
        "StageCacheIT: first build %.1f s, second (from the stage cache) %.1f s wall, JVM start included;"
            + " with one package added %.1f s%n",
        first.seconds(), second.seconds(), oneMore.seconds());

    assertFalse(first.output().contains("from the stage cache"), first.output());
    assertTrue(second.output().contains("reused the result of an earlier build"), second.output());
    assertFalse(second.output().contains("rootfs.bootstrap"), "no stage ran: " + second.output());
    assertEquals(first.sha256(), second.sha256());
    Path tarball = work.resolve("out2/debian-bookworm-amd64.tar.zst");
    assertEquals(
        second.sha256(),
        ItBuilds.host("sha256sum", tarball.toString()).substring(0, 64),
        "the file is what was reported");
    assertTrue(
        Files.isRegularFile(work.resolve("out2/debian-bookworm-amd64.manifest.json")),
        "the manifest comes along");
    // Its time is printed above, a figure for the notes: speed is the benchmark's to measure.
    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(cache))) {
      // Three builds so far, two distinct tarballs: the one from the cache adds no image row.
      assertEquals(2, index.imageCount(), "one image row per distinct tarball");
      assertEquals(3, index.buildCount(), "a build record per build");
      var builds =
          index.buildsOfSpec(index.lookup(second.sha256()).orElseThrow().specHash()).stream()
              .map(b -> b.outputDir())
              .sorted()
              .toList();
      assertEquals(
          List.of(work.resolve("out1").toAbsolutePath(), work.resolve("out2").toAbsolutePath()),
          builds,
          "a build record per build, the cached one too");
    }

    String reused = oneMore.line("reused stages 1-");
    System.out.println("StageCacheIT: " + reused);
    assertTrue(reused.contains("(rootfs.bootstrap"), reused);
    String reusedTypes = reused.substring(reused.indexOf('(') + 1, reused.indexOf(')'));
    assertFalse(
        reusedTypes.contains("rootfs.packages"), "the packages stage must run again: " + reused);
    // The quick sources and lists stages' trees may not be kept: the reuse then starts at one.
    assertTrue(
        reused.contains("starting at rootfs.sources")
            || reused.contains("starting at rootfs.lists")
            || reused.contains("starting at rootfs.packages"),
        reused);
    assertTrue(
        Files.readString(work.resolve("out3/debian-bookworm-amd64.manifest.json"))
            .contains("\"hello\""),
        "the package is in the image");

    Path failedOut = work.resolve("out4");
    StageFailedException failed =
        assertThrows(StageFailedException.class, () -> buildWithCheck(cache, failedOut, "exit 3"));
    assertEquals(
        "it.check",
        failed.buildState().orElseThrow().failedStage().orElseThrow(),
        failed.getMessage());
    List<String> fixed = buildWithCheck(cache, work.resolve("out5"), "test -f /etc/hostname");
    String resumed =
        fixed.stream()
            .filter(l -> l.startsWith("reused stages 1-"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no reuse in " + fixed));
    System.out.println("StageCacheIT: after the failed build: " + resumed);
    // The cache keeps a tree only after enough work to be worth a copy: the bootstrap's, at least;
    // the quick stages after it run again, then the check.
    int stagesBefore = failed.buildState().orElseThrow().completedStages().size();
    Matcher reusedCount =
        Pattern.compile("^reused stages 1-(\\d+) from the stage cache \\(rootfs\\.bootstrap")
            .matcher(resumed);
    assertTrue(reusedCount.find(), resumed);
    int count = Integer.parseInt(reusedCount.group(1));
    assertTrue(
        count >= 1 && count <= stagesBefore,
        "the check, stage " + (stagesBefore + 1) + ", ran: " + resumed);
  }
}
