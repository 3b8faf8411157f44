package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.internal.testing.TestExecutors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/**
 * The stage cache of trees: a build whose plan shares its first stages with an earlier build's
 * starts from the cached tree after them, with the facts they recorded; a failed build resumes from
 * the stage before the one that failed.
 */
class StageResumeTest {
  @TempDir Path temp;

  /** A fact that is data, restored from the cache. */
  record Base(String name, List<String> files) {}

  static final ContextKey<Base> BASE = ContextKey.of("test.base", Base.class);

  /** A fact that is behaviour, not kept by the cache. */
  static final ContextKey<PackageInstaller> INSTALLER =
      ContextKey.of("test.installer", PackageInstaller.class);

  private final List<String> runs = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private boolean failFinalise;
  private long bootstrapMillis;

  /** Every tree kept, however quick its stage, unless a test sets it. */
  private Duration keepTreeAfter = Duration.ZERO;

  /** A tree-building stage that writes {@code file} into the rootfs; the body adds more. */
  private abstract class TreeStage implements Stage {
    final String type;
    final Phase phase;
    final String content;

    TreeStage(String type, Phase phase, String content) {
      this.type = type;
      this.phase = phase;
      this.content = content;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public String summary() {
      return type + " " + content;
    }

    @Override
    public Phase phase() {
      return phase;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of("content", content);
    }

    @Override
    public void run(StageContext context) throws IOException {
      runs.add(type);
      Path file = context.rootfs().resolve(type);
      Files.writeString(file, content);
      body(context);
    }

    abstract void body(StageContext context) throws IOException;
  }

