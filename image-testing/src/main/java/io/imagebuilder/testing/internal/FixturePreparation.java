package io.imagebuilder.testing.internal;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.CacheDir;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
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
  private static final Map<String, PreparedDisk> PREPARED_DISKS = new ConcurrentHashMap<>();
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

  /**
   * A disk-image fixture ready to boot.
   *
   * @param description a short name of the image, for messages
   * @param store its directory in the run directory
   * @param disk its disk image (raw, else qcow2), never written by the boots
   * @param sha256 the disk image's sha256, as the build reported it
   * @param result the build's result (from the stage cache when {@code result.fromCache()})
   * @param elapsed how long the preparation took in this JVM, not counting the wait for another
   *     JVM's build
   */
  public record PreparedDisk(
      String description,
      FixtureStore store,
      Path disk,
      String sha256,
      BuildResult result,
      Duration elapsed) {}

  /**
   * A fixture's build under its lock, its output already moved into place.
   *
   * @param untrusted why the cached result's inputs were checked again, empty when they were
   *     trusted (the lock at hand, see {@link #trust})
   * @param start when this JVM started preparing the fixture (System.nanoTime)
   * @param checked when the host checks were done
   * @param waited how long this JVM waited for another's build (nanoseconds)
   */
  private record Built(
      BuildResult result,
      FixtureStore store,
      String strategy,
      FixtureSettings settings,
      Optional<String> untrusted,
      Duration buildTime,
      long start,
      long checked,
      long waited) {
    /** What this JVM spent on the fixture; waiting for another JVM's build is not part of it. */
    Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - start - waited);
    }

    /** Appends this preparation's line, ending with {@code what} was done, to builds.log. */
    void log(String what) throws IOException {
      store.log(
          (result.fromCache() ? "reused" : "built")
              + " plan "
              + result.planId()
              + " in "
              + buildTime.toMillis()
              + " ms, "
              + what
              + ", ready in "
              + elapsed().toMillis()
              + " ms (host checks "
              + Duration.ofNanos(checked - start).toMillis()
              + " ms, waited "
              + Duration.ofNanos(waited).toMillis()
              + " ms for the lock)"
              + (settings.refresh() ? " (refresh)" : "")
              + untrusted
                  .map(why -> "; inputs checked: " + why)
                  .orElse("; inputs trusted for " + settings.maxAge() + ": the lock is at hand")
              + settings.runId().map(id -> " run " + id).orElse(""));
    }
  }

  /** What to make of a fixture's build while still holding its lock. */
  @FunctionalInterface
  private interface Finish<T> {
    T from(Built built) throws ImageBuildException, IOException, InterruptedException;
  }

  /** The prepared fixture for {@code image}, preparing it if this JVM has not yet. */
  public static Prepared prepare(ImageBuilder image, FixtureSettings settings)
      throws ImageBuildException, IOException, InterruptedException {
    return once(PREPARED, image, settings, FixturePreparation::unpacked);
  }

  /** The prepared disk-image fixture for {@code image}, preparing it if this JVM has not yet. */
  public static PreparedDisk prepareDisk(ImageBuilder image, FixtureSettings settings)
      throws ImageBuildException, IOException, InterruptedException {
    return once(
        PREPARED_DISKS,
        image,
        settings,
        built -> {
          String description = describe(built.result().spec());
          Artifact disk = disk(built.result(), description);
          built.log("kept the disk image " + disk.file().getFileName());
          return new PreparedDisk(
              description,
              built.store(),
              disk.file(),
              disk.sha256(),
              built.result(),
              built.elapsed());
        });
  }

  /**
   * Prepares {@code image} once per JVM and run directory: the first caller builds, others wait.
   */
  private static <T> T once(
      Map<String, T> done, ImageBuilder image, FixtureSettings settings, Finish<T> finish)
      throws ImageBuildException, IOException, InterruptedException {
    String planId = image.plan().id();
    String key = settings.runDir() + "/" + planId + (settings.refresh() ? "/refresh" : "");
    T ready = done.get(key);
    if (ready != null) {
      return ready;
    }
    synchronized (GUARDS.computeIfAbsent(key, k -> new Object())) {
      ready = done.get(key);
      if (ready == null) {
        ready = build(image, FixtureStore.of(settings.runDir(), planId), settings, finish);
        done.put(key, ready);
      }
      return ready;
    }
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private static <T> T build(
      ImageBuilder image, FixtureStore store, FixtureSettings settings, Finish<T> finish)
      throws ImageBuildException, IOException, InterruptedException {
    ImageSpec spec = image.spec();
    String description = describe(spec);
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
      Optional<String> untrusted = trust(run, store, settings);
      long buildStart = System.nanoTime();
      BuildResult built = image.build(run);
      Duration buildTime = Duration.ofNanos(System.nanoTime() - buildStart);
      store.replaceOutput();
      BuildResult result = moved(built, store.nextOutput(), store.output());
      return finish.from(
          new Built(
              result,
              store,
              strategy.strategy(),
              settings,
              untrusted,
              buildTime,
              start,
              checked,
              waited));
    }
  }

  /** {@code result} with its files where they are now that its output directory moved. */
  static BuildResult moved(BuildResult result, Path from, Path to) {
    java.util.function.UnaryOperator<Path> move =
        p ->
            p == null
                ? null
                : to.toAbsolutePath().resolve(from.toAbsolutePath().relativize(p.toAbsolutePath()));
    return new BuildResult(
        result.spec(),
        result.specHash(),
        result.planId(),
        result.artifacts().stream()
            .map(a -> new Artifact(move.apply(a.file()), a.format(), a.size(), a.sha256()))
            .toList(),
        result.stages(),
        result.executor(),
        move.apply(result.manifestFile()),
        result.fromCache());
  }

  /**
   * Lets the run return the fixture's cached result unchecked while it is younger than the maximum
   * age, if the last build's lock is satisfiable from the package cache (so the image could be made
   * again exactly, offline). Returns why not, when it does not.
   */
  private static Optional<String> trust(
      RunConfiguration run, FixtureStore store, FixtureSettings settings) {
    if (settings.refresh() || settings.maxAge().isZero()) {
      return Optional.of(settings.refresh() ? "refresh asked for" : "maxAge is zero");
    }
    Path packages = settings.cacheDir().orElseGet(CacheDir::defaultDir).resolve("packages");
    Optional<String> missing = LockAtHand.missing(store.output(), packages);
    if (missing.isEmpty()) {
      run.withCachedResultsTrustedFor(settings.maxAge());
    }
    return missing;
  }

  /** The rootfs fixture: its tarball unpacked, unless the tree is already that tarball's. */
  private static Prepared unpacked(Built built)
      throws IOException, InterruptedException, ImageBuildException {
    String description = describe(built.result().spec());
    FixtureStore store = built.store();
    Artifact tar = tarball(built.result(), description);
    Path tarball = tar.file();
    boolean unpack = !store.unpackedFrom().equals(Optional.of(tar.sha256()));
    if (unpack) {
      store.forgetUnpacked();
      SafeDelete.deleteTreeOrThrow(store.rootfs());
      TarballUnpacker.unpack(tarball, store.rootfs());
      store.markUnpacked(tar.sha256());
    }
    built.log(unpack ? "unpacked" : "kept the unpacked tree");
    return new Prepared(
        description, store, tarball, built.result(), built.strategy(), built.elapsed(), unpack);
  }

  /** The fixture's disk image: raw if the build wrote one (qemu reads it directly), else qcow2. */
  private static Artifact disk(BuildResult result, String description) {
    return result
        .artifact(OutputFormat.RAW)
        .or(() -> result.artifact(OutputFormat.QCOW2))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "fixture "
                        + description
                        + " wrote no bootable disk image ("
                        + result.artifacts().stream().map(a -> a.format().extension()).toList()
                        + "; expected img or qcow2: a board's image, e.g."
                        + " forBoard(\"pc-amd64\"))"));
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
}
