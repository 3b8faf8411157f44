package io.imagebuilder.console.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import io.imagebuilder.console.build.Submission;
import io.imagebuilder.console.build.SubmissionReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Who builds a farm build: one live worker at a time, a silent worker's build queued again (then
 * failed after the attempts), a job the broker never confirmed published again, a restarted console
 * that gives its workers time. SQLite, no broker: the queue here records the jobs.
 */
class FarmDispatcherTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
  private final MovingClock clock = new MovingClock();

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    Instant now = Instant.now();

    void pass(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** The broker: records each job, confirms it unless it is down. */
  private static final class Broker implements BuildQueue {
    final List<String> jobs = new ArrayList<>();
    final FarmLeases leases;
    boolean down;

    Broker(FarmLeases leases) {
      this.leases = leases;
    }

    @Override
    public void submit(BuildView build, Runnable runHere) {
      if (!down) {
        jobs.add(build.id());
        leases.published(build.id(), Instant.now());
      }
    }

    @Override
    public boolean keepsJobs() {
      return true;
    }

    @Override
    public void shutdown() {}
  }

  /** A console (re)started on the same database. */
  private final class Console {
    final ConsoleDatabase db = databases.sqlite(dir.resolve("console.db"));
    final BuildStore store = new JdbcBuildStore(db, json);
    final FarmLeases leases = new FarmLeases(db);
    final Broker broker = new Broker(leases);
    final BuildService builds =
        new BuildService(
            new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null), store, broker);

    FarmDispatcher dispatcher(int maxAttempts) {
      return new FarmDispatcher(builds, store, leases, TIMEOUT, maxAttempts, clock);
    }

    String submit() {
      List<Submission> s =
          new SubmissionReader(ImageTypes.standard(), new ObjectMapper())
              .read(
                  "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"]}"
                      .getBytes(StandardCharsets.UTF_8));
      return builds.submit(s, "amqp", "amqp:q").get(0).id();
    }

    BuildView build(String id) {
      return store.find(id).orElseThrow();
    }

    String log(String id) throws Exception {
      return Files.readString(builds.log(build(id)).file());
    }
  }

  @Test
  void aJobDeliveredTwiceIsBuiltByOneWorkerOnly() {
    Console c = new Console();
    FarmDispatcher d = c.dispatcher(3);
    String id = c.submit();

    assertEquals(Optional.of(FarmDispatcher.Claim.BUILD), d.claim(id, "w1"));
    assertEquals(Optional.of(FarmDispatcher.Claim.REFUSED), d.claim(id, "w2"));
    assertTrue(d.holds(id, "w1"));
    assertFalse(d.holds(id, "w2"), "w2 may not report on w1's build");
    assertEquals(Optional.empty(), d.claim("0123456789abcdef", "w1"), "an unknown build");
  }

  @Test
  void aBuildWhoseWorkerFellSilentIsQueuedAgainAndTheOldWorkerIsToldToStop() throws Exception {
    Console c = new Console();
    FarmDispatcher d = c.dispatcher(3);
    String id = c.submit();
    d.claim(id, "w1");
    clock.pass(TIMEOUT.minusSeconds(1));
    assertTrue(d.holds(id, "w1")); // a heartbeat
    clock.pass(TIMEOUT.minusSeconds(1));
    d.sweep();
    assertEquals(BuildStatus.RUNNING, c.build(id).status(), "it reported in time");

    clock.pass(TIMEOUT.plusSeconds(1));
    d.sweep();
    assertEquals(BuildStatus.QUEUED, c.build(id).status());
    assertEquals(List.of(id, id), c.broker.jobs, "its job published again");
    assertTrue(c.log(id).contains("queued again: worker w1 has not reported for 60 s"), c.log(id));

    assertEquals(Optional.of(FarmDispatcher.Claim.BUILD), d.claim(id, "w2"));
    assertFalse(d.holds(id, "w1"), "w1 comes back: it is told to stop");
    assertTrue(d.holds(id, "w2"));
  }

  @Test
  void aBuildThatLostItsWorkerTooOftenFailsWithTheReason() {
    Console c = new Console();
    FarmDispatcher d = c.dispatcher(2);
    String id = c.submit();
    d.claim(id, "w1");
    clock.pass(TIMEOUT.plusSeconds(1));
    d.sweep();
    d.claim(id, "w2");
    clock.pass(TIMEOUT.plusSeconds(1));
    d.sweep();

    BuildView b = c.build(id);
    assertEquals(BuildStatus.FAILED, b.status());
    assertTrue(b.error().contains("lost its worker 2 times"), b.error());
    assertTrue(b.error().contains("worker w2 has not reported"), b.error());
    assertEquals(Optional.of(FarmDispatcher.Claim.REFUSED), d.claim(id, "w3"));
  }

  @Test
  void aJobTheBrokerNeverConfirmedIsPublishedWhenItIsBack() {
    Console c = new Console();
    FarmDispatcher d = c.dispatcher(3);
    c.broker.down = true;
    String id = c.submit();
    assertEquals(BuildStatus.QUEUED, c.build(id).status(), "taken though the broker is down");
    c.broker.down = false;
    d.sweep();
    assertEquals(List.of(), c.broker.jobs, "not while it may still be publishing");

    clock.pass(Duration.ofSeconds(6));
    d.sweep();
    assertEquals(List.of(id), c.broker.jobs);
    d.sweep();
    assertEquals(List.of(id), c.broker.jobs, "published once");
  }

  @Test
  void aRestartedConsoleKeepsRunningBuildsAndGivesTheirWorkersTime() {
    Console first = new Console();
    String id = first.submit();
    first.dispatcher(3).claim(id, "w1");
    clock.pass(Duration.ofMinutes(5)); // the console was away, w1 could not report

    Console again = new Console();
    FarmDispatcher d = again.dispatcher(3);
    assertEquals(BuildStatus.RUNNING, again.build(id).status(), "not failed: a worker runs it");
    d.sweep();
    assertEquals(BuildStatus.RUNNING, again.build(id).status());
    assertEquals(Optional.of(FarmDispatcher.Claim.REFUSED), d.claim(id, "w2"));
    assertTrue(d.holds(id, "w1"), "w1 reaches the console again");
    assertEquals(List.of(), again.broker.jobs, "nothing queued twice");

    // and a worker that never comes back loses it, counted from the restart
    clock.pass(TIMEOUT.plusSeconds(1));
    d.sweep();
    assertEquals(BuildStatus.QUEUED, again.build(id).status());
  }

  @Test
  void aRunningFarmBuildCancelledStopsItsWorker() {
    Console c = new Console();
    FarmDispatcher d = c.dispatcher(3);
    String id = c.submit();
    d.claim(id, "w1");

    assertEquals(BuildStatus.CANCELLED, c.builds.cancel(id).orElseThrow().status());
    assertFalse(d.holds(id, "w1"), "its next report is refused: the worker stops the build");
    // the worker's result comes after and changes nothing
    BuildView after =
        c.builds.complete(id, BuildStatus.CANCELLED, List.of(), List.of(), "stopped", null);
    assertEquals(BuildStatus.CANCELLED, after.status());
    assertEquals("cancelled", after.error());
  }
}
