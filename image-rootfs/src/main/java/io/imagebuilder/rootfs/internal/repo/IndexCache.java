package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.log.Logs;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Packages indexes kept on disk, so a warm build neither downloads nor decompresses nor parses a
 * Packages file it has read before: {@code <dir>/<sha256>.bin} holds the values of {@link
 * PackageRecord#FIELDS} of every stanza of the index file whose SHA256 is {@code sha256}, and
 * {@code <dir>/<sha256>.raw} that file itself as the archive served it, for writing apt's lists
 * without a second download. A raw file is checked against its name's SHA256 on every load.
 *
 * <p>The key is the SHA256 the verified Release lists for the index, and an entry is only ever
 * written from bytes that matched it, so an entry stands for exactly that index. Entries appear by
 * an atomic rename of a complete temporary file (two JVMs writing the same entry write the same
 * bytes); each ends with a SHA-256 of its contents, checked on every load: a damaged or foreign
 * entry is deleted and read as a miss. Failing to write an entry only costs speed, so it is logged,
 * not thrown.
 */
public final class IndexCache {
  private static final Logger LOG = Logs.get(IndexCache.class);
  private static final byte[] MAGIC =
      "imagebuilder-packages-index-1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST = 32;

  private final Path dir;

  /** A cache in {@code dir} (created when first written). */
  public IndexCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The entry's file. */
  Path file(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "invalid SHA256 '" + sha256 + "' (expected 64 lower-case hex digits)");
    }
    return dir.resolve(sha256 + ".bin");
  }

  /**
   * The stanzas of the index with this SHA256, or empty when not cached (or the entry is damaged).
   */
  public Optional<List<String[]>> load(String sha256) {
    Path file = file(sha256);
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("cannot read the cached index {}: {}", file, e.toString());
      return Optional.empty();
    }
    try {
      return Optional.of(decode(data));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      LOG.warn("deleting the damaged cached index {}: {}", file, e.getMessage());
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the next store replaces it anyway
      }
      return Optional.empty();
    }
  }

  /** Stores the stanzas of the index with this SHA256; failures are logged. */
  public void store(String sha256, List<String[]> stanzas) {
    Path file = file(sha256);
    try {
      Files.createDirectories(dir);
      byte[] encoded = encode(stanzas);
      AtomicFiles.write(file, out -> out.write(encoded));
    } catch (IOException e) {
      LOG.warn("cannot cache the parsed index in {}: {}", file, e.toString());
    }
  }

  /**
   * The index file with this SHA256 and size as it was fetched, or empty when it is not kept; a
   * kept file that does not match is deleted and read as a miss.
   */
  public Optional<byte[]> loadFile(String sha256, long size) {
    Path file = rawFile(sha256);
    byte[] data;
    try {
      if (Files.size(file) != size) {
        LOG.warn(
            "deleting the cached index file {}: {} bytes, expected {}",
            file,
            Files.size(file),
            size);
        Files.deleteIfExists(file);
        return Optional.empty();
      }
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("cannot read the cached index file {}: {}", file, e.toString());
      return Optional.empty();
    }
    if (!Sha256.of(data).equals(sha256)) {
      LOG.warn("deleting the cached index file {}: its SHA256 does not match its name", file);
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the next storeFile replaces it anyway
      }
      return Optional.empty();
    }
    return Optional.of(data);
  }

  /**
   * Keeps an index file the caller checked against {@code sha256}; failures are logged, since they
   * only cost a download later.
   */
  public void storeFile(String sha256, byte[] data) {
    Path file = rawFile(sha256);
    try {
      CacheFiles.writeAtomically(file, data);
    } catch (IOException e) {
      LOG.warn("cannot keep the index file in {}: {}", file, e.toString());
    }
  }

  private Path rawFile(String sha256) {
    return file(sha256).resolveSibling(sha256 + ".raw");
  }

  static byte[] encode(List<String[]> stanzas) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    int width = PackageRecord.FIELDS.size();
    out.writeInt(width);
    out.writeInt(stanzas.size());
    for (String[] s : stanzas) {
      if (s.length != width) {
        throw new IllegalArgumentException(
            "a stanza with " + s.length + " values (expected " + width + ")");
      }
      for (String v : s) {
        if (v == null) {
          out.writeInt(-1);
        } else {
          byte[] b = v.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
      }
    }
    out.flush();
    out.write(Sha256.digest(bytes.toByteArray(), 0, bytes.size()));
    return bytes.toByteArray();
  }

  static List<String[]> decode(byte[] data) {
    if (data.length < MAGIC.length + 8 + DIGEST
        || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not a cached index of this version");
    }
    int body = data.length - DIGEST;
    if (!Arrays.equals(Sha256.digest(data, 0, body), Arrays.copyOfRange(data, body, data.length))) {
      throw new IllegalArgumentException("its checksum does not match its contents");
    }
    ByteBuffer in = ByteBuffer.wrap(data, 0, body);
    in.position(MAGIC.length);
    int width = in.getInt();
    if (width != PackageRecord.FIELDS.size()) {
      throw new IllegalArgumentException(
          "it has " + width + " fields per stanza (expected " + PackageRecord.FIELDS.size() + ")");
    }
    int count = in.getInt();
    List<String[]> out = new ArrayList<>(Math.max(0, Math.min(count, 1 << 20)));
    Map<String, String> shared = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String[] s = new String[width];
      for (int f = 0; f < width; f++) {
        int len = in.getInt();
        if (len < -1 || len > in.remaining()) {
          throw new IllegalArgumentException(
              "a value of " + len + " bytes at offset " + in.position());
        }
        if (len >= 0) {
          String v = new String(data, in.position(), len, StandardCharsets.UTF_8);
          in.position(in.position() + len);
          // Architecture, Multi-Arch, Priority, Essential repeat: share them.
          s[f] = len <= 8 ? shared.computeIfAbsent(v, k -> k) : v;
        }
      }
      out.add(s);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the last stanza");
    }
    return out;
  }
}
