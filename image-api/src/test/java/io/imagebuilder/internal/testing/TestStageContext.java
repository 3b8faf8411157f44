package io.imagebuilder.internal.testing;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.StageContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one {@link StageContext} of the modules' stage unit tests (image-api's test-jar): a context
 * over a temporary rootfs that records what a stage does on the host side. Commands are recorded
 * and handed to {@link #onCommand} (which may make the files the command would), not run: the
 * integration tests run them. Facts, artifacts, events and log lines are kept for the test to
 * check; the output directory is {@code <work>/out}, the cache {@code <work>/cache}.
 */
public final class TestStageContext implements StageContext {
  private final ImageSpec spec;
  private final Path root;
  private final Path work;
  private final List<Command> commands = new CopyOnWriteArrayList<>();
  private final List<BuildEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<Artifact> artifacts = new CopyOnWriteArrayList<>();
  private final Map<String, Object> facts = new HashMap<>();
  private final RecordingExecutor executor = new RecordingExecutor();
  private volatile Board board;
  private volatile Consumer<Command> onCommand = c -> {};
  private volatile Long epoch;

  /**
   * A context for {@code spec} over the rootfs {@code root}, with scratch space {@code work}.
   *
   * @param spec the spec
   * @param root the rootfs
   * @param work the work directory
   */
  public TestStageContext(ImageSpec spec, Path root, Path work) {
    this.spec = spec;
    this.root = root;
    this.work = work;
    this.epoch = spec.sourceDateEpoch();
  }

  /** {@return this context, the build's board being {@code board}} */
  public TestStageContext withBoard(Board board) {
    this.board = board;
    return this;
  }

  /** {@return this context, each command handed to {@code action} after it is recorded} */
  public TestStageContext onCommand(Consumer<Command> action) {
    this.onCommand = action;
    return this;
  }

  /** {@return the commands stages ran, in order} */
  public List<Command> commands() {
    return List.copyOf(commands);
  }

  /** {@return each command's argv, in order} */
  public List<List<String>> argvs() {
    return commands.stream().map(Command::argv).toList();
  }

  /** {@return the events stages published} */
  public List<BuildEvent> events() {
    return List.copyOf(events);
  }

  /** {@return the lines stages logged} */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** {@return how often a stage released the executor (mounts, policy-rc.d)} */
  public int releases() {
    return executor.releases.get();
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
    return executor;
  }

  @Override
  public Optional<Board> board() {
    return Optional.ofNullable(board);
  }

  @Override
  public Optional<Long> sourceDateEpoch() {
    return Optional.ofNullable(epoch);
  }

  @Override
  public void setSourceDateEpoch(long epochSeconds) {
    epoch = epochSeconds;
  }

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
  public void publish(BuildEvent event) {
    events.add(event);
  }

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
  public List<CompletedStage> completedStages() {
    return List.of();
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
  public synchronized <T> void put(ContextKey<T> key, T value) {
    facts.put(key.name(), key.type().cast(value));
  }

  @Override
  public synchronized <T> Optional<T> get(ContextKey<T> key) {
    return Optional.ofNullable(key.type().cast(facts.get(key.name())));
  }

  @Override
  public void checkCancelled() {}

  /** Runs nothing: commands go through the context; counts releases. */
  private final class RecordingExecutor implements Executor {
    private final java.util.concurrent.atomic.AtomicInteger releases =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Path root() {
      return root;
    }

    @Override
    public Architecture architecture() {
      return spec.architecture();
    }

    @Override
    public void preflight() {}

    @Override
    public CommandResult run(Command command, Consumer<String> output) {
      throw new UnsupportedOperationException(
          "stage tests run commands through the context, not the executor: " + command.argv());
    }

    @Override
    public void release() {
      releases.incrementAndGet();
    }

    @Override
    public void close() {}
  }
}
