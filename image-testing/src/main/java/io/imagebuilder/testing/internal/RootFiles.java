package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files read from and copied into and out of a root, every image path resolved inside it with the
 * library's one symlink policy ({@link RootfsPaths}): a link in the image that points at {@code
 * /etc} means the image's {@code /etc}, and nothing resolves outside the root.
 */
public final class RootFiles {
  private RootFiles() {}

  /** The bytes of the regular file the image sees at {@code imagePath}. */
  public static byte[] read(Path root, String imagePath) throws IOException {
    return Files.readAllBytes(regularFile(root, imagePath));
  }

  /** Copies the image's file at {@code imagePath} to {@code hostTarget}, replacing it. */
  public static void copyOut(Path root, String imagePath, Path hostTarget) throws IOException {
    Files.copy(regularFile(root, imagePath), hostTarget, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Copies {@code hostFile} to {@code imagePath} (its missing parent directories made, mode 0755),
   * replacing what is there by a rename, so a link at that path is replaced, not followed.
   */
  public static void copyIn(Path root, Path hostFile, String imagePath) throws IOException {
    if (!Files.isRegularFile(hostFile)) {
      throw new IllegalArgumentException(
          "invalid file to copy into the image '" + hostFile + "' (expected a regular file)");
    }
    Path realRoot = root.toRealPath();
    Path target = RootfsPaths.resolve(realRoot, imagePath);
    if (target.equals(realRoot)) {
      throw new IllegalArgumentException(
          "invalid image path '" + imagePath + "' (expected a file, not /)");
    }
    RootfsPaths.createDirectories(realRoot, target.getParent());
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "invalid image path '" + imagePath + "' (it is a directory in the image)");
    }
    Path temp = AtomicFiles.createTemporary(target);
    try {
      Files.copy(
          hostFile, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      AtomicFiles.commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path regularFile(Path root, String imagePath) throws IOException {
    Path realRoot = root.toRealPath();
    Path file = RootfsPaths.resolveFollowing(realRoot, imagePath);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.NoSuchFileException(
          imagePath,
          null,
          Files.exists(file, LinkOption.NOFOLLOW_LINKS)
              ? "not a regular file in the image " + root
              : "no such file in the image " + root);
    }
    return file;
  }
}
