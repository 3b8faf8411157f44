package io.imagebuilder.rootfs.internal.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.internal.io.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballCompressionTest {
  @TempDir Path temp;

  @Test
  void everyFormatRootfsTarballWritesIsToldByItsBytesAndReadBack() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("tree/etc"));
    Files.writeString(tree.resolve("hostname"), "base\n");
    Map<OutputFormat, Compression> expected =
        Map.of(
            OutputFormat.TAR, Compression.NONE,
            OutputFormat.TAR_GZ, Compression.GZIP,
            OutputFormat.TAR_XZ, Compression.XZ,
            OutputFormat.TAR_ZST, Compression.ZSTD);
    for (Map.Entry<OutputFormat, Compression> e : expected.entrySet()) {
      // A misleading name: the bytes decide, not the extension.
      Path file =
          RootfsTarball.write(
                  temp.resolve("tree"),
                  temp.resolve("base-" + e.getKey().name() + ".tar"),
                  e.getKey(),
                  0)
              .file();

      assertEquals(e.getValue(), Compression.sniff(head(file)), e.getKey().toString());
      assertEquals(List.of("./", "./etc/", "./etc/hostname"), names(file), e.getKey().toString());
    }
  }

  @Test
  void aCompressedFileWithoutATarInsideIsRefusedNamingIt() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
      out.write("not a tarball at all".getBytes(StandardCharsets.UTF_8));
    }
    Path file = Files.write(temp.resolve("notes.tar.gz"), gz.toByteArray());

    IOException e =
        assertThrows(
            IOException.class,
            () -> TarballCompression.openTar(Files.newInputStream(file), "'notes.tar.gz'").close());
    assertTrue(
        e.getMessage().startsWith("'notes.tar.gz' is not a rootfs tarball (gzip compression"),
        e.getMessage());
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(8);
    }
  }

  private static List<String> names(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            TarballCompression.openTar(Files.newInputStream(file), file.toString()))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
