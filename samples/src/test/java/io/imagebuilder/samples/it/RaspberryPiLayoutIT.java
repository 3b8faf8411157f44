package io.imagebuilder.samples.it;

import static io.imagebuilder.samples.testing.ItBuilds.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.testing.DiskImageFixture;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Raspberry Pi image built by the library end to end, its layout read the way a user would check
 * a card before flashing it, without mounting: the MBR with sfdisk, the FAT firmware partition with
 * mtools at its offset, the ext4 root with debugfs and blkid at theirs.
 */
class RaspberryPiLayoutIT {
  private static final Pattern KERNEL = Pattern.compile("(?m)^kernel=(vmlinuz-\\S+)$");
  private static final Pattern INITRD = Pattern.compile("(?m)^initramfs (initrd.img-\\S+)");
  private static final Pattern ROOT_UUID = Pattern.compile("(?m)^UUID=(\\S+) / ext4 ");
  private static final Pattern FIRMWARE_UUID =
      Pattern.compile("(?m)^UUID=([0-9A-F]{4})-([0-9A-F]{4}) /boot/firmware vfat ");

  // raspberrypi-3 is built the same way as raspberrypi-4 (same kernel, firmware package and
  // layout; only its board file's boot files and defaults differ), so CI builds these two: one
  // card per series, about 2.5 minutes each under qemu-user.
  @RegisterExtension
  static final DiskImageFixture PI4 = BoardImages.of("raspberrypi-4", "bookworm");

  @RegisterExtension static final DiskImageFixture PI5 = BoardImages.of("raspberrypi-5", "trixie");

  @ParameterizedTest
  @CsvSource({"raspberrypi-4, bookworm", "raspberrypi-5, trixie"})
  void theCardHoldsFirmwareConfigKernelAndAMatchingRoot(String boardId, String series)
      throws Exception {
    Board board = Boards.find(boardId);
    DiskImageFixture card = boardId.equals("raspberrypi-4") ? PI4 : PI5;
    assertEquals(series, card.result().spec().series(), "the fixture of " + boardId);
    assertEquals(boardId, card.result().spec().board(), "the fixture of " + boardId);
    Path image = card.diskImage();

    JsonNode table =
        new ObjectMapper()
            .readTree(host("sfdisk", "--json", image.toString()))
            .get("partitiontable");
    assertEquals("dos", table.get("label").asText());
    JsonNode fat = table.get("partitions").get(0);
    JsonNode root = table.get("partitions").get(1);
    assertEquals("c", fat.get("type").asText(), "the firmware partition is FAT32 (LBA)");
    assertEquals("83", root.get("type").asText(), "the root partition is Linux");
    String rootPartuuid = table.get("id").asText().substring(2) + "-02";

    String fatAt = image + "@@" + fat.get("start").asLong() * 512;
    String files = mtools("mdir", "-b", "-i", fatAt, "::/");
    for (String file : board.bootFiles()) {
      assertTrue(
          files.contains("::/" + file + "\n"),
          file + " missing from the firmware partition:\n" + files);
    }
    String cmdline = mtools("mtype", "-i", fatAt, "::/cmdline.txt");
    assertTrue(
        cmdline.contains("root=PARTUUID=" + rootPartuuid + " "),
        "root= is the root partition: " + cmdline);
    assertTrue(cmdline.contains("console=" + board.serialConsole()), cmdline);
    String config = mtools("mtype", "-i", fatAt, "::/config.txt");
    assertTrue(config.contains("arm_64bit=1"), config);
    Matcher kernel = KERNEL.matcher(config);
    Matcher initrd = INITRD.matcher(config);
    assertTrue(
        kernel.find() && initrd.find(), "config.txt names a kernel and an initrd:\n" + config);
    assertTrue(
        files.contains("::/" + kernel.group(1) + "\n"), kernel.group(1) + " missing:\n" + files);
    assertTrue(
        files.contains("::/" + initrd.group(1) + "\n"), initrd.group(1) + " missing:\n" + files);

    String rootAt = image + "?offset=" + root.get("start").asLong() * 512;
    String fstab = host("debugfs", "-R", "cat /etc/fstab", rootAt);
    Matcher rootUuid = ROOT_UUID.matcher(fstab);
    assertTrue(rootUuid.find(), "fstab mounts / by UUID:\n" + fstab);
    String probed =
        host(
            "blkid",
            "-p",
            "-O",
            String.valueOf(root.get("start").asLong() * 512),
            "-o",
            "export",
            image.toString());
    assertTrue(
        probed.contains("\nUUID=" + rootUuid.group(1) + "\n") && probed.contains("TYPE=ext4"),
        "fstab's root UUID is the root partition's:\n" + fstab + "\n" + probed);
    Matcher firmwareUuid = FIRMWARE_UUID.matcher(fstab);
    assertTrue(firmwareUuid.find(), "fstab mounts /boot/firmware by UUID:\n" + fstab);
    String volume = mtools("minfo", "-i", fatAt, "::");
    String serial = firmwareUuid.group(1) + firmwareUuid.group(2);
    assertTrue(
        volume.toUpperCase().contains("SERIAL NUMBER: " + serial),
        "fstab's firmware UUID is the FAT's:\n" + volume);
    assertFalse(
        host("debugfs", "-R", "ls /boot/firmware", rootAt).contains("config.txt"),
        "the root's /boot/firmware is an empty mount point");
  }

  private static String mtools(String... argv) throws Exception {
    String[] withEnv = new String[argv.length + 2];
    withEnv[0] = "env";
    withEnv[1] = "MTOOLS_SKIP_CHECK=1";
    System.arraycopy(argv, 0, withEnv, 2, argv.length);
    return host(withEnv);
  }
}
