package io.imagebuilder.api.stage;

/**
 * One partition of a disk image artifact, as the manifest records it (see {@link BuildProvenance}).
 *
 * @param number the partition number in the table, from 1
 * @param name its GPT name or filesystem label, or null
 * @param type GPT type GUID or MBR type byte as hex, or null
 * @param filesystem e.g. {@code ext4}, {@code vfat}, or null
 * @param offset first byte within the image
 * @param size length in bytes
 * @param sha256 sha256 of the partition's bytes, 64 hex digits
 */
public record ImagePartition(
    int number,
    String name,
    String type,
    String filesystem,
    long offset,
    long size,
    String sha256) {}
