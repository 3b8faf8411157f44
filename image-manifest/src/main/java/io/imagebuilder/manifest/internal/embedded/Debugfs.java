package io.imagebuilder.manifest.internal.embedded;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads one file out of an ext2/3/4 filesystem inside an image file with e2fsprogs' {@code
 * debugfs}, which opens the filesystem read-only at a byte offset ({@code image?offset=N}): nothing
 * is mounted, no root is needed, the image is never written.
 */
final class Debugfs {
  static final String TOOL = "debugfs";
  static final String DEBIAN_PACKAGE = "e2fsprogs";

  /** What debugfs prints on stderr when a path does not resolve to an inode. */
  private static final List<String> NOT_FOUND =
      List.of("File not found by ext2_lookup", "Ext2 inode is not a directory");

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private final Path program;

  private Debugfs(Path program) {
    this.program = program;
  }

  /**
   * The debugfs on this host.
   *
   * @throws IOException naming the Debian package when it is not installed
   */
  static Debugfs find(String purpose) throws IOException {
    return find(purpose, HostTools::find);
  }

  /** {@link #find(String)} with a lookup of host tools of the caller's choosing (for tests). */
  static Debugfs find(String purpose, Function<String, Optional<Path>> lookup) throws IOException {
    Path program =
        lookup
            .apply(TOOL)
            .orElseThrow(
                () ->
                    new IOException(
                        purpose
                            + " needs the host tool '"
                            + TOOL
                            + "', which is not installed (install it with: apt-get install "
                            + DEBIAN_PACKAGE
                            + ")"));
    return new Debugfs(program);
  }

  /**
   * The bytes of the regular file {@code path} in the filesystem that starts {@code offset} bytes
   * into {@code image}; empty when there is no such file.
   *
   * @param maxBytes a larger file is an IOException
   * @throws IOException if debugfs fails (not an ext filesystem, damaged), the path is not a
   *     regular file, or the file is larger than {@code maxBytes}
   */
  Optional<byte[]> read(Path image, long offset, String path, long maxBytes) throws IOException {
    if (!path.startsWith("/")
        || path.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
      throw new IllegalArgumentException(
          "invalid path '" + path + "' (expected an absolute path without blanks or quotes)");
    }
    // debugfs reads "name?offset=N" itself: a '?' in the real name would be misread, so go through
    // a link.
    Path linkDir =
        image.toString().contains("?") ? Files.createTempDirectory("imagebuilder-debugfs") : null;
    try {
      Path target = image.toAbsolutePath();
      if (linkDir != null) {
        target = Files.createSymbolicLink(linkDir.resolve("disk.img"), target);
      }
      String device = target + "?offset=" + offset;
      Result stat = run("stat " + path, device, 1 << 20);
      if (stat.notFound()) {
        return Optional.empty();
      }
      stat.check(image, offset, "stat " + path);
      String info = new String(stat.stdout(), StandardCharsets.UTF_8);
      if (!info.contains("Type: regular")) {
        throw new IOException(
            where(path, image, offset)
                + " is not a regular file (debugfs: "
                + firstLine(info)
                + ")");
      }
      Result cat = run("cat " + path, device, maxBytes);
      cat.check(image, offset, "cat " + path);
      if (cat.truncated()) {
        throw new IOException(
            where(path, image, offset)
                + " has more than "
                + maxBytes
                + " bytes (expected a manifest)");
      }
      return Optional.of(cat.stdout());
    } finally {
      if (linkDir != null) {
        Files.deleteIfExists(linkDir.resolve("disk.img"));
        Files.deleteIfExists(linkDir);
      }
    }
  }

  private record Result(int exitCode, byte[] stdout, boolean truncated, String stderr) {
    boolean notFound() {
      return NOT_FOUND.stream().anyMatch(stderr::contains);
    }

    void check(Path image, long offset, String request) throws IOException {
      String complaint = complaint();
      if (exitCode != 0 || !complaint.isEmpty()) {
        throw new IOException(
            "cannot read the filesystem at byte "
                + offset
                + " of "
                + image
                + ": debugfs -R '"
                + request
                + "' exited with code "
                + exitCode
                + (complaint.isEmpty() ? "" : ": " + complaint));
      }
    }

    /** stderr without the version banner debugfs always prints. */
    private String complaint() {
      return stderr
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("debugfs "))
          .reduce((a, b) -> a + " / " + b)
          .orElse("")
          .trim();
    }
  }

  private Result run(String request, String device, long maxBytes) throws IOException {
    Process process =
        HostProcess.of(program.toString(), "-R", request, device)
            .env("LC_ALL", "C")
            .env("DEBUGFS_PAGER", "__none__")
            .separateErrors()
            .start();
    try {
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> readQuietly(process.getErrorStream()));
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      boolean truncated = copyAtMost(process.getInputStream(), stdout, maxBytes);
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IOException(
            "debugfs -R '"
                + request
                + "' "
                + device
                + " did not finish within "
                + TIMEOUT.toSeconds()
                + " s");
      }
      String err =
          new String(stderr.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), stdout.toByteArray(), truncated, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while debugfs read " + device);
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot read the error output of debugfs on " + device + ": " + e, e);
    } finally {
      HostProcess.kill(process);
    }
  }

  /** Copies up to {@code max} bytes; returns whether there was more (the rest is drained). */
  private static boolean copyAtMost(InputStream in, ByteArrayOutputStream out, long max)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    boolean truncated = false;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      // Past the limit keep reading, so debugfs is not left blocked on a full pipe.
      if (truncated || total + n > max) {
        truncated = true;
        continue;
      }
      out.write(buffer, 0, n);
      total += n;
    }
    return truncated;
  }

  private static byte[] readQuietly(InputStream in) {
    try {
      return in.readNBytes(1 << 20);
    } catch (IOException e) {
      return ("(stderr unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** {@code /path in the filesystem at byte N of image}, for errors. */
  private static String where(String path, Path image, long offset) {
    return path + " in the filesystem at byte " + offset + " of " + image;
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").trim();
  }
}
