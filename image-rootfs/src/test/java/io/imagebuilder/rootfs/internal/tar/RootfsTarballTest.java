package io.imagebuilder.rootfs.internal.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.rootfs.internal.deb.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RootfsTarballTest {
  private static final long EPOCH = 1_700_000_000L;
  private static final String LONG_NAME = "d".repeat(60) + "/" + "f".repeat(120);

  @TempDir Path tmp;
  Path root;

  @BeforeEach
  void tree() throws Exception {
    root = tmp.resolve("rootfs");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createDirectories(root.resolve("usr-local"));
    Files.createDirectories(root.resolve(LONG_NAME).getParent());
    Files.writeString(root.resolve("usr/bin/tool"), "tool");
    Files.createLink(root.resolve("usr/bin/tool2"), root.resolve("usr/bin/tool"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.writeString(root.resolve(LONG_NAME), "long");
    Files.writeString(root.resolve("usr-local/é"), "utf8");
    Files.writeString(root.resolve("old"), "old");
    Files.setLastModifiedTime(root.resolve("old"), FileTime.from(1000, TimeUnit.SECONDS));
    Posix.chmod(root.resolve("usr/bin/tool"), 04755);
    if (Posix.isRoot()) {
      Posix.lchown(root.resolve("old"), 1234, 2345);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = OutputFormat.class,
      names = {"TAR", "TAR_GZ", "TAR_XZ", "TAR_ZST"})
  void sameTreeGivesTheSameBytes(OutputFormat format) throws Exception {
    Path a = tmp.resolve("a." + format.extension());
    Path b = tmp.resolve("b." + format.extension());

    TarballResult first = RootfsTarball.write(root, a, format, EPOCH);
    Thread.sleep(1100); // a timestamp leaking into the output would now differ
    Files.setLastModifiedTime(
        root.resolve("usr/bin"), FileTime.fromMillis(System.currentTimeMillis()));
    TarballResult second = RootfsTarball.write(root, b, format, EPOCH);

    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertEquals(first.sha256(), second.sha256());
    assertEquals(sha256(Files.readAllBytes(a)), first.sha256());
    assertEquals(Files.size(a), first.size());
    try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.toString().endsWith(".part")), "no temporary file is left");
    }
  }

  @ParameterizedTest
  @CsvSource({"TAR,-a", "TAR_GZ,-z", "TAR_XZ,-J", "TAR_ZST,--zstd"})
  void hostTarReadsEachCompressionSortedNumericAndClamped(OutputFormat format, String flag)
      throws Exception {
    Path out = tmp.resolve("rootfs." + format.extension());
    RootfsTarball.write(root, out, format, EPOCH);

    String listing = run("tar", flag, "-tvf", out.toString(), "--numeric-owner", "--full-time");
    List<String> names = run("tar", flag, "-tf", out.toString()).lines().toList();
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(
        (x, y) ->
            java.util.Arrays.compareUnsigned(
                bytes(x.replaceFirst("/$", "")), bytes(y.replaceFirst("/$", ""))));
    assertEquals(sorted, names);
    assertTrue(names.contains("./" + LONG_NAME), names.toString());
    assertTrue(names.contains("./usr-local/é"), names.toString());
    assertTrue(listing.contains("./usr/bin/tool2 link to ./usr/bin/tool"), listing);
    assertTrue(listing.contains("./bin -> usr/bin"), listing);
    // Numeric owners as on disk: 0/0 when root made the tree, the test user's ids otherwise.
    Path tool = root.resolve("usr/bin/tool");
    String owner =
        Files.getAttribute(tool, "unix:uid") + "/" + Files.getAttribute(tool, "unix:gid");
    assertTrue(listing.contains("-rwsr-xr-x " + owner + " "), listing);
    if (Posix.isRoot()) {
      assertTrue(listing.contains("1234/2345"), listing);
    }

    Path extracted = Files.createDirectories(tmp.resolve("x"));
    run("tar", flag, "-xf", out.toString(), "-C", extracted.toString());
    assertEquals("long", Files.readString(extracted.resolve(LONG_NAME)));
  }

  @Test
  void zstdBytesDoNotDependOnTheNumberOfWorkers() throws Exception {
    // Larger than one zstd job, so several workers really split the work.
    byte[] data = new byte[48 << 20];
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + (random.nextInt(8) * random.nextInt(4)));
    }
    byte[] one = zstd(data, 1);
    assertArrayEquals(one, zstd(data, 2));
    assertArrayEquals(one, zstd(data, 5));
    assertArrayEquals(
        data,
        new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(one))
            .readAllBytes());
  }

  private static byte[] zstd(byte[] data, int workers) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream z = RootfsTarball.zstd(out, RootfsTarball.ZSTD_LEVEL, workers)) {
      for (int off = 0; off < data.length; off += 100_000) {
        z.write(data, off, Math.min(100_000, data.length - off));
      }
    }
    return out.toByteArray();
  }

  @Test
  void headersCarryNumbersOnlyAndClampedTimes() throws Exception {
    Path out = tmp.resolve("rootfs.tar");
    RootfsTarball.write(root, out, OutputFormat.TAR, EPOCH);
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(out))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        assertEquals("", e.getUserName(), e.getName());
        assertEquals("", e.getGroupName(), e.getName());
        long mtime = e.getLastModifiedTime().to(TimeUnit.SECONDS);
        assertEquals(e.getName().equals("./old") ? 1000 : EPOCH, mtime, e.getName());
      }
    }
  }

  @Test
  void failureLeavesNoPartFile() throws Exception {
    Path out = tmp.resolve("missing-dir/rootfs.tar");
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> RootfsTarball.write(root, out, OutputFormat.TAR, EPOCH));
    assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.toString().endsWith(".part")));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }

  @Test
  void aCancelledBuildsTarballStopsAndLeavesNoFile() throws Exception {
    Path out = tmp.resolve("cancelled.tar.zst");
    Thread.currentThread().interrupt(); // what a cancel does to the build thread
    io.imagebuilder.api.error.ImageBuildException e;
    try {
      e =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.imagebuilder.api.error.ImageBuildException.class,
              () -> RootfsTarball.write(root, out, OutputFormat.TAR_ZST, EPOCH));
    } finally {
      Thread.interrupted();
    }
    assertTrue(
        e.getCause() instanceof java.io.InterruptedIOException, String.valueOf(e.getCause()));
    try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().contains("cancelled.tar.zst")),
          "no tarball, no temporary");
    }
  }
}
