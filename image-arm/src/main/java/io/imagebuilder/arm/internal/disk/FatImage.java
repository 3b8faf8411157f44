package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes a FAT32 image from a directory with mkfs.vfat and mtools: no loop device, no mount. The
 * volume id is given, timestamps come from the files (already clamped) and SOURCE_DATE_EPOCH, and
 * directories are created and filled in name order, so the image is reproducible.
 */
public final class FatImage {
  private FatImage() {}

  public static void build(
      Path source,
      Path image,
      long bytes,
      String volumeId,
      String label,
      long epoch,
      Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    try {
      Files.deleteIfExists(image);
      try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
        f.setLength(bytes);
      }
      List<String> mkfs =
          new ArrayList<>(List.of("mkfs.vfat", "-F", "32", "--invariant", "-i", volumeId));
      if (label != null) {
        mkfs.add("-n");
        mkfs.add(label);
      }
      mkfs.add(image.toString());
      mtools(HostProcess.of(mkfs), epoch).check(output);
      if (Files.isDirectory(source)) {
        copyDirectory(source, "::", image, epoch, output);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the FAT image " + image + ": " + e.getMessage(), e);
    }
  }

  private static void copyDirectory(
      Path dir, String target, Path image, long epoch, Consumer<String> output)
      throws IOException, ImageBuildException, InterruptedException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    }
    List<String> files = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (Path e : entries) {
      if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
        dirs.add(e);
      } else if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
        files.add(e.toString());
      } else {
        throw new ImageBuildException(
            "cannot put "
                + e
                + " on a FAT filesystem (expected regular files and directories only)");
      }
    }
    if (!files.isEmpty()) {
      List<String> argv =
          new ArrayList<>(List.of("mcopy", "-p", "-m", "-Q", "-o", "-i", image.toString()));
      argv.addAll(files);
      argv.add(target + "/");
      mtools(HostProcess.of(argv), epoch).check(output);
    }
    for (Path d : dirs) {
      String sub = target + "/" + d.getFileName();
      mtools(HostProcess.of("mmd", "-i", image.toString(), sub), epoch).check(output);
      copyDirectory(d, sub, image, epoch, output);
    }
  }

  private static HostProcess mtools(HostProcess c, long epoch) {
    return c.env("MTOOLS_SKIP_CHECK", "1").env("SOURCE_DATE_EPOCH", Long.toString(epoch));
  }
}
