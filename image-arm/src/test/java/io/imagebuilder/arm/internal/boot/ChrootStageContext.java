package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.arm.internal.disk.HostCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage context for integration tests until the executors are merged: commands run in the
 * rootfs with chroot, inside a private mount namespace (unshare) where /proc, /sys and /dev are
 * mounted, so every mount ends with the command and none is ever left on the host. Foreign
 * architectures run through the host's binfmt_misc qemu-user.
 */
final class ChrootStageContext implements StageContext {
  private static final String MOUNT_AND_CHROOT =
      "set -e; r=\"$1\"; shift; mount -t proc proc \"$r/proc\"; mount --rbind /sys \"$r/sys\";"
          + " mount --rbind /dev \"$r/dev\"; exec chroot \"$r\" \"$@\"";

  final List<String> log = new ArrayList<>();
  private final ImageSpec spec;
  private final Path root;
  private final Path work;
  private final Path out;
  private final Board board;
  private final Map<String, Object> facts = new HashMap<>();
  private final List<Artifact> artifacts = new ArrayList<>();

  ChrootStageContext(ImageSpec spec, Board board, Path root, Path work, Path out) {
    this.spec = spec;
    this.board = board;
    this.root = root;
    this.work = work;
    this.out = out;
  }

  @Override public ImageSpec spec() { return spec; }
  @Override public Path rootfs() { return root; }
  @Override public Path workDir() { return work; }
  @Override public Path outputDir() { return out; }
  @Override public Path cacheDir() { return work.resolve("cache"); }
  @Override public Executor executor() { throw new UnsupportedOperationException("the test context has no executor"); }
  @Override public Optional<Board> board() { return Optional.of(board); }
  @Override public Optional<Long> sourceDateEpoch() { return Optional.ofNullable(spec.sourceDateEpoch()); }
  @Override public void setSourceDateEpoch(long e) { throw new UnsupportedOperationException(); }
  @Override public String trigger() { return "test"; }
  @Override public String currentStageType() { return "test"; }
  @Override public String currentStageId() { return "0"; }
  @Override public void publish(BuildEvent event) { }
  @Override public synchronized void log(String message) { log.add(message); }
  @Override public void progress(String label, long done, long total) { }

  @Override
  public CommandResult run(Command command) throws ImageBuildException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", MOUNT_AND_CHROOT, "sh", root.toString(), "/usr/bin/env", "-i",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", "HOME=/root"));
    command.environment().forEach((k, v) -> argv.add(k + "=" + v));
    argv.addAll(command.argv());
    CommandResult r = HostCommand.of(argv).timeout(command.timeout()).runAllowingFailure(this::log);
    if (r.exitCode() != 0) {
      throw new CommandFailedException(command.argv(), r.exitCode(), false, r.outputTail(), "in the test chroot");
    }
    return r;
  }

  @Override public List<io.imagebuilder.api.stage.CompletedStage> completedStages() { return List.of(); }
  @Override public synchronized void addArtifact(Artifact a) { artifacts.add(a); }
  @Override public synchronized List<Artifact> artifacts() { return List.copyOf(artifacts); }
  @Override public <T> void put(ContextKey<T> key, T value) { facts.put(key.name(), value); }
  @Override public <T> Optional<T> get(ContextKey<T> key) { return Optional.ofNullable(key.type().cast(facts.get(key.name()))); }
  @Override public void checkCancelled() { }
}
