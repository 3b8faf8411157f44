package io.imagebuilder.internal.engine;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.Progress;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BuildManifest;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.api.stage.StageContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** The engine's {@link StageContext}: one per build. */
final class DefaultStageContext implements StageContext {
  private final ImageSpec spec;
  private final Path workDir;
  private final Path outputDir;
  private final Path cacheDir;
  private final Executor executor;
  private final Board board;
  private final String trigger;
  private final EventBus events;
  private final BooleanSupplier cancelled;
  private final StageLogs logs;
  private final List<Artifact> artifacts = new CopyOnWriteArrayList<>();
  private final List<CompletedStage> completed = new CopyOnWriteArrayList<>();
  private final Map<String, Object> facts = new ConcurrentHashMap<>();
  private final List<ResolvedInput> inputs = new CopyOnWriteArrayList<>();
  private final List<Path> outputFiles = new CopyOnWriteArrayList<>();
  private final Map<String, String> stageLogs = new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile BuildManifest manifest;
  private volatile Path manifestFile;
  private volatile Long sourceDateEpoch;
  private volatile Plan plan;
  private volatile String stageType = "";
  private volatile String stageId = "";

  DefaultStageContext(
      ImageSpec spec,
      Path workDir,
      Path outputDir,
      Path cacheDir,
      Executor executor,
      Board board,
      String trigger,
      EventBus events,
      BooleanSupplier cancelled,
      StageLogs logs) {
    this.spec = spec;
    this.workDir = workDir;
    this.outputDir = outputDir;
    this.cacheDir = cacheDir;
    this.executor = executor;
    this.board = board;
    this.trigger = trigger;
    this.events = events;
    this.cancelled = cancelled;
    this.logs = logs;
    this.sourceDateEpoch = spec.sourceDateEpoch();
  }

  void planIs(Plan plan) {
    this.plan = plan;
  }

  @Override
  public Optional<Plan> plan() {
    return Optional.ofNullable(plan);
  }

  void enterStage(String type, String id) {
    this.stageType = type;
    this.stageId = id;
  }

  @Override
  public ImageSpec spec() {
    return spec;
  }

  @Override
  public Path rootfs() {
    return executor.root();
  }

  @Override
  public Path workDir() {
    return workDir;
  }

  @Override
  public Path outputDir() {
    return outputDir;
  }

  @Override
  public Path cacheDir() {
    return cacheDir;
  }

  @Override
  public Executor executor() {
    return executor;
  }

  @Override
  public Optional<Board> board() {
    return Optional.ofNullable(board);
  }

  @Override
  public Optional<Long> sourceDateEpoch() {
    return Optional.ofNullable(sourceDateEpoch);
  }

  @Override
  public void setSourceDateEpoch(long epochSeconds) {
    this.sourceDateEpoch = epochSeconds;
  }

  @Override
  public String trigger() {
    return trigger;
  }

  @Override
  public String currentStageType() {
    return stageType;
  }

  @Override
  public String currentStageId() {
    return stageId;
  }

  @Override
  public void publish(BuildEvent event) {
    logs.record(event);
    events.publish(event);
  }

  @Override
  public void log(String message) {
    publish(
        new LogLine(
            trigger,
            stageType,
            LogLine.Level.INFO,
            io.imagebuilder.internal.validate.Secrets.redact(message)));
  }

  @Override
  public void progress(String label, long done, long total) {
    events.publish(new Progress(trigger, stageType, label, Progress.Unit.ITEMS, done, total));
  }

  @Override
  public void progressBytes(String label, long done, long total) {
    events.publish(new Progress(trigger, stageType, label, Progress.Unit.BYTES, done, total));
  }

  @Override
  public CommandResult run(Command given) throws ImageBuildException, InterruptedException {
    checkCancelled();
    Command command = withSourceDateEpoch(given);
    String type = stageType;
    logs.command(command.argv());
    CommandResult result =
        executor.run(command, line -> publish(new CommandOutput(trigger, type, line)));
    if (!result.succeeded()) {
      logs.record(
          new LogLine(
              trigger, type, LogLine.Level.WARNING, "exited with code " + result.exitCode()));
      throw new CommandFailedException(
          command.argv(), result.exitCode(), false, result.outputTail(), null);
    }
    return result;
  }

  /**
   * Debian's tools (mkinitramfs, useradd, ...) write reproducible files when SOURCE_DATE_EPOCH is
   * in their environment: every command gets it once it is known, unless the stage set its own.
   */
  private Command withSourceDateEpoch(Command command) {
    Long epoch = sourceDateEpoch;
    if (epoch == null || command.environment().containsKey("SOURCE_DATE_EPOCH")) {
      return command;
    }
    return command.withEnvironment("SOURCE_DATE_EPOCH", Long.toString(epoch));
  }

  void completed(CompletedStage stage) {
    completed.add(stage);
  }

  @Override
  public List<CompletedStage> completedStages() {
    return List.copyOf(completed);
  }

  @Override
  public void addArtifact(Artifact artifact) {
    artifacts.add(artifact);
  }

  @Override
  public List<Artifact> artifacts() {
    return List.copyOf(artifacts);
  }

  @Override
  public void recordInput(ResolvedInput input) {
    inputs.add(input);
  }

  List<ResolvedInput> resolvedInputs() {
    return List.copyOf(inputs);
  }

  /** Every fact set so far, by key name: for the stage cache's snapshot. */
  Map<String, Object> facts() {
    return Map.copyOf(facts);
  }

  /**
   * Takes over what the stages restored from the stage cache left: their facts (by key name), the
   * inputs they resolved and their SOURCE_DATE_EPOCH.
   */
  void restoreFrom(
      Map<String, Object> restoredFacts, List<ResolvedInput> restoredInputs, Long epoch) {
    facts.putAll(restoredFacts);
    inputs.addAll(restoredInputs);
    if (epoch != null) {
      sourceDateEpoch = epoch;
    }
  }

  @Override
  public void addOutputFile(Path file) {
    outputFiles.add(file);
  }

  List<Path> outputFiles() {
    return List.copyOf(outputFiles);
  }

  /** The engine names a started stage's log before the stage runs. */
  void stageLog(String stageId, String relativePath) {
    stageLogs.put(stageId, relativePath);
  }

  @Override
  public Map<String, String> stageLogs() {
    return Map.copyOf(stageLogs);
  }

  @Override
  public void setManifest(BuildManifest manifest) {
    this.manifest = java.util.Objects.requireNonNull(manifest, "manifest");
  }

  /** The manifest a stage handed over and the engine has not written yet, taken once. */
  Optional<BuildManifest> takeManifest() {
    BuildManifest m = manifest;
    manifest = null;
    return Optional.ofNullable(m);
  }

  /** The engine wrote the build's manifest to {@code file}. */
  void manifestWritten(Path file) {
    manifestFile = file;
    outputFiles.add(file);
  }

  /** The manifest file the engine wrote for the result, if any. */
  Optional<Path> manifestFile() {
    return Optional.ofNullable(manifestFile);
  }

  @Override
  public <T> void put(ContextKey<T> key, T value) {
    facts.put(key.name(), key.type().cast(value));
  }

  @Override
  public <T> Optional<T> get(ContextKey<T> key) {
    return Optional.ofNullable(facts.get(key.name())).map(key.type()::cast);
  }

  @Override
  public void checkCancelled() throws ImageBuildException {
    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new BuildCancelledException("build cancelled during stage " + stageType);
    }
  }
}
