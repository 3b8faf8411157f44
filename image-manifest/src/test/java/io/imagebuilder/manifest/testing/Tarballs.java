package io.imagebuilder.manifest.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Rootfs tarballs made in the tests: sorted entries, numeric root owner, mtimes from the files. */
public final class Tarballs {
  private Tarballs() {}

  /** Writes {@code dir} as a tarball; the compression follows {@code file}'s extension. */
  public static Path write(Path dir, Path file) throws IOException {
    String name = file.getFileName().toString();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream compressed = compress(raw, name);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(dir)) {
        paths = walk.filter(p -> !p.equals(dir)).sorted().toList();
      }
      for (Path p : paths) {
        String entryName =
            "./"
                + dir.relativize(p).toString().replace('\\', '/')
                + (Files.isDirectory(p) ? "/" : "");
        TarArchiveEntry e = new TarArchiveEntry(p.toFile(), entryName);
        e.setIds(0, 0);
        e.setUserName("root");
        e.setGroupName("root");
        tar.putArchiveEntry(e);
        if (Files.isRegularFile(p)) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return file;
  }

  private static OutputStream compress(OutputStream raw, String name) throws IOException {
    if (name.endsWith(".tar.gz")) {
      return new GzipCompressorOutputStream(raw);
    }
    if (name.endsWith(".tar.xz")) {
      return new XZCompressorOutputStream(raw);
    }
    if (name.endsWith(".tar.zst")) {
      return new ZstdCompressorOutputStream(raw);
    }
    if (name.endsWith(".tar")) {
      return new java.io.FilterOutputStream(raw) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }
      };
    }
    throw new IllegalArgumentException("unknown tarball extension of " + name);
  }
}
