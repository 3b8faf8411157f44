package io.imagebuilder.arm.internal.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;

/**
 * Every identifier of a disk image, derived from the spec hash so the same spec gives the same
 * disk: filesystem UUIDs, partition GUIDs, the GPT disk GUID, the MBR disk signature, FAT volume
 * ids and the ext4 directory hash seed. Each is a name-based UUID (RFC 4122 version 5, SHA-1) in
 * our own namespace, named by the spec hash and what the id is for.
 */
public final class DiskIdentity {
  /** The namespace of ImageBuilder's disk ids; a constant so ids never change between versions. */
  private static final UUID NAMESPACE = UUID.fromString("6f1b2d0e-6c3a-4f57-9a39-5b0e7d2b8c41");

  private final String specHash;

  public DiskIdentity(String specHash) {
    if (specHash == null || specHash.isBlank()) {
      throw new IllegalArgumentException(
          "invalid spec hash '" + specHash + "' (expected a non-empty hash)");
    }
    this.specHash = specHash;
  }

  public String specHash() {
    return specHash;
  }

  /** The UUID of the filesystem with {@code role} (esp, firmware, root). */
  public UUID filesystemUuid(String role) {
    return uuid("filesystem:" + role);
  }

  /** The GPT unique partition GUID of the partition with {@code role}. */
  public UUID partitionGuid(String role) {
    return uuid("partition:" + role);
  }

  public UUID diskGuid() {
    return uuid("disk");
  }

  /** The ext4 directory hash seed of the filesystem with {@code role}. */
  public UUID hashSeed(String role) {
    return uuid("hash-seed:" + role);
  }

  /** The 32-bit MBR disk signature; never zero (zero means "none" to some tools). */
  public int mbrSignature() {
    int value = (int) uuid("mbr-signature").getMostSignificantBits();
    return value == 0 ? 1 : value;
  }

  /** The FAT volume id of the filesystem with {@code role}, as 8 hex digits for mkfs.vfat -i. */
  public String fatVolumeId(String role) {
    return String.format(
        Locale.ROOT, "%08x", (int) (filesystemUuid(role).getMostSignificantBits() >>> 32));
  }

  /** A FAT volume id as Linux shows it in /dev/disk/by-uuid and fstab: {@code ABCD-1234}. */
  public static String fatUuidForm(String volumeId) {
    String upper = volumeId.toUpperCase(Locale.ROOT);
    return upper.substring(0, 4) + "-" + upper.substring(4);
  }

  /** A version 5 UUID of {@code name} under the spec hash. */
  private UUID uuid(String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      sha1.update((specHash + "/" + name).getBytes(StandardCharsets.UTF_8));
      byte[] h = sha1.digest();
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }
}
