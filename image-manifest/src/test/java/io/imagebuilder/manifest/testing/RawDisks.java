package io.imagebuilder.manifest.testing;

import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Raw disk images made in the tests without root: a sparse file partitioned with {@code sfdisk}
 * (which writes a table into a plain file), filesystems made with {@code mkfs.ext4 -d} (or {@code
 * mkfs.vfat}) on files of their own and copied into place. Sectors are 512 bytes.
 */
public final class RawDisks {
  /** What goes into one partition. */
  public sealed interface Content {}

  /** An ext4 filesystem holding the files of {@code dir} (null for an empty one). */
  public record Ext4(Path dir) implements Content {}

  /** A FAT filesystem (nothing in it). */
  public record Fat() implements Content {}

  /** Nothing: the partition's bytes stay zero. */
  public record Blank() implements Content {}

  /**
   * One partition of {@code sectors} 512-byte sectors.
   *
   * @param type sfdisk's type: {@code linux}, {@code uefi}, or an MBR byte such as {@code 83}
   */
  public record Part(long sectors, String type, Content content) {}

  private static final long FIRST_SECTOR = 2048;

  private RawDisks() {}

  /**
   * Writes a disk image with a {@code label} ({@code gpt} or {@code dos}) table and {@code parts},
   * in order.
   */
  public static Path write(Path file, String label, List<Part> parts)
      throws IOException, InterruptedException {
    long sectors =
        FIRST_SECTOR
            + parts.stream().mapToLong(Part::sectors).sum()
            + 2048; // room for the backup GPT
    try (FileChannel c =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      c.truncate(0);
      c.position(sectors * 512 - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
    }
    StringBuilder script = new StringBuilder("label: " + label + "\nunit: sectors\n");
    long start = FIRST_SECTOR;
    List<Long> starts = new ArrayList<>();
    for (Part p : parts) {
      script
          .append("start=")
          .append(start)
          .append(", size=")
          .append(p.sectors())
          .append(", type=")
          .append(p.type())
          .append('\n');
      starts.add(start);
      start += p.sectors();
    }
    run(script.toString(), "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", file.toString());
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      Path fs = file.resolveSibling(file.getFileName() + ".part" + (i + 1));
      if (p.content() instanceof Ext4 ext4) {
        mkfs(
            fs,
            p.sectors(),
            ext4.dir() == null
                ? List.of("mkfs.ext4", "-q", "-F", "-E", "root_owner=0:0", fs.toString())
                : List.of(
                    "mkfs.ext4",
                    "-q",
                    "-F",
                    "-E",
                    "root_owner=0:0",
                    "-d",
                    ext4.dir().toString(),
                    fs.toString()));
      } else if (p.content() instanceof Fat) {
        mkfs(fs, p.sectors(), List.of("mkfs.vfat", fs.toString()));
      } else {
        continue;
      }
      copyInto(fs, file, starts.get(i) * 512);
      Files.delete(fs);
    }
    return file;
  }

  /** A directory holding {@code json} at the embedded manifest's path. */
  public static Path rootWithManifest(Path dir, String json) throws IOException {
    Path file = dir.resolve("usr/share/imagebuilder/manifest.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return dir;
  }

  private static void mkfs(Path fs, long sectors, List<String> argv)
      throws IOException, InterruptedException {
    try (FileChannel c =
        FileChannel.open(fs, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      c.position(sectors * 512 - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
    }
    run("", argv.toArray(String[]::new));
  }

  private static void copyInto(Path from, Path disk, long offset) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < in.size()) {
        done += in.transferTo(done, in.size() - done, out.position(offset + done));
      }
    }
  }

  private static void run(String stdin, String... argv) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(argv));
    command.set(
        0,
        HostTools.find(argv[0])
            .orElseThrow(() -> new IOException(argv[0] + " is not installed"))
            .toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + output);
    }
  }
}
