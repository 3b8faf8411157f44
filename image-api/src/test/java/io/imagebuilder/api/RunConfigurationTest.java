package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.BuildState;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.ListenerFailedException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.Progress;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.stage.Phase;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Describe vs run: a build through a run configuration, blocking and with a handle. */
class RunConfigurationTest {
  @TempDir Path temp;

  private final List<String> journal = Collections.synchronizedList(new ArrayList<>());

  interface Body {
    void run(StageContext context) throws ImageBuildException, IOException, InterruptedException;
  }

  private Stage stage(String name, Phase phase, Body body) {
    return new Stage() {
      @Override
      public String type() {
        return "test." + name;
      }

      @Override
      public String summary() {
        return name;
      }

      @Override
      public Phase phase() {
        return phase;
      }

      @Override
      public Map<String, Object> options() {
        return Map.of();
      }

      @Override
      public List<io.imagebuilder.api.spec.OutputFormat> produces() {
        return List.of(
            io.imagebuilder.api.spec.OutputFormat.TAR_ZST); // what the planner asks of a plan
      }

      @Override
      public void run(StageContext context)
          throws ImageBuildException, IOException, InterruptedException {
        journal.add("run " + name);
        body.run(context);
      }

      @Override
      public void cleanup(StageContext context) {
        journal.add("cleanup " + name);
      }
    };
  }

  /** A run of exactly {@code stages} (no ServiceLoader), with commands that do nothing. */
  private RunConfiguration run(Stage... stages) {
    return RunConfiguration.into(temp.resolve("out"))
        .withCacheDir(temp.resolve("cache"))
        .withExecutor(TestExecutors.succeeding())
        .withStageProviders(List.of(spec -> List.of(stages)));
  }

  private static ImageBuilder image() {
    return ImageBuilder.forSeries("bookworm").forArchitecture(Architecture.AMD64);
  }

  @Test
  void startReturnsAHandleWhoseResultAndStagesAreTheBuilds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BuildHandle handle =
        image()
            .start(
                run(
                    stage("bootstrap", Phase.BOOTSTRAP, c -> {}),
                    stage("wait", Phase.CUSTOMISE, c -> release.await())));

    assertThrows(
        TimeoutException.class, () -> handle.await(Duration.ofMillis(200)), "still running");
    waitFor(() -> handle.completedStages().size() == 1);
    assertEquals(
        List.of("test.bootstrap"),
        handle.completedStages().stream().map(CompletedStage::type).toList());
    release.countDown();
    BuildResult result = handle.await(Duration.ofSeconds(20));

