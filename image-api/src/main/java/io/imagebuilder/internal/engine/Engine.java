package io.imagebuilder.internal.engine;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.BuildFinished;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.CompletedStage;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StandardKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a plan: verifies every stage first (host tools, executor preflight, each stage's own
 * checks), runs the stages in order, and runs the cleanup of every started stage in reverse
 * order after success, failure, interrupt or cancel; then closes the executor and deletes the
 * work directory.
 */
public final class Engine {
  /** What a build needs besides the plan. */
  public record Settings(
      ImageSpec spec,
      Board board,
      Path outputDir,
      Path cacheDir,
      Path workDir,
      Function<Path, Executor> executorFactory,
      EventBus events,
      String trigger,
      Cancellation cancellation) {}

  /** How a successful build ended. */
  public record Outcome(
      List<Artifact> artifacts, List<CompletedStage> stages, String executorName, Path manifestFile) {}

  private final Settings settings;
  private StageLogs logs;

  public Engine(Settings settings) {
    this.settings = settings;
  }

  public Outcome run(Plan plan) throws ImageBuildException {
    long start = System.nanoTime();
    logs =
        new StageLogs(
            settings.outputDir(),
            start,
            Instant.now(),
            message -> settings.events().publish(new LogLine(settings.trigger(), LogLine.Level.WARNING, message)));
    Cancellation cancellation = settings.cancellation();
    cancellation.attach(Thread.currentThread());
    BuildFinished.Outcome outcome = BuildFinished.Outcome.FAILED;
    try {
      Outcome result = runInWorkDir(plan);
      outcome = BuildFinished.Outcome.SUCCEEDED;
      return result;
    } catch (BuildCancelledException e) {
      outcome = BuildFinished.Outcome.CANCELLED;
      throw e;
    } finally {
      cancellation.attach(null);
      if (cancellation.isCancelled()) {
        Thread.interrupted(); // the interrupt was ours, sent by the cancel handle
      }
      settings.events().publish(
          new BuildFinished(settings.trigger(), settings.spec().specHash(), outcome, since(start)));
    }
  }

  private Outcome runInWorkDir(Plan plan) throws ImageBuildException {
    Path rootfs = settings.workDir().resolve("rootfs");
    UnrecordedOutputs outputs;
    try {
      Files.createDirectories(rootfs);
      Files.createDirectories(settings.outputDir());
      outputs = UnrecordedOutputs.snapshot(settings.outputDir());
    } catch (IOException e) {
      throw new ImageBuildException("cannot create the work directory " + rootfs + ": " + e, e);
    }
    ImageBuildException failure = null;
    Executor executor = settings.executorFactory().apply(rootfs);
    DefaultStageContext context =
        new DefaultStageContext(
            settings.spec(),
            settings.workDir(),
            settings.outputDir(),
            settings.cacheDir(),
            executor,
            settings.board(),
            settings.trigger(),
            settings.events(),
            settings.cancellation(),
            logs);
    try {
      return runStages(plan, context);
    } catch (ImageBuildException e) {
      failure = e;
      if (context.get(StandardKeys.MANIFEST_FILE).isEmpty()) {
        outputs.removeAfter(e, message -> settings.events().publish(
            new LogLine(settings.trigger(), LogLine.Level.WARNING, message)));
      }
      throw e;
    } finally {
      failure = closeQuietly(executor, failure);
      deleteWorkDir(failure);
    }
  }

