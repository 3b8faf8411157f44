package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.BuildState;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.event.BuildFinished;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BuildManifest;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path temp;

  private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final Cancellation cancellation = new Cancellation();
  private HostProcessExecutor executor;

  /** A stage whose run does {@code body}, and which writes verify/run/cleanup to the journal. */
  private Stage stage(String name, Body body) {
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
        return Phase.CUSTOMISE;
      }

      @Override
      public Map<String, Object> options() {
        return Map.of();
      }

      @Override
      public void verify(StageContext context) {
        journal.add("verify " + name);
      }

      @Override
      public void run(StageContext context) throws ImageBuildException, InterruptedException {
        journal.add("run " + name);
        body.run(context);
      }

      @Override
      public void cleanup(StageContext context) {
        journal.add("cleanup " + name);
      }
    };
  }

  interface Body {
    void run(StageContext context) throws ImageBuildException, InterruptedException;
  }

  private static void write(Path file, String text) throws ImageBuildException {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new ImageBuildException("cannot write " + file, e);
    }
  }

  private Engine engine() {
    EventBus bus = new EventBus();
    bus.register(BuildEvent.class, events::add);
    ImageSpec spec = ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build();
    return new Engine(
        new Engine.Settings(
            spec,
            null,
            temp.resolve("out"),
            temp.resolve("cache"),
            temp.resolve("work"),
            root -> executor = new HostProcessExecutor(root),
            bus,
            "nightly",
            cancellation,
            null,
            false,
            Engine.Settings.KEEP_TREE_AFTER,
            Duration.ZERO));
  }

  @Test
  void runsStagesInOrderAndCleansUpInReverse() throws Exception {
    Engine.Outcome outcome =
        engine()
            .run(Plan.of(List.of(stage("a", c -> {}), stage("b", c -> {}), stage("c", c -> {}))));
    assertEquals(
        List.of(
            "verify a",
            "verify b",
            "verify c",
            "run a",
            "run b",
            "run c",
            "cleanup c",
            "cleanup b",
            "cleanup a"),
        journal);
    assertEquals(
        List.of("test.a", "test.b", "test.c"),
        outcome.stages().stream().map(io.imagebuilder.api.event.CompletedStage::type).toList());
    assertEquals(List.of("preflight", "close"), executor.events);
    assertFalse(Files.exists(temp.resolve("work")), "the work directory is deleted");
    assertTrue(
        events.stream().allMatch(e -> e.trigger().equals("nightly")),
        "every event carries the trigger");
    assertEquals(3, events.stream().filter(e -> e instanceof StageFinished).count());
  }

  @Test
  void aBuildCancelledAfterItsArtifactButBeforeItsManifestLeavesNoArtifact() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    Path earlier = Files.writeString(out.resolve("earlier.tar.zst"), "a good build's artifact");
    Files.writeString(out.resolve("image.tar.zst"), "an earlier build's image");
    Plan plan =
        Plan.of(
            List.of(
                stage(
                    "tarball",
                    c -> write(c.outputDir().resolve("image.tar.zst"), "complete, unrecorded")),
                stage(
                    "record",
                    c -> {
                      cancellation.cancel(); // Ctrl-C after the tarball was renamed into place
                      c.checkCancelled();
                    })));
    assertThrows(BuildCancelledException.class, () -> engine().run(plan));

    assertFalse(Files.exists(out.resolve("image.tar.zst")), "no artifact without a manifest");
    assertEquals(
        "a good build's artifact", Files.readString(earlier), "what the build did not write stays");
    assertTrue(Files.isDirectory(out.resolve("logs")), "the logs tell what happened");
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof LogLine l
                        && l.message()
                            .startsWith(
                                "removed image.tar.zst from "
                                    + out
                                    + ": the build ended before its manifest was written")),
        events.toString());
    assertFalse(Files.exists(temp.resolve("work")), "nothing is left in the work folder");
  }

  @Test
  void aBuildThatRecordedItsManifestKeepsItsArtifactsWhenALaterStageFails() throws Exception {
    Plan plan =
        Plan.of(
            List.of(
                stage("tarball", c -> write(c.outputDir().resolve("image.tar.zst"), "recorded")),
                stage("record", c -> c.setManifest(new BuildManifest("image", "{\"a\":1}\n"))),
                stage(
                    "boot-check",
                    c -> {
                      throw new ImageBuildException("did not boot");
                    })));
    assertThrows(StageFailedException.class, () -> engine().run(plan));
    assertTrue(
        Files.exists(temp.resolve("out/image.tar.zst")),
        "a recorded artifact stays for inspection");
    assertEquals(
        "{\"a\":1}\n",
        Files.readString(temp.resolve("out/image.manifest.json")),
        "the engine wrote the manifest the record stage handed it, as given");
  }

  @Test
  void theEngineWritesTheManifestAStageHandsItAndNamesItInTheOutcome() throws Exception {
    Engine.Outcome outcome =
        engine()
            .run(
                Plan.of(
                    List.of(
                        stage(
                            "record",
                            c -> {
                              c.setManifest(new BuildManifest("img-1", "{\"é\":true}"));
                              assertFalse(
                                  Files.exists(c.outputDir().resolve("img-1.manifest.json")),
                                  "written once the stage has run");
                            }))));
    Path file = temp.resolve("out/img-1.manifest.json");
    assertEquals(file, outcome.manifestFile());
    assertArrayEquals(
        "{\"é\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Files.readAllBytes(file));
    try (var names = Files.list(temp.resolve("out"))) {
      assertEquals(
          List.of("img-1.manifest.json", "logs"),
          names.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file is left beside it");
    }
  }

  @Test
  void aManifestNameThatIsNotAFileNameStemIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BuildManifest("../x", "{}"));
    assertEquals(
        "invalid image name '../x' (expected a file name stem: no '/', no leading '.')",
        e.getMessage());
  }

  @Test
  void commandsGetTheSourceDateEpochOnceItIsKnownUnlessTheySetTheirOwn() throws Exception {
    engine()
        .run(
            Plan.of(
                List.of(
                    stage(
                        "a",
                        c -> {
                          c.run("true");
                          c.setSourceDateEpoch(1_700_000_000L);
                          c.run("true");
                          c.run(
                              io.imagebuilder.api.exec.Command.of("true")
                                  .withEnvironment("SOURCE_DATE_EPOCH", "5"));
                        }))));
    List<String> epochs =
        executor.commands.stream()
            .map(c -> String.valueOf(c.environment().get("SOURCE_DATE_EPOCH")))
            .toList();
    assertEquals(List.of("null", "1700000000", "5"), epochs);
  }

  @Test
  void aFailingCommandStopsTheBuildAndTheErrorSaysWhatFailed() {
    Plan plan =
        Plan.of(
            List.of(
                stage("a", c -> {}),
                stage(
                    "b",
                    c ->
                        c.run(
                            Command.of(
                                "sh",
                                "-c",
                                "echo preparing; echo 'E: no space left' >&2; exit 3"))),
                stage("c", c -> {})));
    StageFailedException e = assertThrows(StageFailedException.class, () -> engine().run(plan));

    assertEquals(
        List.of("verify a", "verify b", "verify c", "run a", "run b", "cleanup b", "cleanup a"),
        journal);
    assertEquals("test.b", e.stageType());
    assertEquals(plan.stages().get(1).id(), e.stageId());
    assertEquals(
        List.of("sh", "-c", "echo preparing; echo 'E: no space left' >&2; exit 3"), e.command());
    assertEquals(3, e.exitCode().orElseThrow());
    assertEquals(List.of("preparing", "E: no space left"), e.outputTail());
    assertTrue(
        e.getMessage().contains("stage test.b (id " + e.stageId().substring(0, 12) + ") failed"),
        e.getMessage());
    assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("E: no space left"), e.getMessage());
    assertTrue(
        events.stream()
            .anyMatch(ev -> ev instanceof StageFailed f && f.stageType().equals("test.b")));
    assertTrue(
        events.stream()
            .anyMatch(ev -> ev instanceof CommandOutput o && o.line().equals("preparing")));
    assertEquals(List.of("preflight", "close"), executor.events);
    assertFalse(Files.exists(temp.resolve("work")));
  }

  @Test
  void aFailedVerifyStopsTheBuildBeforeAnyStageRuns() {
    Stage picky =
        new io.imagebuilder.api.stage.ForwardingStage(stage("p", c -> {})) {
          @Override
          public void verify(StageContext context) throws ImageBuildException {
            throw new ImageBuildException("not today");
          }
        };
    StageFailedException e =
        assertThrows(
            StageFailedException.class,
            () -> engine().run(Plan.of(List.of(stage("a", c -> {}), picky))));
    assertTrue(e.getMessage().contains("not today"));
    assertTrue(journal.stream().noneMatch(j -> j.startsWith("run")), journal.toString());
    BuildState state = e.buildState().orElseThrow();
    assertEquals(List.of(), state.completedStages());
    assertEquals(Optional.of(picky.type()), state.failedStage(), "the stage that refused");
    assertEquals(Optional.empty(), state.failedStageLog(), "no stage ran, so none has a log");
  }

  @Test
  void aMissingHostToolFailsBeforeAnyWorkNamingThePackage() {
    Stage needsTool =
        new io.imagebuilder.api.stage.ForwardingStage(stage("t", c -> {})) {
          @Override
          public Map<String, String> hostTools() {
            return Map.of("no-such-tool-xyz", "xyz-utils");
          }
        };
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> engine().run(Plan.of(List.of(needsTool))));
    assertTrue(
        e.getMessage().contains("'no-such-tool-xyz'")
            && e.getMessage().contains("apt-get install xyz-utils"),
        e.getMessage());
    assertTrue(journal.isEmpty(), journal.toString());
  }

  @Test
  void anInterruptDuringAStageRunsCleanupsAndEndsAsACancellation() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Plan plan =
        Plan.of(
            List.of(
                stage("a", c -> {}),
                stage(
                    "slow",
                    c -> {
                      running.countDown();
                      c.run(Command.of("sleep", "30"));
                    }),
                stage("never", c -> {})));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread build =
        new Thread(
            () -> {
              try {
                engine().run(plan);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    long start = System.nanoTime();
    build.start();
    assertTrue(running.await(10, TimeUnit.SECONDS));
    Thread.sleep(200);
    build.interrupt();
    build.join(10_000);
    assertFalse(build.isAlive());
    assertTrue(
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 20, "the sleep was cut short");
    assertTrue(thrown.get() instanceof BuildCancelledException, String.valueOf(thrown.get()));
    assertEquals(
        List.of("run a", "run slow", "cleanup slow", "cleanup a"),
        journal.stream().filter(j -> !j.startsWith("verify")).toList());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof BuildFinished f
                        && f.outcome() == BuildFinished.Outcome.CANCELLED));
    assertFalse(Files.exists(temp.resolve("work")));
    String log = Files.readString(temp.resolve("out/logs/02-test.slow.log"));
    assertTrue(log.contains("$ sleep 30"), log);
    assertTrue(log.contains("stage CANCELLED after "), log);
  }

  @Test
  void aCancelHandleStopsTheBuildFromAnotherThread() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Plan plan =
        Plan.of(
            List.of(
                stage(
                    "slow",
                    c -> {
                      running.countDown();
                      c.run(Command.of("sleep", "30"));
                    }),
                stage("never", c -> {})));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread build =
        new Thread(
            () -> {
              try {
                engine().run(plan);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    build.start();
    assertTrue(running.await(10, TimeUnit.SECONDS));
    cancellation.cancel();
    build.join(10_000);
    assertTrue(thrown.get() instanceof BuildCancelledException, String.valueOf(thrown.get()));
    assertTrue(journal.contains("cleanup slow"));
    assertFalse(journal.contains("run never"));
  }

  @Test
  void reportsEachStageStartWithItsPosition() throws Exception {
    engine().run(Plan.of(List.of(stage("a", c -> c.progress("copy", 5, 10)), stage("b", c -> {}))));
    List<StageStarted> started =
        events.stream().filter(e -> e instanceof StageStarted).map(e -> (StageStarted) e).toList();
    assertEquals(List.of(1, 2), started.stream().map(StageStarted::index).toList());
    assertEquals(2, started.get(0).count());
  }

  @Test
  void aPassingBuildWritesEachStagesLogBesideTheArtifacts() throws Exception {
    AtomicReference<Map<String, String>> logsSeenByB = new AtomicReference<>();
    Plan plan =
        Plan.of(
            List.of(
                stage(
                    "a",
                    c -> {
                      c.log("hello from a");
                      c.run(Command.of("sh", "-c", "echo first line; echo second line"));
                    }),
                stage(
                    "b",
                    c -> {
                      c.publish(
                          new LogLine("nightly", "test.b", LogLine.Level.WARNING, "b is careful"));
                      logsSeenByB.set(c.stageLogs());
                    })));

    engine().run(plan);

    Path logs = temp.resolve("out/logs");
    try (var files = Files.list(logs)) {
      assertEquals(
          List.of("01-test.a.log", "02-test.b.log"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    List<String> a = Files.readAllLines(logs.resolve("01-test.a.log"));
    assertEquals("# stage 1 of 2: test.a", a.get(0));
    assertEquals("# id " + plan.stages().get(0).id(), a.get(1));
    assertEquals(
        List.of(
            "stage started",
            "hello from a",
            "$ sh -c echo first line; echo second line",
            "  | first line",
            "  | second line"),
        a.stream()
            .filter(l -> l.startsWith("["))
            .map(l -> l.substring(l.indexOf("] ") + 2))
            .limit(5)
            .toList());
    assertTrue(
        a.get(a.size() - 1).matches("\\[ *\\d+\\.\\d{3}\\] stage finished after \\d+\\.\\d{3} s"),
        a.toString());
    String b = Files.readString(logs.resolve("02-test.b.log"));
    assertTrue(b.contains("] W: b is careful\n"), b);
    assertEquals(
        Map.of(
            plan.stages().get(0).id(),
            "logs/01-test.a.log",
            plan.stages().get(1).id(),
            "logs/02-test.b.log"),
        logsSeenByB.get());
  }

  @Test
  void theFailingStagesLogHoldsItsOutputAndTheError() throws Exception {
    Plan plan =
        Plan.of(
            List.of(
                stage("a", c -> {}),
                stage(
                    "b",
                    c ->
                        c.run(
                            Command.of(
                                "sh",
                                "-c",
                                "echo preparing; echo 'E: no space left' >&2; exit 3"))),
                stage("c", c -> {})));

    StageFailedException e = assertThrows(StageFailedException.class, () -> engine().run(plan));

    Path logs = temp.resolve("out/logs");
    try (var files = Files.list(logs)) {
      assertEquals(
          List.of("01-test.a.log", "02-test.b.log"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    String b = Files.readString(logs.resolve("02-test.b.log"));
    assertTrue(b.contains("  | preparing\n"), b);
    assertTrue(b.contains("  | E: no space left\n"), b);
    assertTrue(b.contains("] W: exited with code 3\n"), b);
    assertTrue(b.contains("stage FAILED after "), b);
    assertTrue(b.contains(e.getMessage()), b);
    assertTrue(
        b.contains("at io.imagebuilder.internal.engine.Engine"), "the stack trace is there: " + b);
  }

  @Test
  void whatACleanupReportsIsAppendedToItsStagesLog() throws Exception {
    Stage mounts =
        new io.imagebuilder.api.stage.ForwardingStage(stage("m", c -> c.log("mounted"))) {
          @Override
          public void cleanup(StageContext context) throws ImageBuildException {
            context.log("unmounted");
            throw new ImageBuildException("target is busy");
          }
        };

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> engine().run(Plan.of(List.of(mounts, stage("z", c -> {})))));

    assertTrue(
        e.getMessage().contains("cleanup of stage test.m failed: target is busy"), e.getMessage());
    List<String> log =
        Files.readAllLines(temp.resolve("out/logs/01-test.m.log")).stream()
            .filter(l -> l.startsWith("["))
            .map(l -> l.substring(l.indexOf("] ") + 2))
            .toList();
    assertEquals("mounted", log.get(1));
    assertTrue(log.get(2).startsWith("stage finished after"), log.toString());
    assertEquals(
        List.of(
            "cleanup",
            "unmounted",
            "cleanup failed: cleanup of stage test.m failed: target is busy"),
        log.subList(3, 6));
    assertFalse(Files.readString(temp.resolve("out/logs/02-test.z.log")).contains("cleanup"));
  }

  @Test
  void logsThatCannotBeWrittenNeverHideTheBuildsOutcome() throws Exception {
    Files.createDirectories(temp.resolve("out"));
    Files.writeString(temp.resolve("out/logs"), "a file where the log directory would go");

    engine().run(Plan.of(List.of(stage("a", c -> c.log("a")), stage("b", c -> {}))));
    StageFailedException e =
        assertThrows(
            StageFailedException.class,
            () ->
                engine()
                    .run(
                        Plan.of(
                            List.of(
                                stage(
                                    "f",
                                    c -> {
                                      throw new ImageBuildException("the real problem");
                                    })))));

    assertTrue(e.getMessage().contains("the real problem"), e.getMessage());
    assertEquals(
        2,
        events.stream()
            .filter(
                ev ->
                    ev instanceof LogLine l
                        && l.level() == LogLine.Level.WARNING
                        && l.message()
                            .startsWith(
                                "cannot write the stage logs to " + temp.resolve("out/logs")))
            .count(),
        "one warning per build");
  }

  @Test
  void aFailingBuildAfterAGoodOneLeavesOnlyItsOwnLogs() throws Exception {
    engine().run(Plan.of(List.of(stage("a", c -> {}), stage("b", c -> {}), stage("c", c -> {}))));
    Path logs = temp.resolve("out/logs");
    assertTrue(Files.exists(logs.resolve("03-test.c.log")));
    Files.writeString(logs.resolve("notes.txt"), "the user's");

    assertThrows(
        StageFailedException.class,
        () ->
            engine()
                .run(
                    Plan.of(
                        List.of(
                            stage("a", c -> {}),
                            stage("broken", c -> c.run(Command.of("false"))),
                            stage("c", c -> {})))));

    try (var files = Files.list(logs)) {
      assertEquals(
          List.of("01-test.a.log", "02-test.broken.log", "notes.txt"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no log of the earlier build is left beside these");
    }
  }
}
