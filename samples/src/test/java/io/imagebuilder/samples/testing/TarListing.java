package io.imagebuilder.samples.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * What a tarball holds, entry by entry (type, mode, owner, mtime, size, content sha256, link), to
 * say exactly how two artifacts that should be identical differ.
 */
public final class TarListing {
  private TarListing() {}

  /** Entry name to its description, in archive order. */
  public static Map<String, String> of(Path tarball) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
        InputStream in = decompress(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String content = e.isFile() ? sha256(tar) : "-";
        entries.put(
            e.getName(),
            String.format(
                "type=%c mode=%o owner=%d:%d mtime=%d size=%d sha256=%s link=%s pax=%s",
                (char) e.getLinkFlag(),
                e.getMode(),
                e.getLongUserId(),
                e.getLongGroupId(),
                e.getModTime().toInstant().getEpochSecond(),
                e.getSize(),
                content,
                e.getLinkName(),
                new java.util.TreeMap<>(e.getExtraPaxHeaders())));
      }
    }
    return entries;
  }

  /**
   * The differences between two tarballs, one line each (entries only in one, entries that differ,
   * a different order), at most {@code limit} lines; empty if their entries are equal.
   */
  public static List<String> diff(Path a, Path b, int limit) throws IOException {
    Map<String, String> left = of(a);
    Map<String, String> right = of(b);
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(left.keySet());
    names.addAll(right.keySet());
    for (String name : names) {
      String l = left.get(name);
      String r = right.get(name);
      if (l == null) {
        out.add("only in " + b.getFileName() + ": " + name + " " + r);
      } else if (r == null) {
        out.add("only in " + a.getFileName() + ": " + name + " " + l);
      } else if (!l.equals(r)) {
        out.add(name + "\n    " + l + "\n    " + r);
      }
    }
    if (out.isEmpty() && !new ArrayList<>(left.keySet()).equals(new ArrayList<>(right.keySet()))) {
      out.add("the same entries in a different order");
    }
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  private static InputStream decompress(InputStream raw) throws IOException {
    try {
      return new CompressorStreamFactory().createCompressorInputStream(raw);
    } catch (CompressorException e) {
      return raw; // an uncompressed tar
    }
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
