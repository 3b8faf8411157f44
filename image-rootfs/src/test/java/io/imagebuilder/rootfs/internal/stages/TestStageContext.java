package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A context over a temporary rootfs for stage unit tests. Commands are recorded, not run: these
 * tests check what a stage does on the host side; the integration tests run the commands.
 */
final class TestStageContext implements StageContext {
  final List<List<String>> commands = new ArrayList<>();
  final List<BuildEvent> events = new ArrayList<>();
  private final ImageSpec spec;
  private final Path root;
  private final Path work;
  private final Map<String, Object> facts = new HashMap<>();
  private final List<Artifact> artifacts = new ArrayList<>();
  private Long epoch;

  /** Records that a stage released the executor; runs nothing. */
  final RecordingExecutor released = new RecordingExecutor();

  static final class RecordingExecutor implements Executor {
    int releases;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Path root() {
      return null;
    }

    @Override
    public io.imagebuilder.api.spec.Architecture architecture() {
      return null;
    }

    @Override
    public void preflight() {}

    @Override
    public CommandResult run(Command c, java.util.function.Consumer<String> out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void release() {
      releases++;
    }

    @Override
    public void close() {}
  }

  TestStageContext(ImageSpec spec, Path root, Path work) {
    this.spec = spec;
    this.root = root;
    this.work = work;
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
    return released;
  }

  @Override
  public Optional<Board> board() {
    return Optional.empty();
  }

  @Override
  public Optional<Long> sourceDateEpoch() {
    return Optional.ofNullable(epoch);
  }

  @Override
  public void setSourceDateEpoch(long e) {
    epoch = e;
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
  public void log(String message) {}

  @Override
  public void progress(String label, long done, long total) {}

  @Override
  public CommandResult run(Command command) throws ImageBuildException {
    commands.add(command.argv());
    return new CommandResult(0, List.of(), java.time.Duration.ZERO);
  }

  @Override
  public List<io.imagebuilder.api.event.CompletedStage> completedStages() {
    return List.of();
  }

  @Override
  public void addArtifact(Artifact a) {
    artifacts.add(a);
  }

  @Override
  public List<Artifact> artifacts() {
    return artifacts;
  }

  @Override
  public <T> void put(ContextKey<T> key, T value) {
    facts.put(key.name(), value);
  }

  @Override
  public <T> Optional<T> get(ContextKey<T> key) {
    return Optional.ofNullable(key.type().cast(facts.get(key.name())));
  }

  @Override
  public void checkCancelled() {}
}
