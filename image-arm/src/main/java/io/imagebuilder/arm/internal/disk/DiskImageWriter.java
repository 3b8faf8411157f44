package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.arm.internal.disk.DiskLayout.Placed;
import io.imagebuilder.internal.disk.PartitionTableWriter;
import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a raw disk image of a board from a rootfs, without loop devices or mounts: each filesystem
 * is made as a file (FAT with mkfs.vfat and mtools from the rootfs's boot partition directory, ext4
 * with mkfs.ext4 -d from the rest), the partition table is written by {@link PartitionTableWriter},
 * and the filesystems are copied into place, leaving zero blocks as holes. The image is written
 * through {@link AtomicFiles}: under a temporary name, renamed when complete.
 */
public final class DiskImageWriter {
  /** Where the kernel stage leaves GRUB's BIOS core image in the rootfs. */
  public static final String GRUB_CORE_IMG = "/boot/grub/i386-pc/core.img";

  public static final String GRUB_BOOT_IMG = "/usr/lib/grub/i386-pc/boot.img";

  private final Board board;
  private final String rootFreeSpace;
  private final DiskIdentity ids;
  private final long epoch;
  private final Consumer<String> output;

  public DiskImageWriter(
      Board board, String rootFreeSpace, DiskIdentity ids, long epoch, Consumer<String> output) {
    this.board = board;
    this.rootFreeSpace = rootFreeSpace;
    this.ids = ids;
    this.epoch = epoch;
    this.output = output;
  }

  /** Sizes of the partitions for this rootfs, in the board's order. */
  public List<Long> partitionSizes(Path rootfs) throws IOException {
    List<Long> sizes = new ArrayList<>();
    List<Path> mountPoints = new ArrayList<>();
    for (Partition p : board.partitions()) {
      if (p.mountPoint() != null && !p.mountPoint().equals("/")) {
        mountPoints.add(inRoot(rootfs, p.mountPoint()));
      }
    }
    for (Partition p : board.partitions()) {
      if (!"auto".equals(p.size())) {
        sizes.add(ByteSize.parse(p.size()));
      } else if (p.role().equals(Partition.ROLE_ROOT)) {
        sizes.add(
            SizePolicy.ext4Bytes(TreeUsage.of(rootfs, mountPoints), ByteSize.parse(rootFreeSpace)));
      } else if (p.filesystem().equals("vfat")) {
        Path dir = inRoot(rootfs, p.mountPoint());
        TreeUsage usage =
            Files.isDirectory(dir) ? TreeUsage.of(dir, List.of()) : new TreeUsage(0, 0);
        sizes.add(SizePolicy.fatBytes(usage));
      } else {
        sizes.add(ByteSize.MIB);
      }
    }
    return sizes;
  }

  /**
   * Writes the raw image to {@code target}; {@code scratch} holds the filesystem images meanwhile.
   */
  public DiskLayout write(Path rootfs, Path target, Path scratch)
      throws ImageBuildException, InterruptedException {
    try {
      Files.createDirectories(scratch);
      DiskLayout layout =
          DiskLayout.plan(
              board.partitionTable(),
              board.architecture(),
              board.partitions(),
              partitionSizes(rootfs),
              ids);
      List<Path> images = new ArrayList<>();
      for (Placed p : layout.partitions()) {
        images.add(makeFilesystem(p, rootfs, scratch));
      }
      Path part = AtomicFiles.createTemporary(target);
      try (FileChannel disk =
          FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
        disk.truncate(0);
        disk.write(ByteBuffer.allocate(1), layout.totalBytes() - 1);
        PartitionTableWriter.write(layout.partitionTable(), disk);
        for (int i = 0; i < images.size(); i++) {
          Path image = images.get(i);
          if (image != null) {
            copySparse(image, disk, layout.partitions().get(i).offsetBytes());
            Files.delete(image);
          }
        }
        installBiosBootCode(layout, rootfs, disk);
        disk.force(true);
      } catch (IOException | ImageBuildException | RuntimeException e) {
        Files.deleteIfExists(part);
        throw e;
      }
      AtomicFiles.commit(part, target);
      return layout;
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the disk image " + target + ": " + e.getMessage(), e);
    }
  }

