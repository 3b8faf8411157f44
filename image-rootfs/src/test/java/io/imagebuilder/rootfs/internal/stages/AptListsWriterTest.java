package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.rootfs.internal.deb.Posix;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.ProgressListener;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes apt's lists for repositories served on loopback (under a path with {@code _} and {@code
 * ~}, on a port) and inside the image, signed with keys the tests make.
 */
class AptListsWriterTest {
  private static final String PREFIX = "/repo_x/~me";
  private static final String KEY = "/etc/apt/keyrings/test.asc";

  private static ArchiveKey key;
  private static ArchiveKey stranger;

  @TempDir Path temp;
  private Path served;
  private Path root;
  private DirectoryServer server;

  @BeforeAll
  static void keys() {
    key = ArchiveKey.generate("test archive");
    stranger = ArchiveKey.generate("not the archive's key");
  }

  @BeforeEach
  void serveAndMakeAnImage() throws Exception {
    served = Files.createDirectories(temp.resolve("served"));
    server = DirectoryServer.serve(served, PREFIX);
    root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
    Files.createDirectories(root.resolve("var/lib/apt/lists/partial"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/bash\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n");
    RootfsFiles.write(root, KEY, key.armoredPublicKey(), 0644);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String uri() {
    return server.uri();
  }

  /** The list file name prefix of the served archive's suite bookworm. */
  private String listed() {
    return "127.0.0.1:" + server.port() + "_repo%5fx_%7eme_dists_bookworm_";
  }

  private TestRepository repo() {
    return new TestRepository(served, "stable", "bookworm")
        .add("main", "arm64", TestRepository.stanza("hello", "2.10-3", "arm64", "Depends: libc6"))
        .add("main", "arm64", TestRepository.stanza("libc6", "2.36-9", "arm64"))
        .add("main", "amd64", TestRepository.stanza("hello", "2.10-3", "amd64"))
        .add("main", "all", TestRepository.stanza("tzdata", "2024a-0", "all"))
        .add("contrib", "arm64", TestRepository.stanza("extra", "1.0", "arm64"));
  }

  private void sources(String extra) throws IOException {
    Files.writeString(
        root.resolve("etc/apt/sources.list.d/test.sources"),
        "Types: deb\nURIs: " + uri() + "\nSuites: bookworm\nComponents: main contrib\n" + extra);
  }

  private AptListsWriter writer(Clock clock) {
    return new AptListsWriter(
        root,
        "arm64",
        new RepositoryClient().withIndexCache(new IndexCache(temp.resolve("cache/indexes"))),
        clock);
  }

  private AptListsWriter.Written write() throws Exception {
    return writer(Clock.systemUTC()).write(ProgressListener.NONE);
  }

  private TreeSet<String> lists() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("var/lib/apt/lists"))) {
      return files
          .map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private byte[] list(String name) throws IOException {
    return Files.readAllBytes(root.resolve("var/lib/apt/lists").resolve(name));
  }

  private byte[] servedFile(String path) throws IOException {
    return Files.readAllBytes(served.resolve("dists/stable").resolve(path));
  }

  @Test
  void writesTheVerifiedReleaseAndThePlainIndexesUnderAptsNames() throws Exception {
    repo().write(key);
    sources("Signed-By: " + KEY + "\n");
    Files.writeString(root.resolve("var/lib/apt/lists/lock"), "");
    Files.writeString(
        root.resolve("var/lib/apt/lists/old.example_debian_dists_sid_InRelease"), "stale");

    AptListsWriter.Written written = write();

    assertEquals(
        new TreeSet<>(
            List.of(
                listed() + "InRelease",
                listed() + "main_binary-arm64_Packages",
                listed() + "main_binary-all_Packages",
                listed() + "contrib_binary-arm64_Packages",
                "auxfiles",
                "partial",
                "lock")),
        lists(),
        "amd64 is not the image's; contrib has no binary-all");
    assertEquals(new AptListsWriter.Written(1, 4, written.bytes()), written);
    assertArrayEquals(servedFile("InRelease"), list(listed() + "InRelease"));
    assertArrayEquals(
        servedFile("main/binary-arm64/Packages"), list(listed() + "main_binary-arm64_Packages"));
    assertArrayEquals(
        servedFile("main/binary-all/Packages"), list(listed() + "main_binary-all_Packages"));
    assertArrayEquals(
        servedFile("contrib/binary-arm64/Packages"),
        list(listed() + "contrib_binary-arm64_Packages"));
    assertTrue(
        server.requests().contains("dists/bookworm/main/binary-arm64/Packages.xz"),
        server.requests().toString());
    assertFalse(
        server.requests().contains("dists/bookworm/main/binary-arm64/Packages"),
        "xz is preferred: " + server.requests());
    Path lists = root.resolve("var/lib/apt/lists");
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(lists.resolve(listed() + "InRelease"))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(lists.resolve("partial"))));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(lists.resolve("auxfiles"))));
    if (Posix.isRoot()) {
      assertEquals(
          42, Files.getAttribute(lists.resolve("partial"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
      assertEquals(
          42, Files.getAttribute(lists.resolve("auxfiles"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
    try (Stream<Path> staged = Files.list(lists.resolve("partial"))) {
      assertEquals(0, staged.count(), "nothing is left in partial");
    }
  }

  @Test
  void binaryAllIsLeftOutWhenTheReleaseSaysItHasNoPackagesForIt() throws Exception {
    repo().releaseFields("No-Support-for-Architecture-all: Packages").write(key);
    sources("Signed-By: " + KEY + "\n");
    write();
    assertFalse(lists().contains(listed() + "main_binary-all_Packages"), lists().toString());
    assertTrue(lists().contains(listed() + "main_binary-arm64_Packages"), lists().toString());
  }

  @Test
  void theImagesForeignArchitecturesAndASourcesOwnLimitAreFollowed() throws Exception {
    repo().add("main", "armhf", TestRepository.stanza("hello", "2.10-3", "armhf")).write(key);
    sources("Signed-By: " + KEY + "\n");
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(root.resolve("var/lib/dpkg/arch"), "arm64\narmhf\n");
    write();
    assertTrue(lists().contains(listed() + "main_binary-armhf_Packages"), lists().toString());
    sources("Signed-By: " + KEY + "\nArchitectures: armhf\n");
    write();
    assertFalse(lists().contains(listed() + "main_binary-arm64_Packages"), lists().toString());
    assertTrue(lists().contains(listed() + "main_binary-armhf_Packages"), lists().toString());
  }

  @Test
  void indexesTheBootstrapReadAreNotFetchedAgain() throws Exception {
    repo().write(key);
    byte[] plain = servedFile("main/binary-arm64/Packages");
    IndexCache cache = new IndexCache(temp.resolve("cache/indexes"));
    new RepositoryClient()
        .withIndexCache(cache)
        .fetch(
            RepositorySource.signed(
                "debian",
                java.net.URI.create(uri()),
                "bookworm",
                List.of("main", "contrib"),
                "arm64",
                key.keyring("bootstrap")));
    server.requests().clear();
    sources("Signed-By: " + KEY + "\n");

    write();

    assertArrayEquals(plain, list(listed() + "main_binary-arm64_Packages"));
    assertEquals(
        List.of("dists/bookworm/InRelease", "dists/bookworm/main/binary-all/Packages.xz"),
        server.requests(),
        "only the InRelease and the index the bootstrap did not need");
  }

  @Test
  void aReleaseSignedByAnotherKeyIsAnErrorAndNothingIsWritten() throws Exception {
    repo().write(stranger);
    sources("Signed-By: " + KEY + "\n");
    Files.writeString(
        root.resolve("var/lib/apt/lists/old.example_debian_dists_sid_InRelease"), "stale");
    TreeSet<String> before = lists();

    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, this::write);
    assertEquals(RepositoryVerificationException.Reason.UNKNOWN_KEY, e.reason(), e.getMessage());

    assertTrue(
        e.getMessage()
            .startsWith(
                "InRelease of source '/etc/apt/sources.list.d/test.sources (stanza 1)'"
                    + " is not signed by any key in "
                    + KEY
                    + " (signed by key "
                    + stranger.fingerprint()),
        e.getMessage());
    before.addAll(List.of("auxfiles"));
    assertEquals(before, lists(), "nothing of the source is written");
  }

  @Test
  void anIndexThatDoesNotMatchTheReleaseIsAnError() throws Exception {
    repo().write(key);
    sources("Signed-By: " + KEY + "\n");
    Path xz = served.resolve("dists/stable/main/binary-arm64/Packages.xz");
    byte[] bytes = Files.readAllBytes(xz);
    bytes[bytes.length / 2] ^= 1;
    Files.write(xz, bytes);
    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, this::write);
    assertEquals(RepositoryVerificationException.Reason.HASH_MISMATCH, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "main/binary-arm64/Packages.xz of source '/etc/apt/sources.list.d/test.sources"
                    + " (stanza 1)' has SHA256 "),
        e.getMessage());
    assertFalse(lists().stream().anyMatch(n -> n.startsWith(listed())), lists().toString());
  }

  @Test
  void theUncompressedIndexMustHaveTheHashTheReleaseGivesIt() throws Exception {
    String release = repo().write(key);
    // A Release whose plain Packages entry names other contents than its (matching) .xz holds.
    String plainSha = TestRepository.sha256(servedFile("main/binary-arm64/Packages"));
    String other = "0".repeat(64);
    Files.write(
        served.resolve("dists/stable/InRelease"), key.clearsign(release.replace(plainSha, other)));
    sources("Signed-By: " + KEY + "\n");
    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, this::write);
    assertEquals(RepositoryVerificationException.Reason.HASH_MISMATCH, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "index main/binary-arm64/Packages of /etc/apt/sources.list.d/test.sources"
                    + " (stanza 1) (from main/binary-arm64/Packages.xz) has "),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "the Release says "
                    + servedFile("main/binary-arm64/Packages").length
                    + " bytes and "
                    + other),
        e.getMessage());
  }

  @Test
  void anExplicitlyTrustedUnsignedSourceGetsItsPlainRelease() throws Exception {
    repo().write(null);
    sources("Trusted: yes\n");
    write();
    assertArrayEquals(servedFile("Release"), list(listed() + "Release"));
    assertTrue(lists().contains(listed() + "main_binary-arm64_Packages"), lists().toString());
    Files.delete(root.resolve("etc/apt/sources.list.d/test.sources"));
    sources("Signed-By: " + KEY + "\n");
    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, this::write);
    assertEquals(RepositoryVerificationException.Reason.NOT_SIGNED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
  }

  @Test
  void anUncompressedIndexOfAFileArchiveIsLinkedAsAptLinksIt() throws Exception {
    Path deb = Debs.build(temp, "tool", "1.0", "arm64", Map.of("/usr/bin/tool", "#!/bin/sh\n"));
    LocalRepository.write(
        root.resolve(LocalRepositoryStage.DIR.substring(1)),
        List.of(deb),
        "arm64",
        key,
        Instant.ofEpochSecond(1_700_000_000L));
    Files.writeString(
        root.resolve("etc/apt/sources.list.d/imagebuilder-local.sources"),
        new Deb822Source(
                "imagebuilder-local",
                "file:" + LocalRepositoryStage.DIR,
                List.of(LocalRepository.SUITE),
                List.of(LocalRepository.COMPONENT),
                KEY)
            .render());
    write();
    String listed = "_var_lib_imagebuilder_local-repository_dists_local_";
    assertEquals(
        new TreeSet<>(
            List.of(
                listed + "InRelease",
                listed + "main_binary-arm64_Packages",
                "auxfiles",
                "partial")),
        lists());
    Path lists = root.resolve("var/lib/apt/lists");
    assertEquals(
        Path.of("/var/lib/imagebuilder/local-repository/dists/local/main/binary-arm64/Packages"),
        Files.readSymbolicLink(lists.resolve(listed + "main_binary-arm64_Packages")),
        "a link as the image sees it");
    assertArrayEquals(
        Files.readAllBytes(
            root.resolve("var/lib/imagebuilder/local-repository/dists/local/InRelease")),
        list(listed + "InRelease"));

    Path packages =
        root.resolve(
            "var/lib/imagebuilder/local-repository/dists/local/main/binary-arm64/Packages");
    Files.writeString(packages, Files.readString(packages).replace("tool", "t00l"));
    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, this::write);
    assertEquals(RepositoryVerificationException.Reason.HASH_MISMATCH, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "index /var/lib/imagebuilder/local-repository/dists/local/main/binary-arm64/Packages"
                    + " of /etc/apt/sources.list.d/imagebuilder-local.sources (stanza 1) has "),
        e.getMessage());
  }

  @Test
  void whatTheWriterCannotDoAsAptWouldIsLeftToApt() throws Exception {
    assertEquals(
        "the image has no apt sources",
        assertThrows(AptListsWriter.Unsupported.class, this::write).getMessage());

    repo().compressions(".xz").write(key);
    sources("Signed-By: " + KEY + "\n");
    assertEquals(
        "the Release of /etc/apt/sources.list.d/test.sources (stanza 1) lists main/binary-arm64/Packages only"
            + " compressed",
        assertThrows(AptListsWriter.Unsupported.class, this::write).getMessage());

    repo().write(key);
    server.failWith(503);
    AptListsWriter.Unsupported unreachable =
        assertThrows(AptListsWriter.Unsupported.class, this::write);
    assertTrue(
        unreachable
            .getMessage()
            .endsWith(
                "dists/bookworm/InRelease of source "
                    + "'/etc/apt/sources.list.d/test.sources (stanza 1)' answered HTTP 503"),
        unreachable.getMessage());
    server.failWith(0);

    AptListsWriter.Unsupported future =
        assertThrows(
            AptListsWriter.Unsupported.class,
            () ->
                writer(Clock.fixed(Instant.parse("2023-06-10T08:00:00Z"), ZoneOffset.UTC))
                    .write(ProgressListener.NONE));
    assertEquals(
        "the Release of /etc/apt/sources.list.d/test.sources (stanza 1) is dated in the future"
            + " (2023-06-10T08:54:40Z)",
        future.getMessage());

    Files.writeString(
        root.resolve("etc/apt/sources.list"),
        "deb [signed-by=" + KEY + "] " + uri() + "/a%20b bookworm main\n");
    assertTrue(
        assertThrows(AptListsWriter.Unsupported.class, this::write)
            .getMessage()
            .startsWith(
                "/etc/apt/sources.list:1 has URI '"
                    + uri()
                    + "/a b/', which Java does not read: "));
    Files.delete(root.resolve("etc/apt/sources.list"));

    Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
    Files.writeString(
        root.resolve("etc/apt/apt.conf.d/99lists"), "Dir { State { lists \"/srv/lists\"; }; };\n");
    assertEquals(
        "/etc/apt/apt.conf.d/99lists has an apt setting with 'Dir'",
        assertThrows(AptListsWriter.Unsupported.class, this::write).getMessage());
    Files.writeString(
        root.resolve("etc/apt/apt.conf.d/99lists"),
        "APT::Update::Post-Invoke { \"touch /x\"; };\n");
    assertEquals(
        "/etc/apt/apt.conf.d/99lists has an apt setting with 'Update'",
        assertThrows(AptListsWriter.Unsupported.class, this::write).getMessage());
    Files.delete(root.resolve("etc/apt/apt.conf.d/99lists"));

    Files.writeString(
        root.resolve("etc/apt/sources.list.d/test.sources"),
        Files.readString(root.resolve("etc/apt/sources.list.d/test.sources"))
            .replace(KEY, "/etc/apt/keyrings/missing.gpg"));
    assertEquals(
        "the key file /etc/apt/keyrings/missing.gpg of /etc/apt/sources.list.d/test.sources (stanza 1) is"
            + " not in the image",
        assertThrows(AptListsWriter.Unsupported.class, this::write).getMessage());
    assertFalse(lists().stream().anyMatch(n -> n.startsWith(listed())), lists().toString());
  }

  @Test
  void aKeyFileLinkedElsewhereIsReadInsideTheImage() throws Exception {
    repo().write(key);
    Files.createDirectories(root.resolve("usr/share/keyrings"));
    Files.write(root.resolve("usr/share/keyrings/test.gpg"), key.binaryPublicKey());
    Files.createSymbolicLink(
        root.resolve("etc/apt/keyrings/linked.gpg"), Path.of("/usr/share/keyrings/test.gpg"));
    sources("Signed-By: /etc/apt/keyrings/linked.gpg\n");
    write();
    assertArrayEquals(servedFile("InRelease"), list(listed() + "InRelease"));
  }
}
