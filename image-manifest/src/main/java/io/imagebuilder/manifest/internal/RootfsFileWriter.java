package io.imagebuilder.manifest.internal;

import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one file into a root filesystem from the host, staying inside it: the path resolves
 * through {@link RootfsPaths} (a link on the way is followed inside the rootfs, never out of it; a
 * link at the name itself is replaced), missing directories are created with mode 0755. The file
 * gets mode 0644 and is written under a temporary name first, so no reader sees half of it. With a
 * timestamp given, the file, the directories created and the directory they were added to get it as
 * mtime and atime: the finalise stage clamped every timestamp before, and this write must not undo
 * that.
 */
public final class RootfsFileWriter {
  private RootfsFileWriter() {}

  /**
   * Writes {@code content} at {@code absolutePath} (e.g. {@code /usr/share/x/y.json}) inside {@code
   * rootfs}.
   *
   * @param epochSeconds the timestamp for what was touched, or null to leave the clock's
   */
  public static Path write(Path rootfs, String absolutePath, byte[] content, Long epochSeconds)
      throws IOException {
    if (!absolutePath.startsWith("/")
        || absolutePath.contains("/../")
        || absolutePath.endsWith("/..")
        || absolutePath.contains("/./")
        || absolutePath.endsWith("/")) {
      throw new IllegalArgumentException(
          "invalid path in the rootfs '"
              + absolutePath
              + "' (expected an absolute path without . or ..)");
    }
    Path root = rootfs.toRealPath();
    Path target = RootfsPaths.resolve(root, absolutePath);
    Path dir = target.getParent();
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "cannot write " + absolutePath + " into " + rootfs + ": " + dir + " is not a directory");
    }
    List<Path> touched = new ArrayList<>(RootfsPaths.createDirectories(root, dir));
    // the directory the new tree was added to, or the one the file was added to
    touched.add(0, touched.isEmpty() ? dir : touched.get(0).getParent());
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "cannot write "
              + absolutePath
              + " into "
              + rootfs
              + ": "
              + target
              + " exists and is a directory");
    }
    if (Files.isSymbolicLink(target)) {
      Files.delete(target); // replace the link itself, never write through it
    }
    Path tmp = dir.resolve("." + target.getFileName() + ".imagebuilder-new");
    Files.deleteIfExists(tmp);
    Files.write(tmp, content);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (epochSeconds != null) {
      FileTime time = FileTime.from(java.time.Instant.ofEpochSecond(epochSeconds));
      setTimes(target, time);
      for (Path d : touched) {
        setTimes(d, time);
      }
    }
    return target;
  }

  private static void setTimes(Path path, FileTime time) throws IOException {
    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(time, time, null);
  }
}
