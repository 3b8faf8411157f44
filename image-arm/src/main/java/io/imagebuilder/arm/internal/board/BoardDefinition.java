package io.imagebuilder.arm.internal.board;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;
import java.util.regex.Pattern;

/** A board read from its JSON resource. */
public record BoardDefinition(
    String id,
    Architecture architecture,
    String description,
    List<String> kernelPackages,
    List<String> firmwarePackages,
    String bootloader,
    String partitionTable,
    String kernelCommandLine,
    String serialConsole)
    implements Board {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public BoardDefinition {
    Checks.matches(id, ID, "board id", "lower-case letters, digits and '-'");
    Checks.notNull(architecture, "architecture of board " + id);
    Checks.notNull(description, "description of board " + id);
    kernelPackages = Checks.distinctCopy(kernelPackages, "kernel packages");
    firmwarePackages = Checks.distinctCopy(firmwarePackages, "firmware packages");
    kernelPackages.forEach(Checks::packageRequest);
    firmwarePackages.forEach(Checks::packageRequest);
    Checks.notNull(bootloader, "bootloader of board " + id);
    if (!List.of("gpt", "mbr").contains(partitionTable)) {
      throw new IllegalArgumentException(
          "invalid partition table '" + partitionTable + "' of board " + id + " (expected gpt or mbr)");
    }
    kernelCommandLine = kernelCommandLine == null ? "" : kernelCommandLine;
    Checks.notNull(serialConsole, "serial console of board " + id);
  }
}