  private Stage bootstrap(Path input) {
    return new TreeStage("test.bootstrap", Phase.BOOTSTRAP, "base") {
      @Override
      void body(StageContext context) throws IOException {
        byte[] bytes = Files.readAllBytes(input);
        context.recordInput(
            new ResolvedInput(
                ResolvedInput.FILE,
                input.toAbsolutePath().toString(),
                Hashing.sha256().hashBytes(bytes).toString()));
        Files.createDirectories(context.rootfs().resolve("usr/bin"));
        Path tool = Files.write(context.rootfs().resolve("usr/bin/tool"), bytes);
        Files.setAttribute(tool, "unix:mode", 04755); // setuid: kept by the cached copy
        Files.createLink(context.rootfs().resolve("usr/bin/tool-link"), tool);
        Files.createSymbolicLink(context.rootfs().resolve("usr/bin/alias"), Path.of("tool"));
        context.put(BASE, new Base("bookworm", List.of("usr/bin/tool")));
        context.put(INSTALLER, (c, options, packages) -> {});
        context.setSourceDateEpoch(1700000000L);
        try {
          Thread.sleep(bootstrapMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    };
  }

  private Stage packages(String list) {
    return new TreeStage("test.packages", Phase.PACKAGES, list) {
      @Override
      void body(StageContext context) throws IOException {
        Base base = context.get(BASE).orElseThrow(() -> new IOException("no base fact"));
        Files.writeString(
            context.rootfs().resolve("base-name"),
            base.name()
                + " "
                + base.files()
                + " installer "
                + context.get(INSTALLER).isPresent()
                + " epoch "
                + context.sourceDateEpoch().orElse(0L));
      }
    };
  }

  private Stage finalise() {
    return new TreeStage("test.finalise", Phase.FINALISE, "clean") {
      @Override
      void body(StageContext context) throws IOException {
        if (failFinalise) {
          throw new IOException("finalise made to fail");
        }
      }
    };
  }

  /** Writes the rootfs' files, sorted, with their content, as the artifact. */
  private Stage listing() {
    return new Stage() {
      @Override
      public String type() {
        return "test.listing";
      }

      @Override
      public String summary() {
        return "list the tree";
      }

      @Override
      public Phase phase() {
        return Phase.ASSEMBLE;
      }

      @Override
      public Map<String, Object> options() {
        return Map.of();
      }

      @Override
      public List<OutputFormat> produces() {
        return List.of(OutputFormat.TAR_ZST);
      }

      @Override
      public void run(StageContext context) throws IOException {
        runs.add(type());
        StringBuilder s = new StringBuilder();
        Path root = context.rootfs();
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f : files.sorted().toList()) {
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              s.append(root.relativize(f))
                  .append(' ')
                  .append(
                      Integer.toOctalString(
                          (Integer)
                                  Files.getAttribute(
                                      f, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                              & 07777))
                  .append(" links=")
                  .append(Files.getAttribute(f, "unix:nlink"))
                  .append(": ")
                  .append(Files.readString(f))
                  .append('\n');
            } else if (Files.isSymbolicLink(f)) {
              s.append(root.relativize(f))
                  .append(" -> ")
                  .append(Files.readSymbolicLink(f))
                  .append('\n');
            }
          }
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        Path out = Files.write(context.outputDir().resolve("image.tar.zst"), bytes);
        context.addArtifact(
            new Artifact(
                out,
                OutputFormat.TAR_ZST,
                bytes.length,
                Hashing.sha256().hashBytes(bytes).toString()));
      }
    };
  }

  private BuildResult build(String out, Stage... stages) throws Exception {
    log.add("--- build " + out);
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .build(
            RunConfiguration.into(temp.resolve(out))
                .withCacheDir(temp.resolve("cache"))
                .withExecutor(TestExecutors.succeeding())
                .withStageCache(true)
                .keepingTreesAfter(keepTreeAfter)
                .withStageProviders(List.of(spec -> List.of(stages)))
                .onEvent(LogLine.class, l -> log.add(l.message())));
  }

  private String listing(BuildResult result) throws IOException {
    return Files.readString(result.artifacts().get(0).file());
  }

  @Test
  void aChangedPackageListStartsFromTheCachedBootstrapWithItsTreeAndFacts() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "tool bytes");
    BuildResult first = build("out1", bootstrap(input), packages("a"), finalise(), listing());
    BuildResult second = build("out2", bootstrap(input), packages("a b"), finalise(), listing());

    assertEquals(
        List.of(
            "test.bootstrap",
            "test.packages",
            "test.finalise",
            "test.listing",
            "test.packages",
            "test.finalise",
            "test.listing"),
        runs,
        "the second build did not bootstrap");
    assertTrue(log.contains("--- build out2"));
    String reused =
        log.stream().filter(l -> l.startsWith("reused stages")).findFirst().orElseThrow();
    assertTrue(
        reused.startsWith(
            "reused stages 1-1 from the stage cache (test.bootstrap), starting at test.packages"),
        reused);
    assertTrue(
        reused.contains("facts not kept (the stages that need them rebuild them): test.installer"),
        reused);
    assertEquals(
        listing(first)
            .replace("test.packages 644 links=1: a\n", "test.packages 644 links=1: a b\n")
            .replace("installer true", "installer false"),
        listing(second),
        "the same tree but the package list");
    assertTrue(
        listing(second)
            .contains(
                "base-name 644 links=1: bookworm [usr/bin/tool] installer false epoch 1700000000"),
        "the record fact and SOURCE_DATE_EPOCH were restored, the behaviour fact was not: "
            + listing(second));
    assertTrue(
        listing(second).contains("usr/bin/tool 4755 links=2: tool bytes"),
        "mode and hard link kept: " + listing(second));
    assertTrue(listing(second).contains("usr/bin/alias -> tool"), listing(second));
    assertEquals(
        first.stages().get(0),
        second.stages().get(0),
        "the reused stage is reported as it ran first");
    assertEquals(4, second.stages().size());
    assertTrue(
        Files.readString(temp.resolve("out2/logs/01-test.bootstrap.log"))
            .contains("reused from the stage cache entry"),
        "the reused stage's log says so");
  }

