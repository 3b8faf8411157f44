package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes an ext4 filesystem image from a directory with {@code mkfs.ext4 -d}: no loop device, no
 * mount. For a reproducible image every input of mke2fs is fixed: its configuration (our own
 * mke2fs.conf, not the host's), UUID, directory hash seed, root owner, time (E2FSPROGS_FAKE_TIME)
 * and no lazy initialisation. mke2fs copies each inode's change time from the host, which no one
 * can set, and access times, which reading a directory on the host changes; those are then
 * rewritten to SOURCE_DATE_EPOCH with debugfs.
 */
public final class Ext4Image {
  /** Fixed so the host's /etc/mke2fs.conf does not change the image. */
  static final String MKE2FS_CONF =
      String.join(
          "\n",
          "[defaults]",
          "\tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr",
          "\tdefault_mntopts = acl,user_xattr",
          "\tenable_periodic_fsck = 0",
          "\tblocksize = 4096",
          "\tinode_size = 256",
          "\tinode_ratio = 16384",
          "",
          "[fs_types]",
          "\text4 = {",
          "\t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize",
          "\t}",
          "");

  private static final Pattern COUNT =
      Pattern.compile("(?m)^(Inode count|Free inodes):\\s+(\\d+)$");

  private Ext4Image() {}

  /** The mkfs.ext4 argv for a filesystem of {@code bytes} from {@code source}. */
  static List<String> mkfsArgv(
      Path source, Path image, long bytes, UUID uuid, UUID hashSeed, String label) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "mkfs.ext4",
                "-q",
                "-F",
                "-t",
                "ext4",
                "-T",
                "default",
                "-b",
                "4096",
                "-m",
                "5",
                "-U",
                uuid.toString(),
                "-E",
                "hash_seed="
                    + hashSeed
                    + ",root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0,nodiscard"));
    if (label != null) {
      argv.add("-L");
      argv.add(label);
    }
    argv.add("-d");
    argv.add(source.toString());
    argv.add(image.toString());
    argv.add(Long.toString(bytes / 1024) + "k");
    return argv;
  }

  /**
   * Writes {@code image} ({@code bytes} long) holding the tree at {@code source}.
   *
   * @param scratch a directory for the mke2fs configuration and the debugfs script
   */
  public static void build(
      Path source,
      Path image,
      long bytes,
      UUID uuid,
      UUID hashSeed,
      String label,
      long epoch,
      Path scratch,
      Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    try {
      Path conf = scratch.resolve("mke2fs.conf");
      Files.writeString(conf, MKE2FS_CONF, StandardCharsets.UTF_8);
      Files.deleteIfExists(image);
      HostProcess.of(mkfsArgv(source, image, bytes, uuid, hashSeed, label))
          .env("MKE2FS_CONFIG", conf.toString())
          .env("E2FSPROGS_FAKE_TIME", Long.toString(epoch))
          .check(output);
      clampChangeTimes(image, epoch, scratch, output);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the ext4 image " + image + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets every inode's change time (copied from the host, where no one can set it) and access time
   * (updated on the host whenever a directory is read) to SOURCE_DATE_EPOCH. mke2fs -d numbers the
   * inodes it creates from the first non-reserved one upwards without gaps, so those in use are the
   * first {@code count - free} ones.
   */
  private static void clampChangeTimes(
      Path image, long epoch, Path scratch, Consumer<String> output)
      throws IOException, ImageBuildException, InterruptedException {
    StringBuilder header = new StringBuilder();
    HostProcess.of("dumpe2fs", "-h", image.toString())
        .check(line -> header.append(line).append('\n'));
    long count = -1;
    long free = -1;
    Matcher m = COUNT.matcher(header);
    while (m.find()) {
      if (m.group(1).equals("Inode count")) {
        count = Long.parseLong(m.group(2));
      } else {
        free = Long.parseLong(m.group(2));
      }
    }
    if (count < 0 || free < 0) {
      throw new ImageBuildException("dumpe2fs printed no inode counts for " + image);
    }
    String hex = "0x" + Long.toHexString(epoch);
    StringBuilder script = new StringBuilder();
    for (long ino = 2; ino <= count - free; ino++) {
      if (ino > 2 && ino < 11) {
        continue;
      }
      script.append("sif <").append(ino).append("> ctime ").append(hex).append('\n');
      script.append("sif <").append(ino).append("> atime ").append(hex).append('\n');
    }
    Path file = scratch.resolve("ctime.debugfs");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    HostProcess.of("debugfs", "-w", "-f", file.toString(), image.toString())
        .env("E2FSPROGS_FAKE_TIME", Long.toString(epoch))
        .check(line -> {});
  }
}