  private Outcome runStages(Plan plan, DefaultStageContext context) throws ImageBuildException {
    verify(plan, context);
    Deque<StartedStage> started = new ArrayDeque<>();
    Map<String, String> logFiles = new LinkedHashMap<>();
    ImageBuildException failure = null;
    try {
      int index = 0;
      for (PlannedStage planned : plan.stages()) {
        index++;
        context.checkCancelled();
        Stage stage = planned.stage();
        context.enterStage(stage.type(), planned.id());
        settings.events().publish(
            new StageStarted(
                settings.trigger(), stage.type(), planned.id(), stage.summary(), index, plan.stages().size()));
        long t0 = System.nanoTime();
        String log = StageLogs.relativePath(index, plan.stages().size(), stage.type());
        started.push(new StartedStage(planned, log));
        logs.started(index, plan.stages().size(), stage.type(), planned.id(), stage.summary());
        logFiles.put(planned.id(), log);
        context.put(StandardKeys.STAGE_LOGS, new StandardKeys.StageLogFiles(logFiles));
        try {
          stage.run(context);
          if (Thread.currentThread().isInterrupted() || settings.cancellation().isCancelled()) {
            throw new InterruptedException();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          BuildCancelledException cancelled =
              new BuildCancelledException("build cancelled during stage " + stage.type(), e);
          stageFailed(planned, t0, cancelled);
          throw cancelled;
        } catch (BuildCancelledException e) {
          stageFailed(planned, t0, e);
          throw e;
        } catch (ImageBuildException | RuntimeException e) {
          if (settings.cancellation().isCancelled() || Thread.currentThread().isInterrupted()) {
            BuildCancelledException cancelled =
                new BuildCancelledException("build cancelled during stage " + stage.type(), e);
            stageFailed(planned, t0, cancelled);
            throw cancelled;
          }
          StageFailedException failed = new StageFailedException(stage.type(), planned.id(), e);
          stageFailed(planned, t0, failed);
          throw failed;
        }
        Duration took = since(t0);
        context.completed(new CompletedStage(stage.type(), planned.id(), took));
        logs.finished(took);
        settings.events().publish(new StageFinished(settings.trigger(), stage.type(), planned.id(), took));
      }
      return new Outcome(
          context.artifacts(),
          context.completedStages(),
          context.executor().name(),
          context.get(StandardKeys.MANIFEST_FILE).orElse(null));
    } catch (ImageBuildException e) {
      failure = e;
      throw e;
    } finally {
      cleanup(started, context, failure);
    }
  }

  private void verify(Plan plan, DefaultStageContext context) throws ImageBuildException {
    for (PlannedStage planned : plan.stages()) {
      for (Map.Entry<String, String> tool : planned.stage().hostTools().entrySet()) {
        if (HostTools.find(tool.getKey()).isEmpty()) {
          throw new MissingHostToolException(planned.type(), tool.getKey(), tool.getValue());
        }
      }
    }
    context.executor().preflight();
    for (PlannedStage planned : plan.stages()) {
      context.enterStage(planned.type(), planned.id());
      try {
        planned.stage().verify(context);
      } catch (ImageBuildException | RuntimeException e) {
        if (e instanceof IllegalArgumentException iae) {
          throw iae;
        }
        throw new StageFailedException(planned.type(), planned.id(), e);
      }
    }
  }

  /**
   * Runs every started stage's cleanup in reverse order. Failures are added to the build's
   * failure; after a success the first one is thrown.
   */
  private void cleanup(
      Deque<StartedStage> started, DefaultStageContext context, ImageBuildException failure)
      throws ImageBuildException {
    // Cleanup must run even on an interrupted thread: clear the flag, restore it afterwards.
    boolean interrupted = Thread.interrupted();
    ImageBuildException result = failure;
    try {
      while (!started.isEmpty()) {
        StartedStage done = started.pop();
        PlannedStage planned = done.planned();
        context.enterStage(planned.type(), planned.id());
        logs.cleanupStarted(done.log());
        try {
          planned.stage().cleanup(context);
        } catch (ImageBuildException | RuntimeException e) {
          ImageBuildException wrapped =
              new ImageBuildException("cleanup of stage " + planned.type() + " failed: " + e.getMessage(), e);
          logs.cleanupFailed(wrapped);
          if (result == null) {
            result = wrapped;
          } else {
            result.addSuppressed(wrapped);
          }
        }
      }
    } finally {
      logs.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure == null && result != null) {
      throw result;
    }
  }

  private ImageBuildException closeQuietly(Executor executor, ImageBuildException failure)
      throws ImageBuildException {
    boolean interrupted = Thread.interrupted();
    try {
      executor.close();
      return failure;
    } catch (ImageBuildException | RuntimeException e) {
      ImageBuildException wrapped =
          new ImageBuildException("closing executor " + executor.name() + " failed: " + e.getMessage(), e);
      if (failure == null) {
        throw wrapped;
      }
      failure.addSuppressed(wrapped);
      return failure;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void deleteWorkDir(ImageBuildException failure) throws ImageBuildException {
    try {
      List<Path> mountPoints = SafeDelete.deleteTree(settings.workDir());
      if (!mountPoints.isEmpty()) {
        throw new IOException("left mount points in place: " + mountPoints);
      }
    } catch (IOException e) {
      ImageBuildException wrapped =
          new ImageBuildException("cannot delete work directory " + settings.workDir() + ": " + e.getMessage(), e);
      if (failure == null) {
        throw wrapped;
      }
      failure.addSuppressed(wrapped);
    }
  }

  private void stageFailed(PlannedStage planned, long t0, ImageBuildException error) {
    Duration took = since(t0);
    logs.failed(took, error instanceof BuildCancelledException ? "CANCELLED" : "FAILED", error);
    settings.events().publish(
        new StageFailed(settings.trigger(), planned.type(), planned.id(), took, error.getMessage()));
  }

  /** A stage that began, with its log file relative to the output directory. */
  private record StartedStage(PlannedStage planned, String log) {}

  private static Duration since(long nanoStart) {
    return Duration.ofNanos(System.nanoTime() - nanoStart);
  }
}
