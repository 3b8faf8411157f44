package io.imagebuilder.manifest.internal.embedded;

import io.imagebuilder.internal.io.Compression;
import io.imagebuilder.manifest.api.EmbeddedManifestReader;
import io.imagebuilder.manifest.api.Manifests;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads the embedded manifest out of a rootfs tarball (tar, tar.gz, tar.xz, tar.zst) as a stream:
 * nothing is extracted to disk. The kind is told by magic bytes, and a compressed file counts as a
 * tarball only if what it decompresses to starts with a tar header, so a compressed disk image
 * ({@code img.xz}) is left to another reader. The first entry at the embedded path is taken; it
 * must be a regular file (a link is never followed).
 */
public final class TarballManifestReader implements EmbeddedManifestReader {
  /** Larger than any manifest: a bigger entry is not ours. */
  static final long MAX_MANIFEST_BYTES = 64L << 20;

  private static final String ENTRY = Manifests.EMBEDDED_PATH.substring(1);

  /** The decompressed bytes of {@code in}, with the libraries this module has. */
  private static InputStream open(Compression compression, InputStream in) throws IOException {
    switch (compression) {
      case GZIP:
        return new GzipCompressorInputStream(in, true);
      case XZ:
        return new XZCompressorInputStream(in, true);
      case ZSTD:
        return new ZstdCompressorInputStream(in);
      default:
        return in;
    }
  }

  @Override
  public String name() {
    return "tarball";
  }

  @Override
  public boolean canRead(Path file, byte[] head) {
    Compression compression = Compression.sniff(head);
    byte[] tarHead = head;
    if (compression != Compression.NONE) {
      try (InputStream in = open(compression, new ByteArrayInputStream(head))) {
        tarHead = in.readNBytes(512);
      } catch (IOException e) {
        // The head ends mid-stream: whatever decompressed before that is all we judge by.
        return false;
      }
    }
    return Compression.isTarHeader(tarHead);
  }

  @Override
  public Optional<String> read(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(8);
    }
    Compression compression = Compression.sniff(head);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(open(compression, raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!ENTRY.equals(normalise(entry.getName()))) {
          continue;
        }
        if (!entry.isFile() || entry.isLink() || entry.isSymbolicLink()) {
          throw new IOException(
              Manifests.EMBEDDED_PATH
                  + " in "
                  + file
                  + " is not a regular file (expected the embedded manifest)");
        }
        if (entry.getSize() > MAX_MANIFEST_BYTES) {
          throw new IOException(
              Manifests.EMBEDDED_PATH
                  + " in "
                  + file
                  + " has "
                  + entry.getSize()
                  + " bytes (expected a manifest of at most "
                  + MAX_MANIFEST_BYTES
                  + ")");
        }
        return Optional.of(
            new String(tar.readNBytes((int) entry.getSize()), StandardCharsets.UTF_8));
      }
      return Optional.empty();
    }
  }

  /** {@code ./usr/x}, {@code /usr/x} and {@code usr/x} name the same entry. */
  static String normalise(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    return n;
  }
}
