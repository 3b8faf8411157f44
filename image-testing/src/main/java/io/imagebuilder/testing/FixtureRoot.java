package io.imagebuilder.testing;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.testing.internal.RootExec;
import io.imagebuilder.testing.internal.RootFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A fixture's root filesystem as a directory on the host, with commands run inside it and files
 * read and copied in and out. Every image path is absolute and resolved inside the root, as the
 * image itself would see it: a symlink in the image is followed within the image, and no path
 * reaches outside the root (a {@code ..} is refused).
 *
 * <p>The shared root ({@link ImageFixture#root()}) serves every test of the run: treat it as
 * read-only. A test that changes the image takes {@link ImageFixture#freshRoot()}, a copy of its
 * own.
 */
public final class FixtureRoot {
  /** The timeout of {@link #exec(String...)}. */
  public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(10);

  private final Path path;
  private final Architecture architecture;
  private final String strategy;
  private final Duration lockTimeout;

  FixtureRoot(Path path, Architecture architecture, String strategy, Duration lockTimeout) {
    this.path = path;
    this.architecture = architecture;
    this.strategy = strategy;
    this.lockTimeout = lockTimeout;
  }

  /** {@return the root directory on the host} */
  public Path path() {
    return path;
  }

  /** {@return the architecture of the image's binaries} */
  public Architecture architecture() {
    return architecture;
  }

  /**
   * {@return the execution strategy commands run through, e.g. {@code native} or {@code qemu-user}}
   */
  public String strategy() {
    return strategy;
  }

  /**
   * Runs {@code argv} inside the image (a chroot as root, qemu-user for a foreign architecture, as
   * the image was built) with the executor's controlled environment, closed stdin and a timeout of
   * {@link #DEFAULT_EXEC_TIMEOUT}. A non-zero exit is returned, not thrown.
   *
   * @param argv the program (looked up on the image's PATH) and its arguments
   * @return the exit code, stdout and stderr
   * @throws ImageBuildException when the command cannot be started or times out
   * @throws IOException when the root cannot be read or written
   * @throws InterruptedException when interrupted; the command's processes are killed first
   */
  public ExecResult exec(String... argv)
      throws ImageBuildException, IOException, InterruptedException {
    return exec(new Command(List.of(argv), null, DEFAULT_EXEC_TIMEOUT, null));
  }

  /**
   * Runs {@code command} inside the image, with its environment, timeout and working directory.
   *
   * @param command what to run
   * @return the exit code, stdout and stderr
   * @throws ImageBuildException when the command cannot be started or times out
   * @throws IOException when the root cannot be read or written
   * @throws InterruptedException when interrupted; the command's processes are killed first
   */
  public ExecResult exec(Command command)
      throws ImageBuildException, IOException, InterruptedException {
    RootExec.Output out = RootExec.run(strategy, path, architecture, command, lockTimeout);
    return new ExecResult(out.exitCode(), out.stdout(), out.stderr(), out.duration());
  }

  /**
   * The bytes of the image's file at {@code imagePath}.
   *
   * @param imagePath an absolute path in the image, e.g. {@code /etc/os-release}
   * @return its content
   * @throws IOException when it is missing or not a regular file
   */
  public byte[] readBytes(String imagePath) throws IOException {
    return RootFiles.read(path, imagePath);
  }

  /**
   * The image's file at {@code imagePath} as UTF-8 text.
   *
   * @param imagePath an absolute path in the image
   * @return its content
   * @throws IOException when it is missing or not a regular file
   */
  public String readString(String imagePath) throws IOException {
    return new String(readBytes(imagePath), StandardCharsets.UTF_8);
  }

  /**
   * Copies the image's file at {@code imagePath} to {@code hostTarget}, replacing it.
   *
   * @param imagePath an absolute path in the image
   * @param hostTarget a file on the host
   * @throws IOException when it is missing, not a regular file, or cannot be written
   */
  public void copyFromImage(String imagePath, Path hostTarget) throws IOException {
    RootFiles.copyOut(path, imagePath, hostTarget);
  }

  /**
   * Copies the host's {@code hostFile} into the image at {@code imagePath} (keeping its mode;
   * missing parent directories are made with mode 0755). A symlink at that path is replaced, not
   * followed.
   *
   * @param hostFile a regular file on the host
   * @param imagePath an absolute path in the image
   * @throws IOException when it cannot be written
   */
  public void copyIntoImage(Path hostFile, String imagePath) throws IOException {
    RootFiles.copyIn(path, hostFile, imagePath);
  }

  @Override
  public String toString() {
    return "FixtureRoot[" + path + ", " + architecture + ", " + strategy + "]";
  }
}
