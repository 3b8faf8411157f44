package io.imagebuilder.console.retention;

import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.worker.WorkerCleanup;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the retention rules: a build they choose loses its directory (artifacts and log), its row
 * stays, marked expired, and the image index keeps its spec and manifest; each removal is in the
 * audit log. Marking a build as a release goes through here too, under the same lock, so a build
 * becoming a release is never removed by a run that chose it a moment before.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final RetentionRules rules;
  private final BuildStore store;
  private final BuildFiles files;
  private final AuditLog audit;
  private final Clock clock;

  Retention(RetentionRules rules, BuildStore store, BuildFiles files, AuditLog audit, Clock clock) {
    this.rules = rules;
    this.store = store;
    this.files = files;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * What a run now would remove, with the bytes each frees.
   *
   * @return one entry per build, the oldest first
   */
  public List<Pending> pending() {
    List<Pending> out = new ArrayList<>();
    for (RetentionRules.Expiry e : rules.expired(store.all(), clock.instant())) {
      String id = e.build().id();
      out.add(
          new Pending(
              id,
              e.build().submittedBy(),
              e.reason(),
              files.artifactBytes(id) + files.logBytes(id)));
    }
    return out;
  }

  /**
   * A build the next retention run removes.
   *
   * @param id the build
   * @param submittedBy its account
   * @param reason the rule
   * @param bytes what removing it frees
   */
  public record Pending(String id, String submittedBy, String reason, long bytes) {}

  /**
   * Removes the files of every build the rules choose now.
   *
   * @param by who runs it (an admin's name, or {@code retention} for the schedule)
   * @param from their remote address, or ""
   * @return the builds expired
   */
  public synchronized List<Pending> run(String by, String from) {
    List<Pending> done = new ArrayList<>();
    for (RetentionRules.Expiry e : rules.expired(store.all(), clock.instant())) {
      BuildView b = e.build();
      long bytes = files.artifactBytes(b.id()) + files.logBytes(b.id());
      try {
        WorkerCleanup.deleteTree(files.dir(b.id()));
      } catch (IOException ex) {
        LOG.warn("retention could not remove build {}: {}", b.id(), ex.toString());
        continue;
      }
      store.save(b.withExpired(clock.instant()));
      audit.record(by, "expire", b.id() + ": " + e.reason(), from);
      done.add(new Pending(b.id(), b.submittedBy(), e.reason(), bytes));
    }
    if (!done.isEmpty()) {
      LOG.info("retention removed {} builds", done.size());
    }
    return done;
  }

  /**
   * Marks build {@code id} as a release of {@code by}'s.
   *
   * @return the build as it is now, empty for an unknown id
   * @throws IllegalStateException when the build has not succeeded or its files are gone
   */
  public synchronized Optional<BuildView> release(String id, String by) {
    Optional<BuildView> found = store.find(id);
    if (found.isEmpty() || found.get().release() != null) {
      return found;
    }
    BuildView b = found.get();
    if (b.expiredAt() != null) {
      throw new IllegalStateException(
          "build " + id + " expired at " + b.expiredAt() + "; its artifacts are gone");
    }
    if (b.status() != io.imagebuilder.console.build.BuildStatus.SUCCEEDED) {
      throw new IllegalStateException(
          "build " + id + " is " + b.status() + " (expected a SUCCEEDED build to release)");
    }
    b = b.withRelease(new BuildView.Release(by, clock.instant()));
    store.save(b);
    return Optional.of(b);
  }
}
