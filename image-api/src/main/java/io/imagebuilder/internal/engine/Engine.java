package io.imagebuilder.internal.engine;

import com.google.common.util.concurrent.Uninterruptibles;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.BuildState;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.ListenerFailedException;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.BuildFinished;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BuildManifest;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.FinishedBuild;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.internal.concurrent.TaskPool;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.io.TreeCopy;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.validate.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs a plan: verifies every stage first (host tools, executor preflight, each stage's own
 * checks), runs the stages in order, and runs the cleanup of every started stage in reverse order
 * after success, failure, interrupt or cancel; then closes the executor and deletes the work
 * directory.
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
      Cancellation cancellation,
      Duration timeout,
      boolean stageCache,
      Duration keepTreeAfter,
      Duration trustResultsFor) {
    /**
     * How long the stages since the last kept (or restored) tree must have run, together, for the
     * tree after the latest of them to be kept: archiving a board's tree into the stage cache costs
     * about 0.5 s and every later restore of it about 1 s on ext4 (and the entry its disk space),
     * so a few seconds of work are worth an entry and less is cheaper to do again. A restore costs
     * one extraction whichever entry it takes.
     */
    public static final Duration KEEP_TREE_AFTER = Duration.ofSeconds(3);
  }

  /**
   * How a successful build ended.
   *
   * @param fromCache whether the result was an earlier build's, from the stage cache
   */
  public record Outcome(
      List<Artifact> artifacts,
      List<CompletedStage> stages,
      String executorName,
      Path manifestFile,
      boolean fromCache) {}

  /** Cancels builds that run past their timeout; one daemon thread for every build of the JVM. */
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "imagebuilder-timeout");
            t.setDaemon(true);
            return t;
          });

  private final Settings settings;
  private final ResultCache stageCache;

  /** The trees after cacheable stages; null when the stage cache is off. */
  private final StageSnapshots snapshots;

  /** The run time of the stages since the tree was last kept or restored. */
  private Duration unkeptWork = Duration.ZERO;

  /** The inputs' digests now, checked once per build for both caches. */
  private InputDigests digests;

  private final AtomicBoolean timedOut = new AtomicBoolean();
  private final Object interruptLock = new Object();
  private boolean ended;
  private boolean interrupted;
  private StageLogs logs;

  /** The stage running (or last run) and its log, for the failure's {@link BuildState}. */
  private volatile PlannedStage current;

  private volatile String currentLog;
  private volatile DefaultStageContext context;

  public Engine(Settings settings) {
    this.settings = settings;
    this.stageCache = settings.stageCache() ? new ResultCache(settings.cacheDir()) : null;
    // A copy keeps a tree's owners only as root; a rootless build (its owners are subordinate ids,
    // applied inside its namespace) keeps whole results but no tree snapshots.
    this.snapshots =
        settings.stageCache() && TreeCopy.keepsOwners()
            ? new StageSnapshots(settings.cacheDir())
            : null;
  }

  /**
   * The result of an earlier build of the same plan whose inputs are all unchanged, copied into the
   * output directory; null when there is none.
   */
  private Outcome restore(Plan plan) throws ImageBuildException {
    String key = ResultCache.key(plan);
    try {
      Optional<ResultCache.Restored> restored =
          stageCache.restore(
              key, settings.outputDir(), digests(), settings.trustResultsFor(), this::info);
      if (restored.isEmpty()) {
        return null;
      }
      info(
          "reused the result of an earlier build of plan "
              + plan.id().substring(0, 12)
              + " from the stage cache: "
              + restored.get().entry().inputs().size()
              + " inputs unchanged, artifacts checked against their sha256");
      return restored.get().outcome();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException(
          "build cancelled while checking the stage cache", e, state());
    }
  }

  /** Keeps a built result for the next build of the same plan; a failure only warns. */
  private void store(Plan plan, Outcome outcome) {
    if (stageCache == null) {
      return;
    }
    try {
      stageCache.store(
          ResultCache.key(plan),
          plan,
          outcome,
          context.outputFiles(),
          logs.files(),
          context.resolvedInputs());
    } catch (IOException | RuntimeException e) {
      warn(
          "cannot keep the result in the stage cache under "
              + settings.cacheDir()
              + ": "
              + e.getMessage());
    }
  }

  private InputDigests digests() {
    if (digests == null) {
      digests = InputDigests.loaded(settings.cacheDir());
    }
    return digests;
  }

  private void info(String message) {
    settings.events().publish(new LogLine(settings.trigger(), "", LogLine.Level.INFO, message));
  }

  /** A warning of the build as a whole (not of a stage): the build goes on. */
  private void warn(String message) {
    settings.events().publish(new LogLine(settings.trigger(), "", LogLine.Level.WARNING, message));
  }

  public Outcome run(Plan plan) throws ImageBuildException {
    long start = System.nanoTime();
    logs =
        new StageLogs(
            settings.outputDir(),
            start,
            Instant.now(),
            message ->
                settings
                    .events()
                    .publish(
                        new LogLine(
                            settings.trigger(), currentType(), LogLine.Level.WARNING, message)));
    logs.clearEarlierBuilds();
    Cancellation cancellation = settings.cancellation();
    Thread buildThread = Thread.currentThread();
    BuildFinished.Outcome outcome = BuildFinished.Outcome.FAILED;
    ImageBuildException failure = null;
    ScheduledFuture<?> timer = null;
    Outcome result;
    Cancellation.Subscription onCancel = cancellation.onCancel(() -> interrupt(buildThread, false));
    try {
      if (settings.timeout() != null) {
        timer =
            TIMER.schedule(
                () -> interrupt(buildThread, true),
                settings.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
      }
      result = stageCache == null ? null : restore(plan);
      if (result == null) {
        result = runInWorkDir(plan);
      }
      finished(plan, result);
      outcome = BuildFinished.Outcome.SUCCEEDED;
    } catch (BuildCancelledException e) {
      outcome = BuildFinished.Outcome.CANCELLED;
      failure = e;
      throw e;
    } catch (ImageBuildException e) {
      failure = e;
      throw e;
    } finally {
      onCancel.close();
      if (timer != null) {
        timer.cancel(false);
      }
      synchronized (interruptLock) {
        ended = true;
        if (interrupted) {
          Thread.interrupted(); // the interrupt was ours, sent by the cancel handle or the timer
        }
      }
      settings
          .events()
          .publish(
              new BuildFinished(
                  settings.trigger(), settings.spec().specHash(), outcome, since(start)));
      Optional<ListenerFailedException> listener = settings.events().failure();
      if (failure != null
          && listener.isPresent()
          && !(failure instanceof ListenerFailedException)) {
        failure.addSuppressed(listener.get());
      }
    }
    // A listener's failure is never lost: it fails a build that otherwise succeeded.
    Optional<ListenerFailedException> listener = settings.events().failure();
    if (listener.isPresent()) {
      throw new ListenerFailedException(listener.get(), state());
    }
    return result;
  }

  /**
   * Tells every stage the build succeeded ({@link Stage#finished}), a cached result too, so what a
   * stage keeps about every build (the index's build record) is kept for this one.
   */
  private void finished(Plan plan, Outcome result) throws ImageBuildException {
    FinishedBuild build =
        new FinishedBuild(
            plan,
            settings.outputDir(),
            settings.cacheDir(),
            result.artifacts(),
            result.manifestFile(),
            result.fromCache());
    for (PlannedStage planned : plan.stages()) {
      current = planned;
      currentLog = null;
      try {
        planned
            .stage()
            .finished(
                build,
                message ->
                    settings
                        .events()
                        .publish(
                            new LogLine(
                                settings.trigger(),
                                planned.type(),
                                LogLine.Level.INFO,
                                Secrets.redact(message))));
      } catch (ImageBuildException | RuntimeException e) {
        throw new StageFailedException(planned.type(), planned.id(), e, state());
      }
    }
    current = null;
  }

  /**
   * Interrupts the build thread for a cancel or the timeout, unless the build has ended: an
   * interrupt must never reach the caller's thread after {@link #run} returned.
   */
  private void interrupt(Thread buildThread, boolean timeout) {
    synchronized (interruptLock) {
      if (ended) {
        return;
      }
      if (timeout) {
        timedOut.set(true);
      }
      interrupted = true;
      buildThread.interrupt();
    }
  }

  /**
   * Runs the plan's stages in the work directory, then keeps the result in the stage cache while
   * the work directory is deleted: one hashes the artifacts, the other removes a tree of tens of
   * thousands of files, each a second or more on its own.
   */
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
    context =
        new DefaultStageContext(
            settings.spec(),
            settings.workDir(),
            settings.outputDir(),
            settings.cacheDir(),
            executor,
            settings.board(),
            settings.trigger(),
            settings.events(),
            this::isCancelled,
            logs);
    Outcome done = null;
    try {
      done = runStages(plan, context);
    } catch (ImageBuildException e) {
      failure = e;
      if (context.manifestFile().isEmpty()) {
        outputs.removeAfter(
            e,
            message ->
                settings
                    .events()
                    .publish(
                        new LogLine(
                            settings.trigger(), currentType(), LogLine.Level.WARNING, message)));
      }
      throw e;
    } finally {
      failure = closeQuietly(executor, failure);
      if (done == null) {
        deleteWorkDir(failure); // failed, or something unexpected was thrown
      }
    }
    try (TaskPool deleting = TaskPool.of("work-dir-delete", 1, Duration.ofMinutes(1))) {
      Future<Void> deleted =
          deleting.submit(
              () -> {
                deleteWorkDir(null);
                return null;
              });
      store(plan, done);
      awaitDeletion(deleted);
    }
    return done;
  }

  /** Waits for the work directory's deletion, also when interrupted (the result is complete). */
  private static void awaitDeletion(Future<Void> deleted) throws ImageBuildException {
    try {
      Uninterruptibles.getUninterruptibly(deleted);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ImageBuildException ibe) {
        throw ibe;
      }
      throw new IllegalStateException("deleting the work directory failed", e.getCause());
    }
  }

  private Outcome runStages(Plan plan, DefaultStageContext context) throws ImageBuildException {
    context.planIs(plan);
    verify(plan, context);
    Deque<StartedStage> started = new ArrayDeque<>();
    ImageBuildException failure = null;
    try {
      List<String> chainKeys =
          snapshots == null ? List.of() : StageSnapshots.chainKeys(plan.stages());
      int reused = resume(plan, context);
      int index = reused;
      for (PlannedStage planned : plan.stages().subList(reused, plan.stages().size())) {
        index++;
        context.checkCancelled();
        Stage stage = planned.stage();
        context.enterStage(stage.type(), planned.id());
        current = planned;
        String log = StageLogs.relativePath(index, plan.stages().size(), stage.type());
        currentLog = log;
        settings
            .events()
            .publish(
                new StageStarted(
                    settings.trigger(),
                    stage.type(),
                    planned.id(),
                    Secrets.redact(stage.summary()),
                    index,
                    plan.stages().size()));
        long t0 = System.nanoTime();
        started.push(new StartedStage(planned, log));
        logs.started(index, plan.stages().size(), stage.type(), planned.id(), stage.summary());
        context.stageLog(planned.id(), log);
        try {
          stage.run(context);
          if (Thread.currentThread().isInterrupted() || isCancelled()) {
            throw new InterruptedException();
          }
          writeManifest(context);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw stageFailed(planned, t0, cancelled(stage, e));
        } catch (BuildCancelledException e) {
          throw stageFailed(planned, t0, cancelled(stage, e));
        } catch (ImageBuildException | IOException | RuntimeException e) {
          if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw stageFailed(planned, t0, cancelled(stage, e));
          }
          throw stageFailed(
              planned, t0, new StageFailedException(stage.type(), planned.id(), e, state()));
        }
        Duration took = since(t0);
        context.completed(new CompletedStage(stage.type(), planned.id(), took));
        logs.finished(took);
        settings
            .events()
            .publish(new StageFinished(settings.trigger(), stage.type(), planned.id(), took));
        Optional<ListenerFailedException> listener = settings.events().failure();
        if (listener.isPresent()) {
          current = null; // the stage is done; the listener, not the stage, failed the build
          throw new ListenerFailedException(listener.get(), state());
        }
        unkeptWork = unkeptWork.plus(took);
        if (index <= chainKeys.size()
            && context.artifacts().isEmpty()
            && context.outputFiles().isEmpty()
            && unkeptWork.compareTo(settings.keepTreeAfter()) >= 0) {
          keep(chainKeys.get(index - 1), index, context);
          unkeptWork = Duration.ZERO;
        }
      }
      return new Outcome(
          context.artifacts(),
          context.completedStages(),
          context.executor().name(),
          context.manifestFile().orElse(null),
          false);
    } catch (ImageBuildException e) {
      failure = e;
      throw e;
    } finally {
      cleanup(started, context, failure);
    }
  }

  /**
   * Writes the manifest the stage handed over ({@link DefaultStageContext#setManifest}) to {@code
   * <image>.manifest.json} beside the artifacts, atomically: the engine, not a stage, makes the
   * manifest file of the result.
   */
  private void writeManifest(DefaultStageContext context) throws IOException {
    Optional<BuildManifest> manifest = context.takeManifest();
    if (manifest.isEmpty()) {
      return;
    }
    Path file = settings.outputDir().resolve(manifest.get().fileName());
    AtomicFiles.writeString(file, manifest.get().json());
    context.manifestWritten(file);
  }

  /**
   * Restores the longest leading run of stages the stage cache holds with unchanged inputs: its
   * tree into the (empty) rootfs, its facts, inputs and SOURCE_DATE_EPOCH into the context. Returns
   * how many stages were reused, 0 when none (or the cache is off).
   */
  private int resume(Plan plan, DefaultStageContext context) throws ImageBuildException {
    if (snapshots == null) {
      return 0;
    }
    List<PlannedStage> stages = plan.stages();
    try {
      Optional<StageSnapshots.Found> found = snapshots.longestPrefix(stages, digests(), this::info);
      if (found.isEmpty()) {
        return 0;
      }
      StageSnapshots.Found f = found.get();
      long t0 = System.nanoTime();
      Map<String, Object> facts;
      try {
        facts =
            f.entry()
                .facts()
                .values(
                    stages.stream().map(p -> p.stage().getClass().getClassLoader()).toList(),
                    StageSnapshots.factsDir(f.dir()));
        snapshots.restore(f, context.rootfs());
      } catch (IOException | RuntimeException e) {
        info(
            "stage cache: cannot restore "
                + f.dir()
                + ": "
                + e.getMessage()
                + "; building from the start");
        emptyRootfs(context.rootfs());
        return 0;
      }
      context.restoreFrom(facts, f.entry().inputs(), f.entry().sourceDateEpoch());
      List<CompletedStage> done = StageSnapshots.completed(f.entry());
      for (int i = 0; i < f.count(); i++) {
        PlannedStage p = stages.get(i);
        String log = StageLogs.relativePath(i + 1, stages.size(), p.type());
        logs.started(i + 1, stages.size(), p.type(), p.id(), p.stage().summary());
        logs.record(
            new LogLine(
                settings.trigger(),
                p.type(),
                LogLine.Level.INFO,
                "reused from the stage cache entry " + f.dir().getFileName() + " (not run)"));
        logs.finished(Duration.ZERO);
        context.stageLog(p.id(), log);
        context.completed(done.get(i));
      }
      String types =
          String.join(" ", stages.subList(0, f.count()).stream().map(PlannedStage::type).toList());
      String next =
          f.count() < stages.size() ? ", starting at " + stages.get(f.count()).type() : "";
      info(
          "reused stages 1-"
              + f.count()
              + " from the stage cache ("
              + types
              + ")"
              + next
              + " in "
              + String.format(java.util.Locale.ROOT, "%.1f", since(t0).toMillis() / 1000.0)
              + " s"
              + (f.entry().facts().dropped().isEmpty()
                  ? ""
                  : "; facts not kept (the stages that need them rebuild them): "
                      + String.join(", ", f.entry().facts().dropped().keySet())));
      return f.count();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException(
          "build cancelled while restoring from the stage cache", e, state());
    }
  }

  /** Keeps the tree after stage {@code index} in the stage cache; a failure only warns. */
  private void keep(String chainKey, int index, DefaultStageContext context)
      throws ImageBuildException {
    List<io.imagebuilder.api.stage.ResolvedInput> inputs = context.resolvedInputs();
    if (snapshots.has(chainKey, inputs)) {
      return;
    }
    try {
      // Unmounted and without policy-rc.d: the tree as the next stage would get it.
      context.executor().release();
      snapshots.store(
          chainKey,
          context.completedStages(),
          context.rootfs(),
          FactSnapshot.of(context.facts()),
          inputs,
          context.sourceDateEpoch().orElse(null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException(
          "build cancelled while keeping stage " + index + " in the stage cache", e, state());
    } catch (IOException | RuntimeException e) {
      warn(
          "cannot keep the tree after stage "
              + index
              + " in the stage cache under "
              + settings.cacheDir()
              + ": "
              + e.getMessage());
    }
  }

  /** Removes what a failed restore left (the rootfs holds nothing else yet). */
  private static void emptyRootfs(Path rootfs) throws ImageBuildException {
    try (java.util.stream.Stream<Path> children = Files.list(rootfs)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        SafeDelete.deleteTreeOrThrow(child);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot empty " + rootfs + " after an unusable stage cache entry: " + e, e);
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
      // the stage verified is the one a failure names (it has no log yet), no stage completed
      current = planned;
      try {
        planned.stage().verify(context);
      } catch (ImageBuildException | RuntimeException e) {
        if (e instanceof IllegalArgumentException iae) {
          throw iae;
        }
        throw new StageFailedException(planned.type(), planned.id(), e, state());
      }
    }
    current = null;
  }

  /**
   * Runs every started stage's cleanup in reverse order. Failures are added to the build's failure;
   * after a success the first one is thrown.
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
              new ImageBuildException(
                  "cleanup of stage " + planned.type() + " failed: " + e.getMessage(), e);
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
      raiseUnlessFailed(
          failure,
          new ImageBuildException(
              "closing executor " + executor.name() + " failed: " + e.getMessage(), e));
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
      raiseUnlessFailed(
          failure,
          new ImageBuildException(
              "cannot delete work directory " + settings.workDir() + ": " + e.getMessage(), e));
    }
  }

  /**
   * A clean-up's error: thrown when the build has not failed, else added to its failure (which the
   * caller throws), so that the first cause stays the one reported.
   */
  private static void raiseUnlessFailed(ImageBuildException failure, ImageBuildException error)
      throws ImageBuildException {
    if (failure == null) {
      throw error;
    }
    failure.addSuppressed(error);
  }

  /** Logs and reports the stage's failure; returns the error to throw. */
  private ImageBuildException stageFailed(
      PlannedStage planned, long t0, ImageBuildException error) {
    Duration took = since(t0);
    logs.failed(took, error instanceof BuildCancelledException ? "CANCELLED" : "FAILED", error);
    settings
        .events()
        .publish(
            new StageFailed(
                settings.trigger(),
                planned.type(),
                planned.id(),
                took,
                Secrets.redact(error.getMessage())));
    return error;
  }

  private BuildCancelledException cancelled(Stage stage, Throwable cause) {
    String why = timedOut.get() ? "build timed out after " + settings.timeout() : "build cancelled";
    return new BuildCancelledException(why + " during stage " + stage.type(), cause, state());
  }

  /** Whether the caller cancelled the build or its timeout ran out. */
  private boolean isCancelled() {
    return settings.cancellation().isCancelled() || timedOut.get();
  }

  /** Where the build stands: for the exception a failed or cancelled build throws. */
  private BuildState state() {
    PlannedStage stage = current;
    DefaultStageContext ctx = context;
    return new BuildState(
        settings.outputDir(),
        ctx == null ? List.of() : ctx.completedStages(),
        stage == null ? null : stage.type(),
        stage == null ? null : stage.id(),
        stage == null || currentLog == null ? null : settings.outputDir().resolve(currentLog));
  }

  private String currentType() {
    PlannedStage stage = current;
    return stage == null ? "" : stage.type();
  }

  /** A stage that began, with its log file relative to the output directory. */
  private record StartedStage(PlannedStage planned, String log) {}

  private static Duration since(long nanoStart) {
    return Duration.ofNanos(System.nanoTime() - nanoStart);
  }
}