    assertTrue(handle.isDone());
    assertEquals(
        List.of("test.bootstrap", "test.wait"),
        result.stages().stream().map(CompletedStage::type).toList());
    assertEquals(result.stages(), handle.completedStages());
    assertEquals(result, handle.result().get());
  }

  @Test
  void aBuildRunsOnTheThreadsGiven() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "service-pool"));
    try {
      List<String> threads = Collections.synchronizedList(new ArrayList<>());
      BuildResult result =
          image()
              .start(
                  run(stage(
                          "bootstrap",
                          Phase.BOOTSTRAP,
                          c -> threads.add(Thread.currentThread().getName())))
                      .withThreads(pool))
              .await();
      assertEquals(List.of("service-pool"), threads);
      assertEquals(1, result.stages().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedBuildSaysWhichStageFailedItsLogTheCompletedStagesAndTheOutput() throws Exception {
    RunConfiguration run =
        run(
            stage("bootstrap", Phase.BOOTSTRAP, c -> {}),
            stage(
                "broken",
                Phase.PACKAGES,
                c -> {
                  c.log("about to fail");
                  throw new IOException("disk on fire");
                }));

    StageFailedException e = assertThrows(StageFailedException.class, () -> image().build(run));

    assertTrue(e.getMessage().contains("stage test.broken"), e.getMessage());
    assertTrue(
        e.getMessage().contains("disk on fire"),
        "an IOException is the stage's failure: " + e.getMessage());
    BuildState state = e.buildState().orElseThrow();
    assertEquals(temp.resolve("out").toAbsolutePath(), state.outputDir());
    assertEquals(
        List.of("test.bootstrap"),
        state.completedStages().stream().map(CompletedStage::type).toList());
    assertEquals("test.broken", state.failedStage().orElseThrow());
    Path log = state.failedStageLog().orElseThrow();
    assertTrue(Files.readString(log).contains("about to fail"), "the log holds the stage's lines");
    assertTrue(Files.readString(log).contains("disk on fire"), "and the error");
    assertEquals(
        List.of("run bootstrap", "run broken", "cleanup broken", "cleanup bootstrap"), journal);
  }

  @Test
  void aTimeoutCancelsTheBuildRunsCleanupAndSaysItTimedOut() throws Exception {
    long start = System.nanoTime();
    RunConfiguration run =
        run(
                stage("bootstrap", Phase.BOOTSTRAP, c -> {}),
                stage("slow", Phase.PACKAGES, c -> Thread.sleep(60_000)))
            .withTimeout(Duration.ofMillis(300));

    BuildCancelledException e =
        assertThrows(BuildCancelledException.class, () -> image().build(run));

    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20),
        "ended by the timeout, not the sleep");
    assertTrue(
        e.getMessage().contains("build timed out after PT0.3S during stage test.slow"),
        e.getMessage());
    assertEquals("test.slow", e.buildState().orElseThrow().failedStage().orElseThrow());
    assertTrue(
        journal.contains("cleanup slow") && journal.contains("cleanup bootstrap"),
        journal.toString());
    assertFalse(
        Thread.currentThread().isInterrupted(), "the timeout's interrupt stays inside the build");
  }

  @Test
  void cancellingTheHandleStopsTheBuild() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    BuildHandle handle =
        image()
            .start(
                run(
                    stage(
                        "bootstrap",
                        Phase.BOOTSTRAP,
                        c -> {
                          running.countDown();
                          Thread.sleep(60_000);
                        })));
    assertTrue(running.await(20, TimeUnit.SECONDS));

    handle.cancel();

    BuildCancelledException e =
        assertThrows(BuildCancelledException.class, () -> handle.await(Duration.ofSeconds(20)));
    assertTrue(
        e.getMessage().contains("build cancelled during stage test.bootstrap"), e.getMessage());
    assertTrue(journal.contains("cleanup bootstrap"), journal.toString());
  }

  @Test
  void aListenerThatThrowsFailsTheBuildNamingWhereItWasRegistered() {
    RunConfiguration run =
        run(stage("bootstrap", Phase.BOOTSTRAP, c -> {}))
            .onEvent(
                StageStarted.class,
                e -> {
                  throw new IllegalStateException("listener bug");
                });

    ListenerFailedException e =
        assertThrows(ListenerFailedException.class, () -> image().build(run));

    assertEquals("StageStarted", e.listenerType());
    assertTrue(
        e.registeredAt().startsWith(RunConfigurationTest.class.getName() + "."), e.registeredAt());
    assertTrue(e.getMessage().contains("listener bug"), e.getMessage());
    assertEquals(List.of("run bootstrap", "cleanup bootstrap"), journal);
  }

  @Test
  void logLinesAndProgressNameTheirStage() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    image()
        .build(
            run(stage(
                    "bootstrap",
                    Phase.BOOTSTRAP,
                    c -> {
                      c.log("hello");
                      c.progress("items", 1, 2);
                      c.progressBytes("bytes", 1, 2);
                    }))
                .onEvent(LogLine.class, l -> seen.add(l.stageType() + " " + l.message()))
                .onEvent(
                    Progress.class,
                    p -> seen.add(p.stageType() + " " + p.label() + " " + p.unit())));
    assertEquals(
        List.of("test.bootstrap hello", "test.bootstrap items ITEMS", "test.bootstrap bytes BYTES"),
        seen);
  }

  @Test
  void theRunConfigurationsStageProvidersReplaceTheClasspathOnes() {
    assertEquals(
        List.of("test.bootstrap", "test.packages", "test.finalise", "test.tarball"),
        image().plan().types(),
        "the classpath has the test provider");
    assertEquals(
        List.of("test.only"), image().plan(run(stage("only", Phase.BOOTSTRAP, c -> {}))).types());
  }

  @Test
  void aPlanTransformSeesTheSpec() {
    List<String> seen = new ArrayList<>();
    image()
        .withHostname("seen")
        .withPlanTransform(
            (plan, spec) -> {
              seen.add(spec.hostname());
              return plan;
            })
        .plan();
    assertEquals(List.of("seen"), seen);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
  }
}
