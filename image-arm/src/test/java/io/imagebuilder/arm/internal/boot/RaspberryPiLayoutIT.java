package io.imagebuilder.arm.internal.boot;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.arm.internal.disk.DiskIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Raspberry Pi image's layout, read without mounting: the MBR with sfdisk, the FAT firmware
 * partition with mtools at its offset, the ext4 root's fstab with debugfs on the extracted
 * partition.
 */
// Their fixtures are made with mmdebstrap under qemu-user (20 min per architecture here): they run
// on request until they build on the library's own bootstrap, which fits the CI time budget.
@EnabledIfSystemProperty(named = "imagebuilder.disk.it", matches = "true",
    disabledReason = "disk image ITs run with -Dimagebuilder.disk.it=true (mmdebstrap fixtures)")
class RaspberryPiLayoutIT {
  @ParameterizedTest
  @ValueSource(strings = {"raspberrypi-4", "raspberrypi-3"})
  void theImageHoldsTheFirmwareConfigKernelAndAMatchingRoot(String boardId) throws Exception {
    Board board = Boards.find(boardId);
    BoardImages.Built built = BoardImages.build(boardId, List.of(OutputFormat.RAW), BoardImages.newWorkRoot(boardId));
    try {
      Path img = built.image();
      JsonNode table = new ObjectMapper().readTree(MmdebstrapFixture.run(List.of("sfdisk", "--json", img.toString())))
          .get("partitiontable");
      assertEquals("dos", table.get("label").asText());
      JsonNode fat = table.get("partitions").get(0);
      JsonNode root = table.get("partitions").get(1);
      assertEquals("c", fat.get("type").asText());
      assertEquals("83", root.get("type").asText());
      String id = table.get("id").asText().substring(2);
      String rootPartuuid = id + "-02";

      String at = img + "@@" + fat.get("start").asLong() * 512;
      String dir = MmdebstrapFixture.run(List.of("env", "MTOOLS_SKIP_CHECK=1", "mdir", "-b", "-i", at, "::/"));
      for (String f : board.bootFiles()) {
        assertTrue(dir.contains("::/" + f + "\n"), f + " missing in\n" + dir);
      }
      String cmdline = MmdebstrapFixture.run(List.of("env", "MTOOLS_SKIP_CHECK=1", "mtype", "-i", at, "::/cmdline.txt"));
      assertTrue(cmdline.contains("root=PARTUUID=" + rootPartuuid + " "), cmdline);
      assertTrue(cmdline.contains("console=" + board.serialConsole()), cmdline);
      String config = MmdebstrapFixture.run(List.of("env", "MTOOLS_SKIP_CHECK=1", "mtype", "-i", at, "::/config.txt"));
      Matcher kernel = Pattern.compile("(?m)^kernel=(vmlinuz-\\S+)$").matcher(config);
      Matcher initrd = Pattern.compile("(?m)^initramfs (initrd.img-\\S+)").matcher(config);
      assertTrue(kernel.find() && initrd.find(), config);
      assertTrue(dir.contains("::/" + kernel.group(1) + "\n") && dir.contains("::/" + initrd.group(1) + "\n"), dir);
      assertTrue(config.contains("arm_64bit=1"), config);

      Path rootfs = built.workRoot().resolve("root.ext4");
      MmdebstrapFixture.run(List.of("dd", "if=" + img, "of=" + rootfs, "bs=512", "skip=" + root.get("start").asLong(),
          "count=" + root.get("size").asLong(), "conv=sparse", "status=none"));
      String fstab = MmdebstrapFixture.run(List.of("debugfs", "-R", "cat /etc/fstab", rootfs.toString()));
      String rootUuid = new DiskIdentity(BoardImages.spec(board, List.of(OutputFormat.RAW)).specHash())
          .filesystemUuid("root").toString();
      assertTrue(fstab.contains("UUID=" + rootUuid + " / ext4 "), fstab);
      String fatUuid = MmdebstrapFixture.run(List.of("env", "MTOOLS_SKIP_CHECK=1", "minfo", "-i", at, "::"));
      String blkid = MmdebstrapFixture.run(List.of("blkid", "-p", "-o", "export", rootfs.toString()));
      assertTrue(blkid.contains("UUID=" + rootUuid), blkid);
      assertTrue(fstab.lines().anyMatch(l -> l.matches("UUID=[0-9A-F]{4}-[0-9A-F]{4} /boot/firmware vfat .*")), fstab);
      String fwUuid = fstab.lines().filter(l -> l.contains("/boot/firmware")).findFirst().orElseThrow()
          .substring(5, 14).replace("-", "");
      assertTrue(fatUuid.toUpperCase().contains("VOLUME ID IS " + fwUuid) || fatUuid.toUpperCase().contains(fwUuid), fatUuid);
      String firmwareDir = MmdebstrapFixture.run(List.of("debugfs", "-R", "ls /boot/firmware", rootfs.toString()));
      assertTrue(!firmwareDir.contains("config.txt"), "the root's /boot/firmware is an empty mount point: " + firmwareDir);
    } finally {
      MmdebstrapFixture.delete(built.workRoot());
    }
  }
}
