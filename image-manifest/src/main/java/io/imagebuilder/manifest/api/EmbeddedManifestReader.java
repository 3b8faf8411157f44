package io.imagebuilder.manifest.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the manifest embedded at {@link Manifests#EMBEDDED_PATH} out of an image file without
 * mounting or extracting it. Found with {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.imagebuilder.manifest.api.EmbeddedManifestReader}. image-manifest brings
 * two, asked in this order: rootfs tarballs (tar, tar.gz, tar.xz, tar.zst, read as a stream) and
 * raw disk images (GPT or MBR with 512-byte sectors: the file is read from the ext2/3/4 partitions
 * with e2fsprogs' {@code debugfs}, read-only, nothing mounted). A compressed disk image ({@code
 * img.xz}) has no reader yet; a module may add one.
 */
public interface EmbeddedManifestReader {
  /**
   * A short name for messages.
   *
   * @return the name, e.g. {@code tarball}
   */
  String name();

  /**
   * Whether {@code file} is of a kind this reader knows, judged by its content (magic bytes), not
   * its name.
   *
   * @param file the image file
   * @param head the first bytes of the file (up to 64 KiB; fewer if the file is shorter)
   * @return true if this reader can look for a manifest in it
   * @throws IOException if the file cannot be read
   */
  boolean canRead(Path file, byte[] head) throws IOException;

  /**
   * The embedded manifest's JSON text, or empty when the image holds none.
   *
   * @param file an image file {@link #canRead} accepted
   * @return the manifest's JSON text, or empty
   * @throws IOException if the file cannot be read or is damaged
   */
  Optional<String> read(Path file) throws IOException;
}
