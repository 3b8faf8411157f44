package io.imagebuilder.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The one way ImageBuilder writes a file that others read under its name (artifacts, manifests,
 * logs, cache entries): the bytes go to a temporary file of a name no other writer uses ({@code
 * .<name>.<random>.part} in the target's directory), which is renamed over the target in one atomic
 * step once it is complete. A reader sees the old file or the new one, never half of one; two
 * writers of one target never write into the same file, so the file that ends under the name is one
 * writer's whole output. A failed or interrupted write removes its temporary file.
 */
public final class AtomicFiles {
  /** The suffix of every temporary file. */
  public static final String PART_SUFFIX = ".part";

  private AtomicFiles() {}

  /** Fills a file given as a stream. */
  public interface StreamBody {
    void write(OutputStream out) throws IOException;
  }

  /** Fills the (existing, empty) temporary file at a path, say by running a host tool on it. */
  public interface FileBody<E extends Exception> {
    void fill(Path temporary) throws IOException, E;
  }

  /** Writes {@code text} as UTF-8 to {@code target}. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes what {@code body} streams to {@code target}. */
  public static void write(Path target, StreamBody body) throws IOException {
    AtomicFiles.<RuntimeException>fill(
        target,
        temp -> {
          try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
            body.write(out);
          }
        });
  }

  /**
   * Gives {@code body} a new temporary file beside {@code target} and renames it to {@code target}
   * (replacing what was there) when {@code body} returns; deletes it when body throws.
   */
  public static <E extends Exception> void fill(Path target, FileBody<E> body)
      throws IOException, E {
    Path temp = createTemporary(target);
    try {
      body.fill(temp);
      commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * A new empty file beside {@code target} that no other writer uses, with the default permissions
   * of a new file (unlike {@link Files#createTempFile}, which makes it private).
   */
  public static Path createTemporary(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    for (int attempt = 0; ; attempt++) {
      Path temp = abs.resolveSibling(temporaryName(abs.getFileName().toString()));
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  /** Renames a complete temporary file over {@code target} in one step. */
  public static void commit(Path temporary, Path target) throws IOException {
    Files.move(
        temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether {@code fileName} is the name of a temporary file of {@link AtomicFiles}. */
  public static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(PART_SUFFIX);
  }

  /**
   * Deletes the temporary files in {@code dir} (not below it) that writers killed before they could
   * remove them left behind. Call it only while no live writer can use {@code dir}, say while
   * holding the directory's {@link DirectoryLock}.
   *
   * @return how many were deleted
   */
  public static int deleteLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, p -> isTemporary(p.getFileName().toString()))) {
      for (Path p : files) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.deleteIfExists(p)) {
          n++;
        }
      }
    }
    return n;
  }

  static String temporaryName(String targetName) {
    String random = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    // Keep the name short enough for the file system: 255 bytes at most.
    String base = targetName.length() > 200 ? targetName.substring(0, 200) : targetName;
    return "." + base + "." + random + PART_SUFFIX;
  }
}