  private Path makeFilesystem(Placed p, Path rootfs, Path scratch)
      throws IOException, ImageBuildException, InterruptedException {
    Partition spec = p.spec();
    String role = spec.role();
    Path image = scratch.resolve(role + ".fs");
    switch (spec.filesystem()) {
      case "vfat":
        FatImage.build(
            inRoot(rootfs, spec.mountPoint()),
            image,
            p.sizeBytes(),
            ids.fatVolumeId(role),
            spec.label(),
            epoch,
            output);
        return image;
      case "ext4":
        List<Path> others = new ArrayList<>();
        for (Partition o : board.partitions()) {
          if (o.mountPoint() != null && !o.mountPoint().equals("/") && !o.role().equals(role)) {
            others.add(inRoot(rootfs, o.mountPoint()));
          }
        }
        Path stash = scratch.resolve("stash");
        List<FileTime> times = new ArrayList<>();
        for (Path o : others) {
          times.add(Files.isDirectory(o) ? Files.getLastModifiedTime(o) : null);
        }
        List<Path[]> moved = stashContents(others, stash);
        try {
          // Moving the files changed the mount points' mtimes; the image gets the original ones.
          restoreTimes(others, times);
          Ext4Image.build(
              rootfs,
              image,
              p.sizeBytes(),
              ids.filesystemUuid(role),
              ids.hashSeed(role),
              spec.label(),
              epoch,
              scratch,
              output);
        } finally {
          for (Path[] m : moved) {
            Files.move(m[1], m[0], StandardCopyOption.ATOMIC_MOVE);
          }
          restoreTimes(others, times);
        }
        return image;
      default:
        return null;
    }
  }

  private static void restoreTimes(List<Path> dirs, List<FileTime> times) throws IOException {
    for (int i = 0; i < dirs.size(); i++) {
      if (times.get(i) != null) {
        Files.setLastModifiedTime(dirs.get(i), times.get(i));
      }
    }
  }

  /**
   * Moves what is under the other partitions' mount points aside, so the ext4 root holds empty
   * mount points; they are moved back when the root image is made. A rename: the work directory and
   * the rootfs are on the same filesystem.
   */
  private static List<Path[]> stashContents(List<Path> mountPoints, Path stash) throws IOException {
    List<Path[]> moved = new ArrayList<>();
    int n = 0;
    try {
      for (Path mp : mountPoints) {
        if (!Files.isDirectory(mp, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path holder = stash.resolve(Integer.toString(n++));
        Files.createDirectories(holder);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(mp)) {
          for (Path e : entries) {
            Path aside = holder.resolve(e.getFileName().toString());
            Files.move(e, aside, StandardCopyOption.ATOMIC_MOVE);
            moved.add(new Path[] {e, aside});
          }
        }
      }
    } catch (IOException e) {
      for (Path[] m : moved) {
        Files.move(m[1], m[0], StandardCopyOption.ATOMIC_MOVE);
      }
      throw new IOException(
          "cannot move the boot partitions' files aside (the work directory must be on"
              + " the same filesystem as the rootfs): "
              + e.getMessage(),
          e);
    }
    return moved;
  }

  private void installBiosBootCode(DiskLayout layout, Path rootfs, FileChannel disk)
      throws IOException, ImageBuildException {
    if (!board.grubTargets().contains("i386-pc")) {
      return;
    }
    Placed bios =
        layout.partitions().stream()
            .filter(p -> p.spec().role().equals(Partition.ROLE_BIOS))
            .findFirst()
            .orElseThrow(
                () ->
                    new ImageBuildException(
                        "board " + board.id() + " boots GRUB on a BIOS but has no bios partition"));
    Path core = inRoot(rootfs, GRUB_CORE_IMG);
    Path boot = inRoot(rootfs, GRUB_BOOT_IMG);
    if (!Files.isRegularFile(core) || !Files.isRegularFile(boot)) {
      throw new ImageBuildException(
          "GRUB's BIOS images "
              + GRUB_CORE_IMG
              + " and "
              + GRUB_BOOT_IMG
              + " are not in the rootfs (expected board.kernel to install grub-pc-bin and board.boot"
              + " to make core.img with grub-mkimage)");
    }
    GrubBiosBootCode.install(disk, bios, Files.readAllBytes(boot), Files.readAllBytes(core));
  }

  /** Copies a filesystem image into the disk at {@code offset}, skipping all-zero blocks. */
  static void copySparse(Path image, FileChannel disk, long offset) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    byte[] zero = new byte[buf.capacity()];
    try (InputStream in = Files.newInputStream(image)) {
      long pos = 0;
      int n;
      while ((n = in.readNBytes(buf.array(), 0, buf.capacity())) > 0) {
        if (!java.util.Arrays.equals(buf.array(), 0, n, zero, 0, n)) {
          buf.clear().limit(n);
          while (buf.hasRemaining()) {
            disk.write(buf, offset + pos + buf.position());
          }
        }
        pos += n;
      }
    }
  }

  static Path inRoot(Path rootfs, String absolute) {
    Path p = rootfs.resolve(absolute.substring(1)).normalize();
    if (!p.startsWith(rootfs)) {
      throw new IllegalArgumentException(
          "invalid path '" + absolute + "' (expected a path inside the rootfs)");
    }
    return p;
  }
}
