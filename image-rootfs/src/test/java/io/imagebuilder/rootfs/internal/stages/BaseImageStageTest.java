package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.tar.RootfsTarball;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImageStageTest {
  @TempDir Path temp;

  private static ImageSpec spec(Path base) {
    return ImageSpec.builder("bookworm")
        .architecture(Architecture.AMD64)
        .baseImage(base.toString())
        .build();
  }

  /** A base image of a tiny amd64 "system" (a dpkg status) with {@code marker} in /etc/marker. */
  private Path base(String name, String marker, OutputFormat format) throws Exception {
    Path tree = Files.createDirectories(temp.resolve("tree-" + name));
    BaseImageSystemTest.writeSystem(tree, "amd64");
    Files.createDirectories(tree.resolve("etc"));
    Files.writeString(tree.resolve("etc/marker"), marker);
    Path dir = Files.createDirectories(temp.resolve(name));
    return RootfsTarball.write(
            tree, dir.resolve("base." + format.extension()), format, 1_700_000_000L)
        .file();
  }

  private static String firstId(ImageSpec spec) {
    return Plan.of(List.of(new BaseImageStage(BaseImageStage.Options.of(spec)))).id();
  }

  @Test
  void theSameBaseBytesGiveTheSameOptionsAndIdsWhereverTheFileIs() throws Exception {
    Path a = base("a", "one", OutputFormat.TAR_ZST);
    Path b =
        Files.copy(
            a, Files.createDirectories(temp.resolve("elsewhere")).resolve("renamed.tar.zst"));

    assertEquals(
        new BaseImageStage(BaseImageStage.Options.of(spec(a))).options(),
        new BaseImageStage(BaseImageStage.Options.of(spec(b))).options());
    assertEquals(firstId(spec(a)), firstId(spec(b)));
    assertEquals(
        BaseImageStage.sha256Of(a, "a"),
        new BaseImageStage(BaseImageStage.Options.of(spec(a))).options().get("sha256"));
    assertFalse(
        new BaseImageStage(BaseImageStage.Options.of(spec(a)))
            .options()
            .toString()
            .contains(temp.toString()),
        "no path in the options");
  }

  @Test
  void otherBaseBytesGiveOtherIds() throws Exception {
    Path one = base("one", "one", OutputFormat.TAR_ZST);
    Path two = base("two", "two", OutputFormat.TAR_ZST);

    assertNotEquals(firstId(spec(one)), firstId(spec(two)));
  }

  @Test
  void aMissingBaseImageIsACallerMistakeNamingIt() {
    Path missing = temp.resolve("nowhere/base.tar.zst");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BaseImageStage(BaseImageStage.Options.of(spec(missing))));
    assertEquals(
        "invalid base image '"
            + missing
            + "' (no such file; expected a rootfs tarball: tar, tar.gz,"
            + " tar.xz or tar.zst)",
        e.getMessage());
  }

  @Test
  void aUrlIsNamedByTheSha256ItGivesElseByTheUrl() {
    String sha = "a".repeat(64);
    ImageSpec pinned =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .baseImage("https://example.org/base.tar.zst#sha256=" + sha)
            .build();
    assertEquals(
        sha, new BaseImageStage(BaseImageStage.Options.of(pinned)).options().get("sha256"));
    ImageSpec loose =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .baseImage("https://example.org/base.tar.zst")
            .build();
    assertEquals(
        "https://example.org/base.tar.zst",
        new BaseImageStage(BaseImageStage.Options.of(loose)).options().get("url"));
    ImageSpec ftp =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .baseImage("ftp://example.org/base.tar.zst")
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BaseImageStage(BaseImageStage.Options.of(ftp)));
    assertTrue(
        e.getMessage()
            .startsWith(
                "invalid base image 'ftp://example.org/base.tar.zst' (a URL other than http(s);"),
        e.getMessage());
  }

  /** A lock made from a base image pins its bytes: other bytes fail when planned, naming both. */
  @Test
  void aLockPinsTheBaseImageItWasMadeFrom() throws Exception {
    Path one = base("one", "one", OutputFormat.TAR_ZST);
    Path two = base("two", "two", OutputFormat.TAR_ZST);
    String sha = BaseImageStage.sha256Of(one, "one");
    Lock lock = Lock.of(List.of(), List.of(), null, sha);

    ImageSpec same = spec(one).toBuilder().lock(lock).build();
    assertEquals(sha, new BaseImageStage(BaseImageStage.Options.of(same)).options().get("sha256"));

    ImageSpec other = spec(two).toBuilder().lock(lock).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BaseImageStage.Options.of(other));
    assertEquals(
        "invalid base image '"
            + two
            + "' (sha256 "
            + BaseImageStage.sha256Of(two, "two")
            + "; expected "
            + sha
            + ", the base image the lock was made from)",
        e.getMessage());

    // A URL given without a hash: the lock's hash names the bytes, and the download must have it.
    ImageSpec url =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .baseImage("https://example.org/base.tar.zst")
            .lock(lock)
            .build();
    BaseImageStage.Options options = BaseImageStage.Options.of(url);
    assertEquals(sha, options.sha256());
    assertEquals(null, options.url());
  }

  @Test
  void aBaseImageUrlIsDownloadedCheckedAndUnpacked() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("arm64-tree"));
    BaseImageSystemTest.writeSystem(tree, "arm64");
    Path base =
        RootfsTarball.write(tree, temp.resolve("arm64.tar.zst"), OutputFormat.TAR_ZST, 0).file();
    byte[] bytes = Files.readAllBytes(base);
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/base.tar.zst",
        x -> {
          x.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/base.tar.zst";
      String sha = BaseImageStage.sha256Of(base, "base");
      ImageSpec spec =
          ImageSpec.builder("bookworm")
              .architecture(Architecture.AMD64)
              .baseImage(url + "#sha256=" + sha)
              .build();
      Path root = Files.createDirectories(temp.resolve("root"));
      // Downloaded, verified and unpacked: the check of the system inside is what stops it.
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new BaseImageStage(BaseImageStage.Options.of(spec))
                      .run(new TestStageContext(spec, root, temp)));
      assertTrue(e.getMessage().contains("holds a system for arm64"), e.getMessage());
      assertTrue(
          Files.isRegularFile(temp.resolve("cache/base-images/" + sha)),
          "kept in the cache under its sha256");

      String other = "b".repeat(64);
      ImageSpec wrong =
          ImageSpec.builder("bookworm")
              .architecture(Architecture.AMD64)
              .baseImage(url + "#sha256=" + other)
              .build();
      Path root2 = Files.createDirectories(temp.resolve("root2"));
      ImageBuildException mismatch =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new BaseImageStage(BaseImageStage.Options.of(wrong))
                      .run(new TestStageContext(wrong, root2, temp)));
      assertEquals(
          "base image "
              + url
              + " has sha256 "
              + sha
              + " (expected "
              + other
              + ", as the request or the lock gives)",
          mismatch.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFileThatIsNoTarballIsRefusedWhenPlanned() throws Exception {
    Path text = Files.writeString(temp.resolve("base.tar"), "hello");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BaseImageStage(BaseImageStage.Options.of(spec(text))));
    assertTrue(e.getMessage().contains("is not a rootfs tarball"), e.getMessage());
  }

  @Test
  void unpacksEveryFormatChecksTheSystemAndDropsTheBasesEmbeddedManifest() throws Exception {
    for (OutputFormat format :
        List.of(OutputFormat.TAR, OutputFormat.TAR_GZ, OutputFormat.TAR_XZ, OutputFormat.TAR_ZST)) {
      Path tree = Files.createDirectories(temp.resolve("tree-" + format.name()));
      BaseImageSystemTest.writeSystem(tree, "amd64");
      Files.createDirectories(tree.resolve("usr/share/imagebuilder"));
      Files.writeString(
          tree.resolve("usr/share/imagebuilder/manifest.json"),
          "{\"specHash\":\"" + "c".repeat(64) + "\"}");
      Path base =
          RootfsTarball.write(tree, temp.resolve("base-" + format.name()), format, 0).file();
      Path root = Files.createDirectories(temp.resolve("root-" + format.name()));
      BaseImageStage stage = new BaseImageStage(BaseImageStage.Options.of(spec(base)));

      BaseImageSystem system = stage.unpack(new TestStageContext(spec(base), root, temp), "base");

      assertEquals("amd64", system.architecture(), format.toString());
      assertEquals("c".repeat(64), system.embedded().orElseThrow().specHash());
      assertTrue(Files.isRegularFile(root.resolve("var/lib/dpkg/status")));
      assertFalse(
          Files.exists(root.resolve("usr/share/imagebuilder/manifest.json")),
          "the base's manifest is gone");
    }
  }

  @Test
  void aBaseOfAnotherArchitectureFailsNamingBothBeforeAnyDownload() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("arm64-tree"));
    BaseImageSystemTest.writeSystem(tree, "arm64");
    Path base =
        RootfsTarball.write(tree, temp.resolve("arm64.tar.zst"), OutputFormat.TAR_ZST, 0).file();
    Path root = Files.createDirectories(temp.resolve("root"));

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                new BaseImageStage(BaseImageStage.Options.of(spec(base)))
                    .run(new TestStageContext(spec(base), root, temp)));
    assertTrue(
        e.getMessage().startsWith("base image '" + base + "' holds a system for arm64"),
        e.getMessage());
    assertTrue(e.getMessage().contains("but the spec builds for amd64"), e.getMessage());
  }

  @Test
  void anEntryClimbingOutOfTheRootfsIsRefusedAndNothingLandsOutside() throws Exception {
    Path base = temp.resolve("evil.tar");
    try (OutputStream file = Files.newOutputStream(base);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
      byte[] body = "owned\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry dir = new TarArchiveEntry("./etc/", true);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      TarArchiveEntry evil = new TarArchiveEntry("./etc/../../escaped", true);
      evil.setSize(body.length);
      tar.putArchiveEntry(evil);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    Path root = Files.createDirectories(temp.resolve("jail/root"));

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                new BaseImageStage(BaseImageStage.Options.of(spec(base)))
                    .run(new TestStageContext(spec(base), root, temp)));
    assertTrue(e.getMessage().contains("escaped"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("jail/escaped")));
    assertFalse(Files.exists(temp.resolve("escaped")));
  }

  @Test
  void aBaseThatChangedAfterPlanningFails() throws Exception {
    Path base = base("changing", "before", OutputFormat.TAR);
    BaseImageStage stage = new BaseImageStage(BaseImageStage.Options.of(spec(base)));
    Files.copy(
        base("other", "after", OutputFormat.TAR),
        base,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path root = Files.createDirectories(temp.resolve("root"));

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> stage.run(new TestStageContext(spec(base), root, temp)));
    assertTrue(e.getMessage().contains("changed since the build was planned"), e.getMessage());
  }

  /** A "bomb": 20 files of 1 MiB of zeros, a few KiB compressed. */
  private Path bomb() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("bomb-tree"));
    BaseImageSystemTest.writeSystem(tree, "amd64");
    Path big = Files.createDirectories(tree.resolve("big"));
    for (int i = 0; i < 20; i++) {
      Files.write(big.resolve("zeros" + i), new byte[1 << 20]);
    }
    return RootfsTarball.write(tree, temp.resolve("bomb.tar.zst"), OutputFormat.TAR_ZST, 0).file();
  }

  private ImageBuildException unpackWith(Path base, String property, String value)
      throws Exception {
    Path root = Files.createDirectories(temp.resolve("root-" + property));
    BaseImageStage stage = new BaseImageStage(BaseImageStage.Options.of(spec(base)));
    System.setProperty(property, value);
    try {
      return assertThrows(
          ImageBuildException.class,
          () ->
              stage.unpack(
                  new TestStageContext(spec(base), root, temp), "base image '" + base + "'"));
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void aBaseThatUnpacksToMoreThanTheByteCapFailsNamingItAndTheCap() throws Exception {
    Path base = bomb();
    ImageBuildException e = unpackWith(base, "imagebuilder.baseImage.maxBytes", "8M");
    assertTrue(
        e.getMessage()
            .startsWith(
                "base image '"
                    + base
                    + "' unpacks to more than 8 MiB (the cap on unpacked bytes, "
                    + "passed at entry './big/zeros"),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("; raise it with -Dimagebuilder.baseImage.maxBytes)"),
        e.getMessage());
  }

  @Test
  void aBaseWithMoreEntriesThanTheCapFailsNamingItAndTheCap() throws Exception {
    Path base = bomb();
    ImageBuildException e = unpackWith(base, "imagebuilder.baseImage.maxEntries", "10");
    assertEquals(
        "base image '"
            + base
            + "' has more than 10 entries (the cap on entries; raise it with "
            + "-Dimagebuilder.baseImage.maxEntries)",
        e.getMessage());
  }

  @Test
  void theDefaultCapsFitRealSystemsAndBadCapsAreNamed() throws Exception {
    assertEquals(
        new io.imagebuilder.rootfs.internal.deb.UnpackLimits(64L << 30, 4_000_000L),
        io.imagebuilder.rootfs.internal.deb.UnpackLimits.forBaseImages());
    ImageBuildException e = unpackWith(bomb(), "imagebuilder.baseImage.maxBytes", "lots");
    assertEquals(
        "invalid cap on bytes 'lots' (expected a positive number, optionally with K, M, G or T) from "
            + "-Dimagebuilder.baseImage.maxBytes",
        e.getMessage());
  }
}
