package io.imagebuilder.testing.internal;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.io.DirectoryLock;
import io.imagebuilder.internal.io.SafeDelete;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a fixture ready: checks that this host can build and run it (else skips or fails, see
 * {@link Skips}), then, holding the fixture's lock in the run directory, builds it through the
 * library with the stage cache (an unchanged plan's artifacts come back from the cache, after the
 * library checked every input it resolved), and unpacks its tarball unless the tree in the run
 * directory is already that tarball's. A JVM does this once per fixture; the JVMs of one run take
 * turns on the lock, so the first builds and the others reuse.
 */
public final class FixturePreparation {
  /** How long the archive gets to accept a connection before the fixture is skipped. */
  static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(10);

  private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();
  private static final Map<String, Object> GUARDS = new ConcurrentHashMap<>();

  private FixturePreparation() {}

  /**
   * A fixture ready to use.
   *
   * @param description a short name of the image, for messages
   * @param store its directory in the run directory
   * @param tarball its rootfs tarball
   * @param result the build's result (from the stage cache when {@code result.fromCache()})
   * @param strategy the execution strategy whose preflight passed
   * @param elapsed how long the preparation took in this JVM, not counting the wait for another
   *     JVM's build
   * @param unpacked whether this JVM unpacked the tarball (false: the tree was the same one)
   */
  public record Prepared(
      String description,
      FixtureStore store,
      Path tarball,
      BuildResult result,
      String strategy,
      Duration elapsed,
      boolean unpacked) {
    /** {@return the unpacked rootfs} */
    public Path rootfs() {
      return store.rootfs();
    }
  }

  /** The prepared fixture for {@code image}, preparing it if this JVM has not yet. */
  public static Prepared prepare(ImageBuilder image, FixtureSettings settings)
      throws ImageBuildException, IOException, InterruptedException {
    ImageSpec spec = image.spec();
    String description = describe(spec);
    String planId = image.plan().id();
    String key = settings.runDir() + "/" + planId + (settings.refresh() ? "/refresh" : "");
    Prepared done = PREPARED.get(key);
    if (done != null) {
      return done;
    }
    synchronized (GUARDS.computeIfAbsent(key, k -> new Object())) {
      done = PREPARED.get(key);
      if (done == null) {
        done =
            prepareNow(
                image, spec, description, FixtureStore.of(settings.runDir(), planId), settings);
        PREPARED.put(key, done);
      }
      return done;
    }
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private static Prepared prepareNow(
      ImageBuilder image,
      ImageSpec spec,
      String description,
      FixtureStore store,
      FixtureSettings settings)
      throws ImageBuildException, IOException, InterruptedException {
    long start = System.nanoTime();
    // The archive is tried while the strategies' preflights run: both are waits.
    CompletableFuture<Optional<String>> archive =
        CompletableFuture.supplyAsync(
            () -> HostConditions.archiveUnreachable(spec.mirror(), ARCHIVE_TIMEOUT));
    HostConditions.StrategyCheck strategy =
        HostConditions.executorFor(
            spec.architecture(),
            ExecutionStrategies.available(),
            settings.runDir().resolve(".probe"));
    if (strategy.failure().isPresent()) {
      Skips.cannot(
          "fixture " + description + ": " + strategy.failure().get(), settings.failInsteadOfSkip());
    }
    Optional<String> offline = archive.join();
    if (offline.isPresent()) {
      Skips.cannot("fixture " + description + ": " + offline.get(), settings.failInsteadOfSkip());
    }
    long checked = System.nanoTime();
    try (DirectoryLock lock = store.lock(settings.lockTimeout())) {
      long waited = System.nanoTime() - checked;
      SafeDelete.deleteTreeOrThrow(store.nextOutput());
      RunConfiguration run =
          RunConfiguration.into(store.nextOutput())
              .withExecutor(strategy.strategy())
              .withStageCache(!settings.refresh());
      settings.cacheDir().ifPresent(run::withCacheDir);
      long buildStart = System.nanoTime();
      BuildResult result = image.build(run);
      Duration buildTime = Duration.ofNanos(System.nanoTime() - buildStart);
      Artifact tar = tarball(result, description);
      Path relative = store.nextOutput().toAbsolutePath().relativize(tar.file().toAbsolutePath());
      store.replaceOutput();
      Path tarball = store.output().resolve(relative);
      boolean unpack = !store.unpackedFrom().equals(Optional.of(tar.sha256()));
      if (unpack) {
        store.forgetUnpacked();
        SafeDelete.deleteTreeOrThrow(store.rootfs());
        TarballUnpacker.unpack(tarball, store.rootfs());
        store.markUnpacked(tar.sha256());
      }
      // What this JVM spent on the fixture; waiting for another JVM's build is not part of it.
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start - waited);
      store.log(
          (result.fromCache() ? "reused" : "built")
              + " plan "
              + result.planId()
              + " in "
              + millis(buildTime)
              + " ms, "
              + (unpack ? "unpacked" : "kept the unpacked tree")
              + ", ready in "
              + millis(elapsed)
              + " ms (host checks "
              + millis(Duration.ofNanos(checked - start))
              + " ms, waited "
              + millis(Duration.ofNanos(waited))
              + " ms for the lock)"
              + (settings.refresh() ? " (refresh)" : "")
              + settings.runId().map(id -> " run " + id).orElse(""));
      return new Prepared(
          description, store, tarball, result, strategy.strategy(), elapsed, unpack);
    }
  }

  private static Artifact tarball(BuildResult result, String description) {
    return result.artifacts().stream()
        .filter(a -> !a.format().isDiskImage())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "fixture "
                        + description
                        + " wrote no rootfs tarball ("
                        + result.artifacts().stream().map(a -> a.format().extension()).toList()
                        + "; expected a tar format among its outputs, e.g. withOutputs(\"tar.zst\"))"));
  }

  /** E.g. {@code bookworm amd64 [hello]}. */
  static String describe(ImageSpec spec) {
    return spec.series()
        + " "
        + spec.architecture().debianName()
        + (spec.packages().isEmpty() ? "" : " " + spec.packages());
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}
