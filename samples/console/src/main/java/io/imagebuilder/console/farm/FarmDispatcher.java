package io.imagebuilder.console.farm;

import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which worker builds a farm build, so that each build runs on one worker at a time and
 * ends once, whatever the broker, the console or a worker did in between. A job on the broker is
 * only a call for a worker: the build's state and its lease ({@link FarmLeases}) in the database
 * are the truth.
 *
 * <ul>
 *   <li>A claim builds a QUEUED build; a RUNNING one only when its lease is this worker's (the same
 *       node, restarted) or its holder stopped reporting for the heartbeat timeout. Anything else
 *       (ended, cancelled, held by a live worker: a job delivered twice) is refused, and the worker
 *       acknowledges the job without building.
 *   <li>Reports and uploads are taken from the holder only; another worker is told to stop.
 *   <li>{@link #sweep()} (every few seconds, and once when the console starts): a QUEUED build
 *       whose job the broker never confirmed is published again; a RUNNING build whose holder has
 *       not reported for the timeout (counted from the console's start at the earliest, so workers
 *       have time to reach a restarted console) is queued again, or failed with the reason once it
 *       has been taken {@code maxAttempts} times.
 * </ul>
 */
public final class FarmDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(FarmDispatcher.class);

  /** What a claim answers. */
  public enum Claim {
    /** Build it. */
    BUILD,
    /** Do not build it (ended, or another live worker holds it): acknowledge its job. */
    REFUSED
  }

  private final BuildService builds;
  private final BuildStore store;
  private final FarmLeases leases;
  private final Duration timeout;
  private final int maxAttempts;
  private final Clock clock;
  private final Instant started;

  public FarmDispatcher(
      BuildService builds,
      BuildStore store,
      FarmLeases leases,
      Duration heartbeatTimeout,
      int maxAttempts,
      Clock clock) {
    this.builds = builds;
    this.store = store;
    this.leases = leases;
    this.timeout = heartbeatTimeout;
    this.maxAttempts = maxAttempts;
    this.clock = clock;
    this.started = clock.instant();
  }

  /**
   * {@code worker} took the job of build {@code id} off its queue.
   *
   * @return empty for an unknown build
   */
  public synchronized Optional<Claim> claim(String id, String worker) {
    Optional<BuildView> found = store.find(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    BuildView b = found.get();
    if (b.status().isFinal()) {
      return Optional.of(Claim.REFUSED);
    }
    if (b.status() == BuildStatus.RUNNING) {
      Optional<FarmLeases.Lease> lease = leases.find(id);
      boolean mine = lease.map(l -> worker.equals(l.worker())).orElse(false);
      if (!mine && lease.isPresent() && !stale(lease.get())) {
        LOG.info(
            "build {} is held by live worker {}; {}'s job of it is dropped",
            id,
            lease.get().worker(),
            worker);
        return Optional.of(Claim.REFUSED);
      }
    }
    builds.claim(id, worker);
    leases.take(id, worker, clock.instant());
    return Optional.of(Claim.BUILD);
  }

  /**
   * Whether {@code worker} holds the running build {@code id} (and may report, upload and send its
   * result); a report from the holder counts as its heartbeat.
   */
  public synchronized boolean holds(String id, String worker) {
    Optional<BuildView> b = store.find(id);
    if (b.isEmpty() || b.get().status() != BuildStatus.RUNNING) {
      return false;
    }
    Optional<FarmLeases.Lease> lease = leases.find(id);
    if (lease.isEmpty() || !Objects.equals(lease.get().worker(), worker)) {
      return false;
    }
    leases.heartbeat(id, clock.instant());
    return true;
  }

  /** Publishes what was never published, and requeues (or fails) what lost its worker. */
  public void sweep() {
    Instant now = clock.instant();
    for (BuildView b : store.withStatus(BuildStatus.QUEUED)) {
      Optional<FarmLeases.Lease> lease = leases.find(b.id());
      // a build just submitted may be publishing now: only the older ones are retried
      if (lease.map(l -> l.publishedAt() == null).orElse(true)
          && b.submittedAt().isBefore(now.minusSeconds(5))) {
        LOG.info("build {}: its job was never confirmed by the broker; publishing it", b.id());
        builds.republish(b);
      }
    }
    if (now.isBefore(started.plus(timeout))) {
      return; // give the workers time to reach a console that just started
    }
    for (BuildView b : store.withStatus(BuildStatus.RUNNING)) {
      lost(b, leases.find(b.id()));
    }
  }

  private synchronized void lost(BuildView b, Optional<FarmLeases.Lease> lease) {
    if (lease.isPresent() && !stale(lease.get())) {
      return;
    }
    String worker = lease.map(FarmLeases.Lease::worker).orElse("?");
    int attempts = lease.map(FarmLeases.Lease::attempts).orElse(0);
    String why =
        "worker "
            + worker
            + " has not reported for "
            + timeout.toSeconds()
            + " s (attempt "
            + attempts
            + " of "
            + maxAttempts
            + ")";
    if (attempts >= maxAttempts) {
      LOG.warn("build {} failed: {}", b.id(), why);
      builds.complete(
          b.id(),
          BuildStatus.FAILED,
          b.stages(),
          List.of(),
          "lost its worker " + attempts + " times; last: " + why,
          null);
      return;
    }
    leases.release(b.id());
    if (builds.requeueLost(b.id(), why)) {
      LOG.info("build {} queued again: {}", b.id(), why);
    }
  }

  private boolean stale(FarmLeases.Lease lease) {
    Instant last = lease.heartbeatAt() == null ? Instant.EPOCH : lease.heartbeatAt();
    if (last.isBefore(started)) {
      last = started; // the console was away: its workers could not report
    }
    return last.plus(timeout).isBefore(clock.instant());
  }
}
