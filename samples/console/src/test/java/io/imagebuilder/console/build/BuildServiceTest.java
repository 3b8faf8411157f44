package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Queueing, cancelling before the start, and queueing again after a restart. The queue here only
 * holds the jobs: no build runs (no root, no network).
 */
class BuildServiceTest {
  @TempDir Path dir;
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

  /** A queue that keeps its jobs, to run them when the test says. */
  private static final class HeldQueue implements BuildQueue {
    final List<Runnable> jobs = new ArrayList<>();

    @Override
    public void submit(BuildView build, Runnable runHere) {
      jobs.add(runHere);
    }

    @Override
    public void shutdown() {}
  }

  @AutoClose private final TestDatabases databases = new TestDatabases();

  /** The store of a console started on the settings' data directory. */
  private BuildStore store(ConsoleSettings settings) {
    return new JdbcBuildStore(databases.sqlite(settings.dataDir().resolve("console.db")), json);
  }

  private ConsoleSettings settings() {
    return new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null);
  }

  private static List<Submission> hello() {
    return new SubmissionReader(ImageTypes.standard(), new ObjectMapper())
        .read(
            "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"],\"trigger\":\"t/1\"}"
                .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBuildCancelledWhileQueuedNeverStarts() throws Exception {
    ConsoleSettings settings = settings();
    BuildStore store = store(settings);
    HeldQueue queue = new HeldQueue();
    BuildService service = new BuildService(settings, store, queue);

    BuildView b = service.submit(hello(), "alice", "127.0.0.1").get(0);
    assertEquals(BuildStatus.QUEUED, b.status());
    assertEquals("t/1", b.trigger());
    assertEquals(1, queue.jobs.size());

    assertEquals(BuildStatus.CANCELLED, service.cancel(b.id()).orElseThrow().status());
    queue.jobs.get(0).run(); // its slot comes: nothing happens
    assertEquals(BuildStatus.CANCELLED, store.find(b.id()).orElseThrow().status());
    assertFalse(Files.exists(settings.workDir().resolve(b.id())));
    assertFalse(Files.exists(service.outputDir(b.id())));
    assertTrue(Files.readString(service.log(b).file()).contains("cancelled before it started"));
  }

  @Test
  void buildsQueuedWhenTheConsoleStoppedAreQueuedAgainOldestFirst() throws Exception {
    ConsoleSettings settings = settings();
    BuildService first = new BuildService(settings, store(settings), new HeldQueue());
    String one = first.submit(hello(), "alice", "a").get(0).id();
    Thread.sleep(5); // distinct submission times
    String two =
        first
            .submit(
                List.of(
                    new Submission(
                        "spec", ImageBuilder.forSeries("trixie").withPackages("curl"), "")),
                "bob",
                "b")
            .get(0)
            .id();

    // The console starts again on the same data directory.
    BuildStore store = store(settings);
    HeldQueue queue = new HeldQueue();
    BuildService again = new BuildService(settings, store, queue);
    assertEquals(2, queue.jobs.size());
    assertEquals(BuildStatus.QUEUED, store.find(one).orElseThrow().status());
    assertEquals(
        List.of(two, one), store.all().stream().map(BuildView::id).toList(), "newest first");
    // Cancelling the first job queued again shows which build it is: the oldest.
    again.cancel(one);
    queue.jobs.get(0).run();
    assertEquals(BuildStatus.CANCELLED, store.find(one).orElseThrow().status());
    assertEquals(BuildStatus.QUEUED, store.find(two).orElseThrow().status());
  }

  /** A queue like the farm's: the broker keeps its jobs, nothing runs here. */
  private static final class BrokerQueue implements BuildQueue {
    final List<BuildView> jobs = new ArrayList<>();

    @Override
    public void submit(BuildView build, Runnable runHere) {
      jobs.add(build);
    }

    @Override
    public boolean keepsJobs() {
      return true;
    }

    @Override
    public void shutdown() {}
  }

  @Test
  void aFarmBuildIsClaimedAgainAfterItsWorkerWentAwayAndNeverAfterItEnded() throws Exception {
    ConsoleSettings settings = settings();
    BuildStore store = store(settings);
    BrokerQueue queue = new BrokerQueue();
    List<BuildView> told = new ArrayList<>();
    BuildService service = new BuildService(settings, store, queue, List.of(told::add));
    String id = service.submit(hello(), "amqp", "amqp:q").get(0).id();
    assertEquals(id, queue.jobs.get(0).id());

    assertEquals(BuildStatus.RUNNING, service.claim(id, "w1").orElseThrow().status());
    service.progress(id, List.of("line one"), List.of());
    // w1 died; the broker delivers the job again, to w2
    assertEquals(BuildStatus.RUNNING, service.claim(id, "w2").orElseThrow().status());
    String sha = io.imagebuilder.console.Sha256.of("image".getBytes(StandardCharsets.UTF_8));
    UploadedFiles.store(
        new java.io.ByteArrayInputStream("image".getBytes(StandardCharsets.UTF_8)),
        service.outputDir(id),
        "rootfs.tar.zst",
        sha);
    ArtifactView a = new ArtifactView("rootfs.tar.zst", "tar.zst", 5, sha, null);
    BuildView done = service.complete(id, BuildStatus.SUCCEEDED, List.of(), List.of(a), null, null);
    assertEquals(BuildStatus.SUCCEEDED, done.status());
    assertEquals(List.of(a), done.artifacts());

    // a third delivery (say the ack was lost) finds it ended: not built again
    assertEquals(BuildStatus.SUCCEEDED, service.claim(id, "w3").orElseThrow().status());
    String log = Files.readString(service.log(done).file());
    assertTrue(log.contains("started on worker w1"), log);
    assertTrue(log.contains("delivered again") && log.contains("w2"), log);
    assertFalse(log.contains("w3"), log);
    assertEquals(
        List.of(
            BuildStatus.QUEUED, BuildStatus.RUNNING, BuildStatus.RUNNING, BuildStatus.SUCCEEDED),
        told.stream().map(BuildView::status).toList());

    // a console restarted on the same data does not queue farm jobs again: the broker has them
    BrokerQueue again = new BrokerQueue();
    new BuildService(settings, store(settings), again);
    assertTrue(again.jobs.isEmpty());
  }

  @Test
  void aResultWhoseArtifactWasNotUploadedOrDiffersIsRefused() throws Exception {
    ConsoleSettings settings = settings();
    BuildStore store = store(settings);
    BuildService service = new BuildService(settings, store, new BrokerQueue());
    String id = service.submit(hello(), "amqp", "amqp:q").get(0).id();
    service.claim(id, "w1");
    String sha = io.imagebuilder.console.Sha256.of("image".getBytes(StandardCharsets.UTF_8));
    ArtifactView a = new ArtifactView("rootfs.tar.zst", "tar.zst", 5, sha, null);
    IllegalArgumentException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> service.complete(id, BuildStatus.SUCCEEDED, List.of(), List.of(a), null, null));
    assertTrue(missing.getMessage().contains("was not uploaded"), missing.getMessage());
    // an upload of other bytes under the artifact's name, as a worker's PUT stores it
    Files.createDirectories(service.outputDir(id));
    Files.writeString(service.outputDir(id).resolve("rootfs.tar.zst"), "other");
    IllegalArgumentException differs =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> service.complete(id, BuildStatus.SUCCEEDED, List.of(), List.of(a), null, null));
    assertTrue(differs.getMessage().contains("expected " + sha), differs.getMessage());
    assertEquals(BuildStatus.RUNNING, store.find(id).orElseThrow().status());
  }

  @Test
  void everyBuildRecordsWhoSubmittedItFromWhereAndHow() {
    ConsoleSettings settings = settings();
    BuildStore store = store(settings);
    BuildService service = new BuildService(settings, store, new HeldQueue());

    BuildView fromUi = service.submit(hello(), "alice", "192.0.2.7", "ui").get(0);
    BuildView fromQueue = service.submit(hello(), "amqp", "requests").get(0);
    BuildView stored = store(settings).find(fromUi.id()).orElseThrow();
    assertEquals("alice", stored.submittedBy());
    assertEquals("192.0.2.7", stored.submittedFrom());
    assertEquals("ui", stored.via());
    assertEquals("queue", store.find(fromQueue.id()).orElseThrow().via());
    // a change of status keeps how it came
    assertEquals("ui", service.cancel(fromUi.id()).orElseThrow().via());
    assertEquals("ui", store.find(fromUi.id()).orElseThrow().via());
  }
}
