package io.imagebuilder.console.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
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
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.ArtifactViews;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.StageTracker;
import io.imagebuilder.console.farm.FarmJob;
import io.imagebuilder.console.farm.JsonMessages;
import io.imagebuilder.console.farm.WorkerReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Takes one job at a time off the queues of its architectures and builds it with the library. The
 * job is acknowledged only once the console has stored the result (every file uploaded and verified
 * by its sha256): a worker that dies before leaves the job to the broker, which delivers it again
 * to another. A job whose build has ended already, or that another live worker holds (a job
 * delivered twice), is acknowledged without building it: the console decides who builds.
 */
final class FarmWorker implements ChannelAwareMessageListener {
  private static final Logger LOG = LoggerFactory.getLogger(FarmWorker.class);
  private static final Duration DELIVERY_PATIENCE = Duration.ofMinutes(10);

  private final WorkerSettings settings;
  private final ConsoleClient console;
  private final ObjectMapper json;

  FarmWorker(WorkerSettings settings, ConsoleClient console, ObjectMapper json) {
    this.settings = settings;
    this.console = console;
    this.json = json;
  }

  @Override
  public void onMessage(Message message, Channel channel) throws Exception {
    long tag = message.getMessageProperties().getDeliveryTag();
    FarmJob job;
    try {
      job = JsonMessages.read(json, message, FarmJob.class);
    } catch (IllegalArgumentException e) {
      LOG.warn("dropping a job that cannot be read: {}", e.getMessage());
      channel.basicReject(tag, false);
      return;
    }
    try {
      if (console.claim(job.buildId()) == ConsoleClient.Claim.SKIP) {
        LOG.info(
            "build {} has ended or another worker holds it; acknowledged without building",
            job.buildId());
      } else {
        build(job);
      }
    } catch (IOException e) {
      // the console cannot be reached or refused the result: the job goes back to the queue
      LOG.warn("build {}: {}; its job goes back to the queue", job.buildId(), e.toString());
      Thread.sleep(5000);
      settle(channel, tag, job, false);
      return;
    }
    settle(channel, tag, job, true);
  }

  /**
   * Acknowledges (or returns) a job. The channel it came on may be gone (the broker restarted while
   * the build ran): then the broker has put the job back already, and whoever takes it next is told
   * by the console that the build has ended.
   */
  private static void settle(Channel channel, long tag, FarmJob job, boolean ack) {
    try {
      if (ack) {
        channel.basicAck(tag, false);
      } else {
        channel.basicNack(tag, false, true);
      }
    } catch (IOException | AlreadyClosedException e) {
      LOG.info(
          "build {}: its job's channel closed meanwhile ({}); the broker delivers it again",
          job.buildId(),
          e.toString());
    }
  }

  private void build(FarmJob job) throws IOException, InterruptedException {
    String id = job.buildId();
    Path dir = settings.workDir().resolve("out").resolve(id);
    Path out = dir;
    Path work = settings.workDir().resolve("builds");
    // what a killed earlier build of this worker left: its mounts and processes, then its files
    WorkerCleanup.clean(work);
    WorkerCleanup.deleteTree(out);
    BuildHandle[] handle = new BuildHandle[1];
    WorkerReports.Result result;
    boolean taken;
    try (ProgressReporter progress =
        new ProgressReporter(
            console,
            id,
            () -> {
              if (handle[0] != null) {
                handle[0].cancel();
              }
            })) {
      progress.line("worker " + settings.name() + ": building " + job.architecture() + " job");
      try {
        ImageBuilder builder = ImageBuilder.fromSpec(ImageSpec.fromJson(job.specJson()));
        RunConfiguration run =
            RunConfiguration.into(out)
                .withCacheDir(settings.cacheDir())
                .withWorkDir(work.resolve(id))
                .withTrigger(job.trigger() == null ? "" : job.trigger())
                .onEvent(
                    StageStarted.class,
                    e -> {
                      progress.line(StageTracker.startLine(e));
                      progress.stages.started(e);
                    })
                .onEvent(StageFinished.class, progress.stages::finished)
                .onEvent(
                    StageFailed.class,
                    e -> {
                      progress.line(e.stageType() + " failed: " + e.message());
                      progress.stages.failed(e);
                    })
                .onEvent(CommandOutput.class, e -> progress.line(e.line()))
                .onEvent(LogLine.class, e -> progress.line(e.level() + ": " + e.message()));
        handle[0] = builder.start(run);
        BuildResult built = handle[0].await();
        List<ArtifactView> artifacts = ArtifactViews.of(built, builder.spec().board());
        result =
            new WorkerReports.Result(
                BuildStatus.SUCCEEDED, progress.stages.snapshot(), artifacts, null, null);
      } catch (BuildCancelledException e) {
        result = ended(progress, BuildStatus.CANCELLED, e.getMessage(), null);
      } catch (ImageBuildException e) {
        String stage = StageTracker.failedStage(e);
        result = ended(progress, BuildStatus.FAILED, e.getMessage(), stage);
      } catch (IllegalArgumentException e) {
        result = ended(progress, BuildStatus.FAILED, e.getMessage(), null);
      } catch (InterruptedException e) {
        if (handle[0] != null) {
          handle[0].cancel();
          handle[0].result().handle((r, x) -> null).join(); // its cleanup runs to the end
        }
        throw e;
      }
      // the reporter keeps beating while the files go up, so the console knows this worker lives
      taken = deliver(id, out, progress, result);
    }
    LOG.info(
        "build {} {} on {}{}",
        id,
        result.status(),
        settings.name(),
        taken ? "" : " (the console no longer wanted it: cancelled or queued again)");
    WorkerCleanup.deleteTree(out);
  }

  /**
   * Uploads the files of a succeeded build, then sends the result; through a console that is away
   * for a while (restarting) by trying again, up to {@link #DELIVERY_PATIENCE}, so a finished build
   * is not built again for want of a console.
   *
   * @return whether the console took the result
   */
  private boolean deliver(
      String id, Path out, ProgressReporter progress, WorkerReports.Result result)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DELIVERY_PATIENCE.toNanos();
    long pause = 1000;
    while (true) {
      try {
        progress.flush();
        if (result.status() == BuildStatus.SUCCEEDED) {
          for (Path f : filesIn(out)) {
            if (!console.upload(id, f)) {
              return false;
            }
          }
        }
        return console.result(id, result).isPresent();
      } catch (IOException e) {
        boolean worthRetrying = !(e instanceof ConsoleClient.Refused r) || r.transientFailure();
        if (!worthRetrying || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.warn(
            "build {}: cannot deliver its result yet ({}); trying again in {} s",
            id,
            e.toString(),
            pause / 1000);
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 15_000);
      }
    }
  }

  private static WorkerReports.Result ended(
      ProgressReporter progress, BuildStatus status, String error, String stage) {
    progress.line("build " + status.name().toLowerCase() + ": " + error);
    return new WorkerReports.Result(status, progress.stages.ended(status), List.of(), error, stage);
  }

  /**
   * The build's output files. Hidden ones are the library's own (the output directory's lock
   * marker, half-written temporaries), never outputs, so they stay on the worker.
   */
  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }
}