  @Test
  void theTreeAfterAQuickStageIsNotKeptAndTheNextBuildRunsItAgain() throws Exception {
    bootstrapMillis = 300;
    keepTreeAfter = Duration.ofMillis(200);
    Path input = Files.writeString(temp.resolve("input"), "tool bytes");
    build("out1", bootstrap(input), packages("a"), finalise(), listing());
    try (Stream<Path> entries = Files.list(temp.resolve("cache/stages"))) {
      assertEquals(1, entries.count(), "only the slow bootstrap's tree is kept");
    }

    BuildResult second = build("out2", bootstrap(input), packages("a"), listing());

    assertEquals(
        List.of(
            "test.bootstrap",
            "test.packages",
            "test.finalise",
            "test.listing",
            "test.packages",
            "test.listing"),
        runs,
        "the quick packages stage ran again on the kept bootstrap tree");
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "reused stages 1-1 from the stage cache (test.bootstrap), starting at"
                            + " test.packages")),
        log.toString());
    assertTrue(listing(second).contains("base-name 644 links=1: bookworm"), listing(second));
  }

  @Test
  void aBuildThatFailedInItsLastTreeStageResumesFromTheStageBefore() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "tool bytes");
    failFinalise = true;
    assertThrows(
        StageFailedException.class,
        () -> build("out1", bootstrap(input), packages("a"), finalise(), listing()));
    failFinalise = false;
    BuildResult fixed = build("out2", bootstrap(input), packages("a"), finalise(), listing());

    assertEquals(
        List.of(
            "test.bootstrap", "test.packages", "test.finalise", "test.finalise", "test.listing"),
        runs);
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "reused stages 1-2 from the stage cache (test.bootstrap"
                            + " test.packages), starting at test.finalise")),
        log.toString());
    assertFalse(fixed.fromCache());
    assertTrue(listing(fixed).contains("test.finalise 644 links=1: clean"));

    BuildResult again = build("out3", bootstrap(input), packages("a"), finalise(), listing());
    assertTrue(again.fromCache(), "the whole result is cached now");
    assertEquals(listing(fixed), listing(again));
  }

  @Test
  void aChangedInputOfTheFirstStageReusesNothing() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "one");
    build("out1", bootstrap(input), packages("a"), finalise(), listing());
    Files.writeString(input, "two");
    BuildResult second = build("out2", bootstrap(input), packages("a b"), finalise(), listing());

    assertEquals(2, Collections.frequency(runs, "test.bootstrap"), runs.toString());
    assertTrue(listing(second).contains("usr/bin/tool 4755 links=2: two"), listing(second));
    assertTrue(log.stream().noneMatch(l -> l.startsWith("reused stages")), log.toString());
    assertTrue(
        log.stream().anyMatch(l -> l.contains("changed since stage 1 was cached")), log.toString());
  }

  @Test
  void aChangedEarlierStageMakesEveryLaterEntryUnusable() throws Exception {
    Path input = Files.writeString(temp.resolve("input"), "tool bytes");
    build("out1", bootstrap(input), packages("a"), finalise(), listing());
    Stage otherBootstrap =
        new TreeStage("test.bootstrap", Phase.BOOTSTRAP, "other base") {
          @Override
          void body(StageContext context) {
            context.put(BASE, new Base("other", List.of()));
          }
        };
    BuildResult second = build("out2", otherBootstrap, packages("a"), finalise(), listing());

    assertEquals(
        2,
        Collections.frequency(runs, "test.packages"),
        "packages ran again on the other base: " + runs);
    assertTrue(listing(second).contains("test.bootstrap 644 links=1: other base"), listing(second));
    assertTrue(listing(second).contains("base-name 644 links=1: other []"), listing(second));
    assertFalse(
        listing(second).contains("usr/bin/tool"), "nothing of the first base: " + listing(second));
  }
}
