package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.DirectoryLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One fixture's directory in the run directory, named by its plan id (which names the whole stage
 * tree, so two declarations of the same image share it): {@code lock}, held while a JVM builds or
 * unpacks; {@code out/}, the last build's output; {@code rootfs/}, its tarball unpacked; {@code
 * rootfs.sha256}, the tarball that tree came from (written last, so a tree without it is half
 * unpacked); {@code builds.log}, a line per JVM that prepared the fixture.
 */
public final class FixtureStore {
  private final Path dir;

  private FixtureStore(Path dir) {
    this.dir = dir;
  }

  /**
   * The directory of the fixture with {@code planId} under {@code runDir} (not created).
   *
   * @throws IllegalArgumentException for a plan id that is not 64 lowercase hex digits
   */
  public static FixtureStore of(Path runDir, String planId) {
    if (planId == null || planId.length() != 64 || !Sha256.isHex(planId)) {
      throw new IllegalArgumentException(
          "invalid plan id '" + planId + "' (expected 64 hex digits)");
    }
    return new FixtureStore(runDir.resolve(planId));
  }

  /** {@return the fixture's directory} */
  public Path dir() {
    return dir;
  }

  /** {@return where the fixture's tarball is unpacked} */
  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  /** {@return the output directory of the fixture's current build} */
  public Path output() {
    return dir.resolve("out");
  }

  /**
   * {@return a fresh directory name for the next build's output, swapped in by {@link
   * #replaceOutput}}
   */
  Path nextOutput() {
    return dir.resolve("out.next");
  }

  /** {@return where fresh copies of the rootfs for single tests go} */
  Path copies() {
    return dir.resolve("copies");
  }

  /**
   * Takes the fixture's lock, waiting while another JVM (or thread) holds it.
   *
   * @throws IOException when it is still held after {@code timeout}, naming the holder
   */
  public DirectoryLock lock(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    return WaitingLock.acquire(dir.resolve("lock"), timeout);
  }

  /** {@return the sha256 of the tarball {@link #rootfs()} was unpacked from, if it is complete} */
  public Optional<String> unpackedFrom() throws IOException {
    Path marker = dir.resolve("rootfs.sha256");
    if (!Files.isRegularFile(marker) || !Files.isDirectory(rootfs())) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(marker, StandardCharsets.US_ASCII).strip());
  }

  /** Records that {@link #rootfs()} now holds the tarball with {@code sha256}. */
  void markUnpacked(String sha256) throws IOException {
    AtomicFiles.writeString(dir.resolve("rootfs.sha256"), sha256 + "\n");
  }

  /**
   * Forgets the unpacked tree's origin before it is replaced, so a crash leaves no false marker.
   */
  void forgetUnpacked() throws IOException {
    Files.deleteIfExists(dir.resolve("rootfs.sha256"));
  }

  /** Makes {@link #nextOutput()} the current output, replacing the old one. */
  void replaceOutput() throws IOException {
    io.imagebuilder.internal.io.SafeDelete.deleteTreeOrThrow(output());
    Files.move(nextOutput(), output());
  }

  /** Appends {@code line} to {@code builds.log} (the JVM's pid first). */
  void log(String line) throws IOException {
    Files.writeString(
        dir.resolve("builds.log"),
        "pid " + ProcessHandle.current().pid() + " " + line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** {@return the lines of {@code builds.log}, oldest first; empty when nothing was prepared} */
  public List<String> buildLog() throws IOException {
    Path log = dir.resolve("builds.log");
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }
}
