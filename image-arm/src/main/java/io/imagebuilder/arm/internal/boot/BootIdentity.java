package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.arm.internal.disk.DiskIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identifiers the booted system finds its filesystems by, the same ones disk.assemble gives
 * them: the root's UUID and PARTUUID, the boot partition's (ESP or firmware) UUID and PARTUUID.
 */
public record BootIdentity(
    String rootUuid,
    String rootPartuuid,
    Optional<Partition> bootPartition,
    String bootUuid,
    String bootPartuuid) {

  public static BootIdentity of(Board board, DiskIdentity ids) {
    List<Partition> parts = board.partitions();
    String root = null;
    String rootPart = null;
    Partition boot = null;
    String bootUuid = "";
    String bootPart = "";
    for (int i = 0; i < parts.size(); i++) {
      Partition p = parts.get(i);
      String partuuid =
          board.partitionTable().equals("gpt")
              ? ids.partitionGuid(p.role()).toString()
              : String.format(Locale.ROOT, "%08x-%02x", ids.mbrSignature(), i + 1);
      if (p.role().equals(Partition.ROLE_ROOT)) {
        root = ids.filesystemUuid(p.role()).toString();
        rootPart = partuuid;
      } else if (boot == null && p.filesystem().equals("vfat") && p.mountPoint() != null) {
        boot = p;
        bootUuid = DiskIdentity.fatUuidForm(ids.fatVolumeId(p.role()));
        bootPart = partuuid;
      }
    }
    return new BootIdentity(root, rootPart, Optional.ofNullable(boot), bootUuid, bootPart);
  }

  /** The values of the board file placeholders. */
  public Map<String, String> placeholders(Board board) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("rootUuid", rootUuid);
    m.put("rootPartuuid", rootPartuuid);
    m.put("bootUuid", bootUuid);
    m.put("bootPartuuid", bootPartuuid);
    m.put("kernelCommandLine", board.kernelCommandLine());
    return m;
  }

  /** Fills {@code ${name}} placeholders; an unknown one is an error naming it. */
  public static String fill(String template, Map<String, String> values, String what) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int start = template.indexOf("${", i);
      if (start < 0) {
        sb.append(template, i, template.length());
        break;
      }
      int end = template.indexOf('}', start);
      if (end < 0) {
        throw new IllegalArgumentException(
            "unclosed placeholder in " + what + " (expected ${name})");
      }
      String name = template.substring(start + 2, end);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "unknown placeholder '${"
                + name
                + "}' in "
                + what
                + " (expected one of "
                + values.keySet()
                + ")");
      }
      sb.append(template, i, start).append(value);
      i = end + 1;
    }
    return sb.toString();
  }
}
