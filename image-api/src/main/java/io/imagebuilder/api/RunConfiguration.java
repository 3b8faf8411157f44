package io.imagebuilder.api;

import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.StageProvider;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.internal.engine.EventBus;
import io.imagebuilder.internal.validate.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Where and how a build runs, apart from what it builds ({@link ImageBuilder}): the output
 * directory, the cache and work directories, the execution strategy, event listeners, cancellation,
 * an overall timeout, the stage providers, and the threads {@link ImageBuilder#start} runs on.
 *
 * <pre>{@code
 * RunConfiguration run = RunConfiguration.into(Path.of("out"))
 *     .withCacheDir(Path.of("/var/cache/images"))
 *     .withTimeout(Duration.ofMinutes(30))
 *     .onEvent(StageStarted.class, e -> log.info("{}: {}", e.stageType(), e.summary()));
 * BuildResult result = ImageBuilder.forSeries("bookworm").build(run);
 * }</pre>
 *
 * <p>Each {@code with...} call checks its value at once and returns this configuration. A
 * configuration may be reused for several builds one after another; the listeners it holds are
 * called by each.
 */
public final class RunConfiguration {
  private final Path outputDir;
  private String executorName = ExecutionStrategies.AUTO;
  private ExecutorProvider executorProvider;
  private Path cacheDir;
  private Path workDir;
  private String trigger = "";
  private Cancellation cancellation;
  private Duration timeout;
  private List<StageProvider> stageProviders;
  private Executor threads;
  private boolean stageCache = !"false".equals(System.getProperty("imagebuilder.stageCache"));
  private Duration keepTreeAfter = Engine.Settings.KEEP_TREE_AFTER;
  private Duration trustResultsFor;
  private final EventBus events = new EventBus();

  private RunConfiguration(Path outputDir) {
    this.outputDir = Checks.notNull(outputDir, "output directory");
  }

  /**
   * A build that writes its artifacts, manifest and logs into {@code outputDir}.
   *
   * @param outputDir the output directory: missing or empty, never {@code /} or a host system
   *     directory
   * @return a configuration with every other setting at its default
   */
  public static RunConfiguration into(Path outputDir) {
    return new RunConfiguration(outputDir);
  }

  /**
   * {@code auto} (default: native when the host runs the target's binaries, else qemu-user), {@code
   * native} or {@code qemu-user}.
   *
   * @param strategy the strategy's name; an unknown one fails the build before any stage runs
   * @return this configuration
   */
  public RunConfiguration withExecutor(String strategy) {
    this.executorName = Checks.notNull(strategy, "executor");
    this.executorProvider = null;
    return this;
  }

  /**
   * An execution strategy of your own.
   *
   * @param provider the strategy; not null
   * @return this configuration
   */
  public RunConfiguration withExecutor(ExecutorProvider provider) {
    this.executorProvider = Checks.notNull(provider, "executor");
    return this;
  }

  /**
   * Where packages and stage results are cached across builds; default {@code
   * $XDG_CACHE_HOME/imagebuilder} or {@code ~/.cache/imagebuilder}.
   *
   * @param dir the cache directory, created when missing; several JVMs may share it
   * @return this configuration
   */
  public RunConfiguration withCacheDir(Path dir) {
    this.cacheDir = Checks.notNull(dir, "cache directory");
    return this;
  }

  /**
   * The build's scratch directory, which must not exist or be empty; default a fresh directory
   * under the cache directory. It is deleted when the build ends.
   *
   * @param dir the scratch directory
   * @return this configuration
   */
  public RunConfiguration withWorkDir(Path dir) {
    this.workDir = WorkDirs.checkUsable(Checks.notNull(dir, "work directory"));
    return this;
  }

  /**
   * The progress channel the build's events carry (a request's {@code trigger}): at most 128
   * printable ASCII characters; default "".
   *
   * @param trigger the channel name
   * @return this configuration
   * @throws IllegalArgumentException naming a trigger that is too long or not printable ASCII
   */
  public RunConfiguration withTrigger(String trigger) {
    this.trigger = Checks.trigger(trigger);
    return this;
  }

  /**
   * A handle whose {@link Cancellation#cancel()} stops the build from another thread. {@link
   * ImageBuilder#start} gives a handle of its own as well.
   *
   * @param cancellation the handle; not null
   * @return this configuration
   */
  public RunConfiguration withCancellation(Cancellation cancellation) {
    this.cancellation = Checks.notNull(cancellation, "cancellation");
    return this;
  }

  /**
   * Cancels the build when it has run this long: every started stage's cleanup runs and the build
   * ends with a {@link io.imagebuilder.api.error.BuildCancelledException} saying so.
   *
   * @param timeout the longest the whole build may run; positive
   * @return this configuration
   * @throws IllegalArgumentException when the timeout is not positive
   */
  public RunConfiguration withTimeout(Duration timeout) {
    Checks.notNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "invalid timeout '" + timeout + "' (expected a positive duration)");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Plans with exactly these stage providers instead of the ones {@link java.util.ServiceLoader}
   * finds on the classpath.
   *
   * @param providers the providers, in the order they are asked; copied
   * @return this configuration
   */
  public RunConfiguration withStageProviders(List<? extends StageProvider> providers) {
    this.stageProviders = List.copyOf(Checks.notNull(providers, "stage providers"));
    return this;
  }

  /**
   * Whether a build may return the result of an earlier build of the same plan from the cache
   * directory, and keeps its own there (default true; the system property {@code
   * imagebuilder.stageCache=false} changes the default). A result is reused only while every input
   * its stages resolved (each repository's InRelease, each host file read) is unchanged and its
   * files match their sha256; then {@link BuildResult#fromCache()} is true.
   *
   * @param enabled false to build every stage and keep nothing
   * @return this configuration
   */
  public RunConfiguration withStageCache(boolean enabled) {
    this.stageCache = enabled;
    return this;
  }

  /**
   * Returns a result from the stage cache that is younger than {@code maxAge} without checking its
   * inputs again: no repository is asked whether its InRelease changed, so a test suite or a farm
   * rebuilding the same plan gets the same bytes, offline and in milliseconds, even after the
   * archive moved on. The result's lock still pins exactly what it holds; an older result is
   * checked as usual. Default: every result is checked.
   *
   * @param maxAge how old a result may be to be trusted; zero to check every one; not negative
   * @return this configuration
   * @throws IllegalArgumentException when {@code maxAge} is null or negative
   */
  public RunConfiguration withCachedResultsTrustedFor(Duration maxAge) {
    if (maxAge == null || maxAge.isNegative()) {
      throw new IllegalArgumentException(
          "invalid maxAge '" + maxAge + "' (expected zero or a positive duration)");
    }
    this.trustResultsFor = maxAge.isZero() ? null : maxAge;
    return this;
  }

  /** {@return how old a cached result may be to be returned unchecked; empty: every one checked} */
  public Optional<Duration> cachedResultsTrustedFor() {
    return Optional.ofNullable(trustResultsFor);
  }

  /**
   * Where {@link ImageBuilder#start} runs builds; default a new thread per build.
   *
   * @param threads the executor that runs started builds; not null
   * @return this configuration
   */
  public RunConfiguration withThreads(Executor threads) {
    this.threads = Checks.notNull(threads, "threads");
    return this;
  }

  /**
   * Calls {@code listener} for every event of {@code type} (and its subtypes). Listeners run on
   * build threads: they must be fast and thread-safe. A listener that throws fails the build (a
   * {@link io.imagebuilder.api.error.ImageBuildException} naming where it was registered): its
   * error is never lost.
   *
   * @param <E> the event type
   * @param type the event type, e.g. {@code StageStarted.class}; its subtypes are included
   * @param listener called with each such event
   * @return this configuration
   */
  public <E extends BuildEvent> RunConfiguration onEvent(
      Class<E> type, Consumer<? super E> listener) {
    events.register(type, listener);
    return this;
  }

  /**
   * The output directory.
   *
   * @return the output directory as given
   */
  public Path outputDir() {
    return outputDir;
  }

  /**
   * The cache directory, if one was set.
   *
   * @return the cache directory, or empty for the default
   */
  public Optional<Path> cacheDir() {
    return Optional.ofNullable(cacheDir);
  }

  /**
   * The work directory, if one was set.
   *
   * @return the work directory, or empty for a fresh one under the cache
   */
  public Optional<Path> workDir() {
    return Optional.ofNullable(workDir);
  }

  /**
   * The trigger events carry.
   *
   * @return the trigger, or {@code ""}
   */
  public String trigger() {
    return trigger;
  }

  /**
   * The overall timeout, if one was set.
   *
   * @return the timeout, or empty for none
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * Whether the stage cache is used.
   *
   * @return true when results may be reused and kept
   */
  public boolean stageCache() {
    return stageCache;
  }

  /** See {@link Engine.Settings#KEEP_TREE_AFTER}; tests of the stage cache keep every tree. */
  Duration keepTreeAfter() {
    return keepTreeAfter;
  }

  /** Sets {@link Engine.Settings#KEEP_TREE_AFTER} for this run: for tests of the stage cache. */
  RunConfiguration keepingTreesAfter(Duration work) {
    this.keepTreeAfter = Checks.notNull(work, "work");
    return this;
  }

  String executorName() {
    return executorName;
  }

  ExecutorProvider executorProvider() {
    return executorProvider;
  }

  Optional<Cancellation> cancellation() {
    return Optional.ofNullable(cancellation);
  }

  Optional<List<StageProvider>> stageProviders() {
    return Optional.ofNullable(stageProviders);
  }

  Optional<Executor> threads() {
    return Optional.ofNullable(threads);
  }

  /** A copy of the listeners, for one build that may add its own. */
  EventBus eventsForOneBuild() {
    return events.copy();
  }
}
