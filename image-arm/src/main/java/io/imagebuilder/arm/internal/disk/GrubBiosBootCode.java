package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.arm.internal.disk.DiskLayout.Placed;
import io.imagebuilder.internal.disk.PartitionTableFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Makes a GPT disk boot with GRUB on a PC BIOS without grub-install (which wants a block device):
 * GRUB's {@code boot.img} goes into the first 440 bytes of the disk, its {@code core.img} into the
 * BIOS boot partition, and the two pointers that grub-bios-setup would patch are set: boot.img's
 * pointer to core.img's first sector, and the block list at the end of core.img's first sector that
 * loads the rest of it. The offsets are those of GRUB's i386-pc boot.h and diskboot.S.
 */
public final class GrubBiosBootCode {
  /** boot.img: where the LBA of core.img's first sector goes (64-bit). */
  static final int KERNEL_SECTOR = 0x5c;

  /** boot.img: a jump that skips the boot drive check, replaced by two NOPs on hard disks. */
  static final int DRIVE_CHECK = 0x66;

  /** The MBR's boot code ends where the disk signature starts. */
  static final int BOOT_CODE_END = 0x1b8;

  /** core.img: the first block list entry (start 64-bit, sector count 16-bit, segment 16-bit). */
  static final int BLOCKLIST = 0x200 - 12;

  private GrubBiosBootCode() {}

  /**
   * Writes both images into {@code disk}, whose partition table is already written.
   *
   * @throws IllegalArgumentException if the images are not GRUB's or core.img does not fit
   */
  public static void install(FileChannel disk, Placed biosPartition, byte[] bootImg, byte[] coreImg)
      throws IOException {
    if (bootImg.length != DiskLayout.SECTOR || !PartitionTableFormat.hasBootSignature(bootImg)) {
      throw new IllegalArgumentException(
          "invalid GRUB boot.img of "
              + bootImg.length
              + " bytes (expected one 512-byte boot sector)");
    }
    int coreSectors = (coreImg.length + DiskLayout.SECTOR - 1) / DiskLayout.SECTOR;
    if (coreSectors < 2 || coreSectors > biosPartition.sectors()) {
      throw new IllegalArgumentException(
          "GRUB core.img of "
              + coreImg.length
              + " bytes does not fit the BIOS boot partition of "
              + biosPartition.sizeBytes()
              + " bytes");
    }
    ByteBuffer core =
        ByteBuffer.allocate(coreSectors * DiskLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    core.put(coreImg).clear();
    core.putLong(BLOCKLIST, biosPartition.firstLba() + 1);
    core.putShort(BLOCKLIST + 8, (short) (coreSectors - 1));
    disk.write(core, biosPartition.offsetBytes());

    ByteBuffer mbr = ByteBuffer.allocate(DiskLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    disk.read(mbr, 0);
    mbr.clear();
    mbr.put(0, bootImg, 0, BOOT_CODE_END);
    mbr.putLong(KERNEL_SECTOR, biosPartition.firstLba());
    mbr.put(DRIVE_CHECK, (byte) 0x90).put(DRIVE_CHECK + 1, (byte) 0x90);
    disk.write(mbr, 0);
  }
}
