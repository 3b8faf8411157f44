package io.imagebuilder.console.build;

import io.imagebuilder.api.BuildHandle;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.console.ConsoleSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues builds, runs them with the library ({@link RunConfiguration} and the asynchronous {@link
 * BuildHandle}), follows their events into the store and the logs, and cancels them.
 *
 * <p>A build's files: {@code <buildsDir>/<id>/out} (artifacts and manifest), {@code
 * <buildsDir>/<id>/build.log}, and while it runs {@code <workDir>/<id>}.
 */
public final class BuildService {
  private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);

  private final ConsoleSettings settings;
  private final BuildStore store;
  private final BuildQueue queue;
  private final Map<String, BuildLog> logs = new ConcurrentHashMap<>();
  private final Map<String, BuildHandle> running = new ConcurrentHashMap<>();
  private final List<BuildListener> listeners;

  public BuildService(ConsoleSettings settings, BuildStore store, BuildQueue queue) {
    this(settings, store, queue, List.of());
  }

  /** A service whose every change of a build is also told to {@code listeners}. */
  public BuildService(
      ConsoleSettings settings, BuildStore store, BuildQueue queue, List<BuildListener> listeners) {
    this.settings = settings;
    this.store = store;
    this.queue = queue;
    this.listeners = List.copyOf(listeners);
    if (!queue.keepsJobs()) {
      store.failInterrupted();
      requeue();
    }
  }

  /** Stores a build and tells the listeners. */
  private void save(BuildView b) {
    store.save(b);
    for (BuildListener l : listeners) {
      try {
        l.changed(b);
      } catch (RuntimeException e) {
        LOG.warn("a build listener failed on build {}: {}", b.id(), e.toString());
      }
    }
  }

  /** Queues again, oldest first, the builds that were queued when the console last stopped. */
  private void requeue() {
    for (BuildView b : store.withStatus(BuildStatus.QUEUED)) {
      Submission s;
      try {
        s =
            new Submission(
                b.imageType(),
                ImageBuilder.fromSpec(ImageSpec.fromJson(b.specJson())),
                b.trigger());
      } catch (IllegalArgumentException e) {
        save(
            b.with(
                BuildStatus.FAILED,
                null,
                Instant.now(),
                List.of(),
                List.of(),
                "cannot queue again: " + e.getMessage(),
                null));
        continue;
      }
      logs.put(b.id(), new BuildLog(logFile(b.id())));
      logs.get(b.id()).append("queued again after a restart of the console");
      queue.submit(b, () -> run(b.id(), s));
    }
  }

  /**
   * Queues every submission of the request queue (they were all checked before), and returns the
   * new builds.
   *
   * @param submittedBy the account
   * @param submittedFrom where the request came from
   */
  public List<BuildView> submit(
      List<Submission> submissions, String submittedBy, String submittedFrom) {
    return submit(submissions, submittedBy, submittedFrom, "queue");
  }

  /**
   * Queues every submission (they were all checked before), and returns the new builds.
   *
   * @param submittedBy the account
   * @param submittedFrom its remote address
   * @param via how they came: {@code api}, {@code ui} or {@code queue}
   */
  public List<BuildView> submit(
      List<Submission> submissions, String submittedBy, String submittedFrom, String via) {
    List<BuildView> queued = new ArrayList<>();
    for (Submission s : submissions) {
      ImageSpec spec = s.builder().spec();
      BuildView b =
          new BuildView(
              BuildIds.next(),
              BuildStatus.QUEUED,
              s.imageType(),
              spec.series(),
              spec.architecture().debianName(),
              spec.board(),
              spec.packages(),
              s.trigger(),
              spec.specHash(),
              spec.toCanonicalJson(),
              submittedBy,
              submittedFrom,
              Instant.now(),
              null,
              null,
              List.of(),
              List.of(),
              null,
              null,
              via,
              null,
              null);
      save(b);
      logs.put(b.id(), new BuildLog(logFile(b.id())));
      queue.submit(b, () -> run(b.id(), s));
      queued.add(b);
    }
    return queued;
  }

  /** The build's log; for a build of an earlier run of the console, its file, ended. */
  public BuildLog log(BuildView build) {
    return logs.computeIfAbsent(
        build.id(),
        id -> {
          BuildLog log = new BuildLog(logFile(id));
          log.end(build.status());
          return log;
        });
  }

  /** The output directory of a build. */
  public Path outputDir(String id) {
    return settings.buildsDir().resolve(BuildIds.check(id)).resolve("out");
  }

  private Path logFile(String id) {
    return settings.buildsDir().resolve(BuildIds.check(id)).resolve("build.log");
  }

  /**
   * Cancels a build: a queued one never starts, a running one is stopped by its handle (its cleanup
   * runs; it ends as CANCELLED). A finished build is left as it is.
   *
   * @return the build as it is now
   */
  public synchronized Optional<BuildView> cancel(String id) {
    Optional<BuildView> found = store.find(id);
    if (found.isEmpty()) {
      return found;
    }
    BuildView b = found.get();
    BuildLog log = logs.computeIfAbsent(id, i -> new BuildLog(logFile(i)));
    if (b.status() == BuildStatus.QUEUED) {
      b = b.with(BuildStatus.CANCELLED, null, Instant.now(), List.of(), List.of(), null, null);
      log.append("cancelled before it started");
      save(b);
      log.end(BuildStatus.CANCELLED);
    } else if (b.status() == BuildStatus.RUNNING && queue.keepsJobs()) {
      // a worker runs it: it is refused its next report (within seconds) and stops the build
      // through the library's cancellation; its result comes after and changes nothing
      log.append("cancelled while running; its worker stops the build");
      b =
          b.with(
              BuildStatus.CANCELLED,
              b.startedAt(),
              Instant.now(),
              b.stages(),
              List.of(),
              "cancelled",
              null);
      save(b);
      log.end(BuildStatus.CANCELLED);
    } else if (b.status() == BuildStatus.RUNNING) {
      BuildHandle h = running.get(id);
      if (h != null) {
        log.append("cancel requested");
        h.cancel();
      }
    }
    return Optional.of(b);
  }

  private void run(String id, Submission s) {
    BuildLog log = logs.get(id);
    StageTracker stages = new StageTracker();
    Path work = settings.workDir().resolve(id);
    BuildHandle handle;
    synchronized (this) {
      BuildView b = store.find(id).orElseThrow();
      if (b.status() != BuildStatus.QUEUED) {
        return; // cancelled while queued
      }
      b = b.with(BuildStatus.RUNNING, Instant.now(), null, List.of(), List.of(), null, null);
      save(b);
      log.append("build " + id + " of spec " + b.specHash() + " started");
      RunConfiguration run =
          RunConfiguration.into(outputDir(id))
              .withCacheDir(settings.cacheDir())
              .withWorkDir(work)
              .withTrigger(s.trigger())
              .onEvent(
                  StageStarted.class,
                  e -> {
                    log.append(StageTracker.startLine(e));
                    update(id, stages.started(e));
                  })
              .onEvent(StageFinished.class, e -> update(id, stages.finished(e)))
              .onEvent(
                  StageFailed.class,
                  e -> {
                    log.append(e.stageType() + " failed: " + e.message());
                    update(id, stages.failed(e));
                  })
              .onEvent(CommandOutput.class, e -> log.append(e.line()))
              .onEvent(LogLine.class, e -> log.append(e.level() + ": " + e.message()));
      try {
        handle = s.builder().start(run);
      } catch (RuntimeException e) {
        finish(id, stages, BuildStatus.FAILED, List.of(), e.getMessage(), null);
        return;
      }
      running.put(id, handle);
    }
    try {
      BuildResult result = handle.await();
      finish(
          id,
          stages,
          BuildStatus.SUCCEEDED,
          ArtifactViews.of(result, s.builder().spec().board()),
          null,
          null);
    } catch (BuildCancelledException e) {
      finish(id, stages, BuildStatus.CANCELLED, List.of(), e.getMessage(), null);
    } catch (ImageBuildException e) {
      String stage = StageTracker.failedStage(e);
      finish(id, stages, BuildStatus.FAILED, List.of(), e.getMessage(), stage);
    } catch (InterruptedException e) {
      handle.cancel();
      Thread.currentThread().interrupt();
      finish(id, stages, BuildStatus.CANCELLED, List.of(), "the console is shutting down", null);
    } catch (RuntimeException e) {
      LOG.warn("build {} failed", id, e);
      finish(id, stages, BuildStatus.FAILED, List.of(), String.valueOf(e.getMessage()), null);
    } finally {
      running.remove(id);
      removeWorkDir(work);
    }
  }

  private synchronized void update(String id, List<StageView> stages) {
    store
        .find(id)
        .filter(b -> b.status() == BuildStatus.RUNNING)
        .ifPresent(
            b -> save(b.with(b.status(), b.startedAt(), null, stages, List.of(), null, null)));
  }

  private synchronized void finish(
      String id,
      StageTracker stages,
      BuildStatus status,
      List<ArtifactView> artifacts,
      String error,
      String failedStage) {
    BuildView b = store.find(id).orElseThrow();
    // the last line first, so a listener that reads the log (a failure's mail) finds it
    BuildLog log = logs.computeIfAbsent(id, i -> new BuildLog(logFile(i)));
    log.append(
        "build " + id + " " + status.name().toLowerCase() + (error == null ? "" : ": " + error));
    save(
        b.with(
            status,
            b.startedAt(),
            Instant.now(),
            stages.snapshot(),
            artifacts,
            error,
            failedStage));
    log.end(status);
  }

  /**
   * A farm worker takes a build off its queue: a queued build, or a running one whose worker went
   * away (its job was delivered again), starts (again) on {@code worker}. A build that has ended is
   * left as it is: the worker is told so and acknowledges the job without building it twice.
   *
   * @return the build as it is now, empty for an unknown id
   */
  public synchronized Optional<BuildView> claim(String id, String worker) {
    Optional<BuildView> found = store.find(id);
    if (found.isEmpty() || found.get().status().isFinal()) {
      return found;
    }
    BuildView b = found.get();
    BuildLog log = logs.computeIfAbsent(id, i -> new BuildLog(logFile(i)));
    if (b.status() == BuildStatus.RUNNING) {
      log.append("the job was delivered again (its worker went away); starting again on " + worker);
    } else {
      log.append("build " + id + " of spec " + b.specHash() + " started on worker " + worker);
    }
    b = b.with(BuildStatus.RUNNING, Instant.now(), null, List.of(), List.of(), null, null);
    save(b);
    return Optional.of(b);
  }

  /**
   * A farm build whose worker stopped reporting goes back to the queue: QUEUED again, its job
   * handed to the queue once more (the next worker to take it starts it again).
   *
   * @return whether it was requeued (false when it is no longer running)
   */
  public synchronized boolean requeueLost(String id, String why) {
    Optional<BuildView> found = store.find(id).filter(b -> b.status() == BuildStatus.RUNNING);
    if (found.isEmpty()) {
      return false;
    }
    BuildView b =
        found.get().with(BuildStatus.QUEUED, null, null, List.of(), List.of(), null, null);
    logs.computeIfAbsent(id, i -> new BuildLog(logFile(i))).append("queued again: " + why);
    save(b);
    queue.submit(b, () -> {});
    return true;
  }

  /** Hands the job of a queued farm build to the queue again (its first one never got there). */
  public void republish(BuildView queued) {
    queue.submit(queued, () -> {});
  }

  /** A farm worker's log lines and stages so far, for a build it runs. */
  public synchronized void progress(String id, List<String> lines, List<StageView> stages) {
    BuildView b = store.find(id).orElseThrow(() -> unknown(id));
    if (b.status() != BuildStatus.RUNNING) {
      throw new IllegalStateException("build " + id + " is " + b.status() + ", not RUNNING");
    }
    BuildLog log = logs.computeIfAbsent(id, i -> new BuildLog(logFile(i)));
    lines.forEach(log::append);
    if (!stages.equals(b.stages())) {
      save(b.with(b.status(), b.startedAt(), null, stages, List.of(), null, null));
    }
  }

  /**
   * A farm worker's result. The artifacts it names must have been uploaded (each verified by its
   * sha256 then); their hashes are checked again here against the files the console holds. A build
   * that has ended already is returned as it is.
   *
   * @throws IllegalArgumentException when an artifact is missing or does not match
   */
  public synchronized BuildView complete(
      String id,
      BuildStatus status,
      List<StageView> stages,
      List<ArtifactView> artifacts,
      String error,
      String failedStage) {
    BuildView b = store.find(id).orElseThrow(() -> unknown(id));
    if (b.status().isFinal()) {
      return b;
    }
    if (!status.isFinal()) {
      throw new IllegalArgumentException(
          "invalid result status '" + status + "' (expected SUCCEEDED, FAILED or CANCELLED)");
    }
    for (ArtifactView a : artifacts) {
      Path file = outputDir(id).resolve(UploadedFiles.checkName(a.name()));
      String actual = UploadedFiles.sha256(file);
      if (!a.sha256().equals(actual)) {
        throw new IllegalArgumentException(
            "artifact '"
                + a.name()
                + "' of build "
                + id
                + (actual == null ? " was not uploaded" : " has sha256 " + actual)
                + " (expected "
                + a.sha256()
                + ", as the result says)");
      }
    }
    StageTracker tracker = new StageTracker(stages);
    finish(id, tracker, status, artifacts, error, failedStage);
    return store.find(id).orElseThrow();
  }

  private static IllegalArgumentException unknown(String id) {
    return new IllegalArgumentException("unknown build '" + BuildIds.excerpt(id) + "'");
  }

  /** The engine empties its work directory; the directory itself is ours to remove. */
  private static void removeWorkDir(Path work) {
    try {
      Files.deleteIfExists(work);
    } catch (IOException e) {
      LOG.warn("work directory {} was left behind: {}", work, e.toString());
    }
  }

  /**
   * Stops the running builds and the queue, and waits (up to two minutes) for the builds' cleanup
   * to end, so the JVM does not exit with a build's mounts or processes still there.
   */
  public void shutdown() {
    List<BuildHandle> handles = List.copyOf(running.values());
    handles.forEach(BuildHandle::cancel);
    queue.shutdown();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    for (BuildHandle h : handles) {
      try {
        h.result()
            .handle((r, e) -> null)
            .get(
                Math.max(0, deadline - System.nanoTime()),
                java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("a cancelled build had not finished its cleanup when the console stopped");
      }
    }
  }
}
