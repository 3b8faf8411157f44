package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.ChrootMounts;
import io.imagebuilder.arm.internal.mount.ProcessesInRoot;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs commands in a chroot of the target root, natively or through qemu-user (the kernel picks the
 * interpreter through binfmt_misc, so both strategies run the same way and differ only in their
 * preflight and environment).
 *
 * <p>Before the first command it mounts the kernel filesystems ({@link ChrootMounts}); {@link
 * #close()} ends the processes left in the root and undoes the mounts.
 */
final class ChrootExecutor extends TargetRootExecutor {
  private final boolean helpersAllowed;

  private ChrootMounts mounts;

  /** Prepared on the first command that allows them, for as long as the mounts stay up. */
  private Optional<NativeHelpers> helpers;

  /**
   * @param helpersAllowed whether commands that allow it may run with {@link NativeHelpers}: only
   *     worth it when the target's binaries are emulated
   */
  ChrootExecutor(
      String name,
      Path root,
      Architecture architecture,
      Strategy strategy,
      boolean helpersAllowed) {
    super(name, root, architecture, strategy);
    this.helpersAllowed = helpersAllowed;
  }

  @Override
  boolean ready() {
    return mounts != null;
  }

  @Override
  void prepare(Path realRoot) throws ImageBuildException {
    ChrootMounts made = new ChrootMounts(realRoot);
    made.setUp();
    mounts = made;
  }

  @Override
  CommandResult execute(Command command, Map<String, String> env, Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    Path realRoot = realRoot();
    NativeHelpers active = command.nativeHelpers() ? helpers().orElse(null) : null;
    List<String> argv = hostArgv(realRoot, command);
    if (active == null) {
      return runner().run(argv, env, command.timeout(), command.argv(), output, realRoot);
    }
    env = CommandEnvironment.build(env, NativeHelpers.environment());
    // ctime has whole-second precision on some filesystems: start a second early
    FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 1000);
    active.bind(mounts);
    CommandResult result;
    try {
      result = runner().run(argv, env, command.timeout(), command.argv(), output, realRoot);
    } catch (ImageBuildException | InterruptedException | RuntimeException e) {
      try {
        active.unbind(mounts);
      } catch (ImageBuildException u) {
        e.addSuppressed(u);
      }
      throw e;
    }
    active.unbind(mounts);
    active.checkNoHostCopies(realRoot, start);
    return result;
  }

  private Optional<NativeHelpers> helpers() {
    if (helpers == null) {
      helpers = helpersAllowed ? NativeHelpers.prepare(realRoot()) : Optional.empty();
    }
    return helpers;
  }

  /** Ends processes in the root and unmounts; returns a failure to unmount. */
  @Override
  ImageBuildException tearDown() {
    if (realRoot() != null) {
      ProcessesInRoot.killAll(realRoot());
    }
    ImageBuildException failure = null;
    if (mounts != null) {
      try {
        mounts.tearDown();
        mounts = null;
        helpers = null;
      } catch (ImageBuildException e) {
        failure = e;
      }
    }
    return failure;
  }
}
