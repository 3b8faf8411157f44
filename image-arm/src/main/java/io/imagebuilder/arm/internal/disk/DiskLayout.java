package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.disk.PartitionTableFormat;
import io.imagebuilder.internal.disk.PartitionTableWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Where each partition of a disk image lies: 512-byte sectors, partitions aligned to 1 MiB, the
 * first at 1 MiB, and (for GPT) 1 MiB at the end for the backup table.
 *
 * @param table {@code gpt} or {@code mbr}
 * @param partitions in disk order, numbered from 1
 * @param totalBytes the image's length
 * @param diskGuid the GPT disk GUID
 * @param mbrSignature the MBR disk signature
 */
public record DiskLayout(
    String table, List<Placed> partitions, long totalBytes, UUID diskGuid, int mbrSignature) {
  public static final int SECTOR = PartitionTableFormat.SECTOR;
  public static final long ALIGN = ByteSize.MIB;

  private static final Map<Architecture, String> GPT_ROOT_TYPES =
      Map.of(
          Architecture.AMD64, "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
          Architecture.ARM64, "B921B045-1DF0-41C3-AF44-4C6F280D3FAE",
          Architecture.ARMHF, "69DAD710-2CE4-4E3C-B16C-21A1D49ABED3",
          Architecture.ARMEL, "69DAD710-2CE4-4E3C-B16C-21A1D49ABED3",
          Architecture.I386, "44479540-F297-41B2-9AF7-D131D5F0458A",
          Architecture.RISCV64, "72EC70A6-CF74-40E6-BD49-4BDA08E8F224");
  private static final String GPT_LINUX_DATA = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

  public DiskLayout {
    partitions = List.copyOf(partitions);
  }

  /**
   * One partition in place.
   *
   * @param number from 1
   * @param spec the board's description
   * @param firstLba its first sector
   * @param sectors its length in sectors
   * @param gptType the GPT type GUID (upper case)
   * @param mbrType the MBR type byte
   * @param guid the GPT unique partition GUID
   * @param partuuid what Linux calls PARTUUID: the GUID on GPT, {@code signature-NN} on MBR
   */
  public record Placed(
      int number,
      Partition spec,
      long firstLba,
      long sectors,
      String gptType,
      int mbrType,
      UUID guid,
      String partuuid) {
    public long offsetBytes() {
      return firstLba * SECTOR;
    }

    public long sizeBytes() {
      return sectors * SECTOR;
    }
  }

  /**
   * Places partitions of the given sizes.
   *
   * @param sizes the byte size of each partition, in the order of {@code specs}; rounded up to 1
   *     MiB
   */
  public static DiskLayout plan(
      String table, Architecture arch, List<Partition> specs, List<Long> sizes, DiskIdentity ids) {
    if (!table.equals("gpt") && !table.equals("mbr")) {
      throw new IllegalArgumentException(
          "invalid partition table '" + table + "' (expected gpt or mbr)");
    }
    if (specs.size() != sizes.size()) {
      throw new IllegalArgumentException(
          "got " + sizes.size() + " sizes for " + specs.size() + " partitions");
    }
    if (table.equals("mbr") && specs.size() > 4) {
      throw new IllegalArgumentException(
          "an MBR holds 4 primary partitions (got " + specs.size() + ")");
    }
    int signature = ids.mbrSignature();
    List<Placed> out = new ArrayList<>();
    long next = ALIGN;
    for (int i = 0; i < specs.size(); i++) {
      Partition p = specs.get(i);
      long bytes = ByteSize.alignUp(Math.max(sizes.get(i), 1), ALIGN);
      UUID guid = ids.partitionGuid(p.role());
      String partuuid =
          table.equals("gpt")
              ? guid.toString()
              : String.format(Locale.ROOT, "%08x-%02x", signature, i + 1);
      out.add(
          new Placed(
              i + 1,
              p,
              next / SECTOR,
              bytes / SECTOR,
              gptType(p, arch),
              mbrType(p),
              guid,
              partuuid));
      next += bytes;
    }
    long total = next + (table.equals("gpt") ? ALIGN : 0);
    return new DiskLayout(table, out, total, ids.diskGuid(), signature);
  }

  /**
   * The partition table to write for this layout; a GPT entry is named by its label, else its role.
   */
  public PartitionTableWriter.Table partitionTable() {
    List<PartitionTableWriter.Entry> entries = new ArrayList<>();
    for (Placed p : partitions) {
      String name = p.spec().label() == null ? p.spec().role() : p.spec().label();
      entries.add(
          new PartitionTableWriter.Entry(
              p.number(), p.firstLba(), p.sectors(), p.gptType(), p.mbrType(), p.guid(), name));
    }
    return new PartitionTableWriter.Table(table, totalBytes, diskGuid, mbrSignature, entries);
  }

  public Placed byRole(String role) {
    return partitions.stream()
        .filter(p -> p.spec().role().equals(role))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the disk has no " + role + " partition"));
  }

  static String gptType(Partition p, Architecture arch) {
    if (p.type() != null && p.type().length() == 36) {
      return p.type().toUpperCase(Locale.ROOT);
    }
    switch (p.role()) {
      case Partition.ROLE_ESP:
        return "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
      case Partition.ROLE_BIOS:
        return "21686148-6449-6E6F-744E-656564454649";
      case Partition.ROLE_FIRMWARE:
        return "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";
      default:
        return GPT_ROOT_TYPES.getOrDefault(arch, GPT_LINUX_DATA);
    }
  }

  static int mbrType(Partition p) {
    if (p.type() != null && p.type().matches("[0-9a-fA-F]{2}")) {
      return Integer.parseInt(p.type(), 16);
    }
    switch (p.role()) {
      case Partition.ROLE_ESP:
        return 0xef;
      case Partition.ROLE_FIRMWARE:
        return 0x0c;
      case Partition.ROLE_BIOS:
        return 0xda;
      default:
        return 0x83;
    }
  }
}
