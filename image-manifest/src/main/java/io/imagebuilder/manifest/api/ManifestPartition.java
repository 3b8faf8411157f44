package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One partition of a disk image artifact, so that a partition's hash (e.g. of a root filesystem
 * written to an eMMC on its own) leads back to the build as well. Filled in by the stage that
 * writes the disk image; everything but {@code number} and {@code sha256} is optional.
 *
 * @param number the partition number in the table, from 1
 * @param name the partition's label (GPT name or filesystem label), or null
 * @param type the partition type (GPT type GUID or MBR type byte as hex), or null
 * @param filesystem e.g. {@code ext4}, {@code vfat}, or null
 * @param offset first byte of the partition within the image
 * @param size length in bytes
 * @param sha256 sha256 of the partition's bytes, 64 hex digits
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestPartition(
    int number,
    String name,
    String type,
    String filesystem,
    long offset,
    long size,
    String sha256) {
  /**
   * Checks the number and the sha256.
   *
   * @param number the partition number in the table, from 1
   * @param name the partition's label (GPT name or filesystem label), or null
   * @param type the partition type (GPT type GUID or MBR type byte as hex), or null
   * @param filesystem e.g. {@code ext4}, {@code vfat}, or null
   * @param offset first byte of the partition within the image
   * @param size length in bytes
   * @param sha256 sha256 of the partition's bytes, 64 hex digits
   * @throws IllegalArgumentException if the number is below 1 or the sha256 is malformed
   */
  public ManifestPartition {
    if (number < 1) {
      throw new IllegalArgumentException(
          "invalid partition number " + number + " (expected 1 or more)");
    }
    Sha256s.require(sha256, "sha256 of partition " + number);
  }
}
