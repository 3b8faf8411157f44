package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a board's disk image is sized and whether it grows at first boot, when the build wants
 * something other than the board's defaults. Each field left null keeps the board's value.
 *
 * @param rootFreeSpace free space left in the root filesystem beyond its content, e.g. {@code 2GiB}
 *     (KiB, MiB or GiB)
 * @param growRoot whether the root partition and filesystem grow to fill the medium at first boot
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiskOptions(String rootFreeSpace, Boolean growRoot) {
  /**
   * Checks the values.
   *
   * @param rootFreeSpace free space left in the root filesystem beyond its content, e.g. {@code
   *     2GiB} (KiB, MiB or GiB)
   * @param growRoot whether the root partition and filesystem grow to fill the medium at first boot
   */
  public DiskOptions {
    if (rootFreeSpace != null && !rootFreeSpace.matches("[0-9]{1,9}(KiB|MiB|GiB)")) {
      throw new IllegalArgumentException(
          "invalid root free space '"
              + rootFreeSpace
              + "' (expected a size such as 512MiB or 2GiB)");
    }
  }

  /** Whether every field is left to the board. */
  boolean isEmpty() {
    return rootFreeSpace == null && growRoot == null;
  }

  DiskOptions withRootFreeSpace(String size) {
    return new DiskOptions(size, growRoot);
  }

  DiskOptions withGrowRoot(boolean grow) {
    return new DiskOptions(rootFreeSpace, grow);
  }
}
