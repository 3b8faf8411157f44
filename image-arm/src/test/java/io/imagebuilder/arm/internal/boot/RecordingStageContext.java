package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.StageContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A context for unit tests of what a stage does on the host side: commands are recorded and handed
 * to {@code onCommand} (which may make the files the command would), not run.
 */
final class RecordingStageContext implements StageContext {
  final List<Command> commands = new ArrayList<>();
  final List<String> messages = new ArrayList<>();
  private final ImageSpec spec;
  private final Board board;
  private final Path root;
  private final Path work;
  private final Consumer<Command> onCommand;

  RecordingStageContext(
      ImageSpec spec, Board board, Path root, Path work, Consumer<Command> onCommand) {
    this.spec = spec;
    this.board = board;
    this.root = root;
    this.work = work;
    this.onCommand = onCommand;
  }

  @Override
  public ImageSpec spec() {
    return spec;
  }

  @Override
  public Path rootfs() {
    return root;
  }

  @Override
  public Path workDir() {
    return work;
  }

  @Override
  public Path outputDir() {
    return work.resolve("out");
  }

  @Override
  public Path cacheDir() {
    return work.resolve("cache");
  }

  @Override
  public Executor executor() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Board> board() {
    return Optional.of(board);
  }

  @Override
  public Optional<Long> sourceDateEpoch() {
    return Optional.ofNullable(spec.sourceDateEpoch());
  }

  @Override
  public void setSourceDateEpoch(long e) {}

  @Override
  public String trigger() {
    return "";
  }

  @Override
  public String currentStageType() {
    return "test";
  }

  @Override
  public String currentStageId() {
    return "0";
  }

  @Override
  public void publish(BuildEvent event) {}

  @Override
  public void log(String message) {
    messages.add(message);
  }

  @Override
  public void progress(String label, long done, long total) {}

  @Override
  public CommandResult run(Command command) {
    commands.add(command);
    onCommand.accept(command);
    return new CommandResult(0, List.of(), Duration.ZERO);
  }

  @Override
  public java.util.List<io.imagebuilder.api.event.CompletedStage> completedStages() {
    return java.util.List.of();
  }

  @Override
  public void addArtifact(Artifact a) {}

  @Override
  public List<Artifact> artifacts() {
    return List.of();
  }

  @Override
  public <T> void put(ContextKey<T> key, T value) {}

  @Override
  public <T> Optional<T> get(ContextKey<T> key) {
    return Optional.empty();
  }

  @Override
  public void checkCancelled() {}
}
