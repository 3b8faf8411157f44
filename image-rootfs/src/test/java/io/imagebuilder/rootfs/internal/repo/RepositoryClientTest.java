package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.testing.StallingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryClientTest {

  private static ArchiveKey key;
  private static ArchiveKey stranger;

  @TempDir Path root;

  @BeforeAll
  static void keys() {
    key = ArchiveKey.generate("Local Repo <repo@example.org>");
    stranger = ArchiveKey.generate("Stranger <x@example.org>");
  }

  private TestRepository repo() {
    return new TestRepository(root, "stable", "bookworm")
        .add(
            "main",
            "amd64",
            TestRepository.stanza("hello", "2.10-3", "amd64", "Depends: libc6 (>= 2.34)"))
        .add(
            "main",
            "amd64",
            TestRepository.stanza("libc6", "2.36-9", "amd64", "Priority: optional"))
        .add(
            "main",
            "amd64",
            TestRepository.stanza("tzdata", "2024a-0", "all", "Priority: required"))
        .add("main", "arm64", TestRepository.stanza("hello", "2.10-3", "arm64"))
        .add("contrib", "amd64", TestRepository.stanza("extra", "1.0", "amd64"));
  }

  private RepositorySource source(String suite, List<String> components, Keyring keyring) {
    return RepositorySource.signed("local", root.toUri(), suite, components, "amd64", keyring);
  }

  private static RepositoryClient client(Instant now) {
    return new RepositoryClient(
        HttpClient.newHttpClient(), Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(10));
  }

  @Test
  void aMirrorThatStallsOrNeverAnswersFailsWithinTheLimitNamingTheUrl() throws Exception {
    RepositoryClient client =
        new RepositoryClient(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(1));
    for (StallingServer.Stall stall : StallingServer.Stall.values()) {
      try (StallingServer server = new StallingServer(stall)) {
        URI mirror = server.uri("debian");
        long start = System.nanoTime();
        RepositoryFetchException e =
            assertThrows(
                RepositoryFetchException.class,
                () ->
                    client.fetch(
                        RepositorySource.unsigned(
                            "stalled", mirror, "bookworm", List.of("main"), "amd64")));
        long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(
            e.getMessage()
                .startsWith(
                    "cannot fetch " + mirror + "/dists/bookworm/InRelease of source 'stalled': "),
            e.getMessage());
        String why =
            stall == StallingServer.Stall.AFTER_HEADERS
                ? "no data from " + mirror + "/dists/bookworm/InRelease for 1 s"
                : "no answer from " + mirror + "/dists/bookworm/InRelease within 1 s";
        assertEquals(
            "cannot fetch "
                + mirror
                + "/dists/bookworm/InRelease of source 'stalled': "
                + why
                + " (the limit of silence, set by -Dimagebuilder.http.stallTimeout)",
            e.getMessage());
        assertTrue(millis < 3000, stall + ": " + millis + " ms");
      }
    }
  }

  @Test
  void readsAVerifiedFileRepository() throws Exception {
    repo().write(key);
    List<String> labels = Collections.synchronizedList(new ArrayList<>());
    Repository r =
        new RepositoryClient()
            .fetch(
                source("bookworm", List.of("main", "contrib"), key.keyring("key.asc")),
                (label, done, total) -> labels.add(label));
    assertEquals(
        List.of("hello", "libc6", "tzdata", "extra"),
        r.packages().stream().map(PackageRecord::name).toList());
    assertEquals("local", r.packages().get(0).repository());
    assertEquals(key.fingerprint(), r.signedBy());
    assertEquals(Instant.parse("2023-06-10T08:54:40Z"), r.date());
    assertEquals(
        TestRepository.sha256(Files.readAllBytes(root.resolve("dists/stable/InRelease"))),
        r.inReleaseSha256());
    assertEquals("bookworm", r.release().codename().orElseThrow());
    assertTrue(labels.contains("local main/binary-amd64/Packages.xz"), labels.toString());
  }

  @Test
  void aCachedIndexIsUsedOnlyForTheSha256TheVerifiedReleaseLists() throws Exception {
    repo().write(key);
    IndexCache cache = new IndexCache(root.resolve("cache"));
    RepositorySource source = source("stable", List.of("main"), key.keyring("k"));
    List<String> first =
        new RepositoryClient()
            .withIndexCache(cache).fetch(source).packages().stream()
                .map(PackageRecord::toString)
                .toList();
    // The index files are gone: only the cache can answer, and it must answer the same.
    Files.walk(root.resolve("dists/stable/main"))
        .filter(p -> p.getFileName().toString().startsWith("Packages"))
        .forEach(p -> p.toFile().delete());
    List<String> second =
        new RepositoryClient()
            .withIndexCache(cache).fetch(source).packages().stream()
                .map(PackageRecord::toString)
                .toList();
    assertEquals(first, second);
    // A new Release lists a new index: the cache is not used for it.
    repo().add("main", "amd64", TestRepository.stanza("newer", "1.0", "amd64")).write(key);
    assertTrue(
        new RepositoryClient()
            .withIndexCache(cache).fetch(source).packages().stream()
                .anyMatch(p -> p.name().equals("newer")));
    // And the InRelease is still verified every time.
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient()
                    .withIndexCache(cache)
                    .fetch(source("stable", List.of("main"), stranger.keyring("s"))));
    assertEquals(RepositoryVerificationException.Reason.UNKNOWN_KEY, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("InRelease"), e.getMessage());
  }

  @Test
  void fallsBackToGzipThenPlainIndexes() throws Exception {
    repo().compressions("", ".gz").write(key);
    Repository gz =
        new RepositoryClient()
            .fetch(source("stable", List.of("main"), key.keyring("k")), ProgressListener.NONE);
    assertEquals(3, gz.packages().size());
    Files.walk(root).filter(p -> p.toString().endsWith(".gz")).forEach(p -> p.toFile().delete());
    repo().compressions("").write(key);
    assertEquals(
        3,
        new RepositoryClient()
            .fetch(source("stable", List.of("main"), key.keyring("k")))
            .packages()
            .size());
  }

  @Test
  void fallsBackToReleaseGpgWhenThereIsNoInRelease() throws Exception {
    TestRepository repo = repo();
    repo.write(key);
    Files.delete(repo.dists().resolve("InRelease"));
    Repository r =
        new RepositoryClient().fetch(source("bookworm", List.of("main"), key.keyring("k")));
    assertEquals(key.fingerprint(), r.signedBy());
    assertEquals(
        TestRepository.sha256(Files.readAllBytes(repo.dists().resolve("Release"))),
        r.inReleaseSha256());
    Files.delete(repo.dists().resolve("Release.gpg"));
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient()
                    .fetch(source("bookworm", List.of("main"), key.keyring("k"))));
    assertEquals(RepositoryVerificationException.Reason.NOT_SIGNED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
  }

  @Test
  void rejectsARepositorySignedByAnotherKey() throws Exception {
    repo().write(stranger);
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient()
                    .fetch(source("bookworm", List.of("main"), key.keyring("/keys/local.asc"))));
    assertEquals(RepositoryVerificationException.Reason.UNKNOWN_KEY, e.reason(), e.getMessage());
    assertEquals(
        "InRelease of source 'local' is not signed by any key in /keys/local.asc (signed by key "
            + stranger.fingerprint()
            + ", keyring has "
            + key.fingerprint()
            + ")",
        e.getMessage());
  }

  @Test
  void rejectsAnIndexWhoseHashDoesNotMatchNamingTheFile() throws Exception {
    TestRepository repo = repo();
    repo.write(key);
    Path xz = repo.dists().resolve("main/binary-amd64/Packages.xz");
    byte[] bytes = Files.readAllBytes(xz);
    bytes[bytes.length / 2] ^= 1;
    Files.write(xz, bytes);
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient()
                    .fetch(source("bookworm", List.of("main"), key.keyring("k"))));
    assertEquals(RepositoryVerificationException.Reason.HASH_MISMATCH, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "index "
                    + root.toUri()
                    + "dists/bookworm/main/binary-amd64/Packages.xz"
                    + " of source 'local' has SHA256 "),
        e.getMessage());
    assertTrue(e.getMessage().contains("the Release says"), e.getMessage());
  }

  @Test
  void rejectsAnIndexOfTheWrongSize() throws Exception {
    TestRepository repo = repo();
    repo.write(key);
    Path xz = repo.dists().resolve("main/binary-amd64/Packages.xz");
    Files.write(xz, new byte[] {1, 2, 3});
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient()
                    .fetch(source("bookworm", List.of("main"), key.keyring("k"))));
    assertEquals(RepositoryVerificationException.Reason.HASH_MISMATCH, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage().contains("Packages.xz of source 'local' has 3 bytes, the Release says"),
        e.getMessage());
  }

  @Test
  void rejectsTheWrongSuiteAndAnExpiredRelease() throws Exception {
    repo().releaseFields("Valid-Until: Sat, 17 Jun 2023 08:54:40 UTC").write(key);
    ImageBuildException suite =
        assertThrows(
            ImageBuildException.class,
            () ->
                new RepositoryClient().fetch(source("trixie", List.of("main"), key.keyring("k"))));
    assertTrue(
        suite.getMessage().contains("does not exist")
            || suite.getMessage().contains("not for suite"),
        suite.getMessage());
    RepositoryVerificationException expired =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                client(Instant.parse("2024-01-01T00:00:00Z"))
                    .fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertEquals(
        RepositoryVerificationException.Reason.EXPIRED, expired.reason(), expired.getMessage());
    assertTrue(expired.getMessage().contains("has expired"), expired.getMessage());
    Repository ok =
        client(Instant.parse("2024-01-01T00:00:00Z"))
            .fetch(source("stable", List.of("main"), key.keyring("k")).withIgnoreValidUntil(true));
    assertEquals(3, ok.packages().size());
  }

  @Test
  void aReleaseDatedAYearAheadIsRefusedAsAptRefusesIt() throws Exception {
    repo().write(key);
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                client(Instant.parse("2022-05-06T08:54:40Z"))
                    .fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertEquals(RepositoryVerificationException.Reason.NOT_YET_VALID, e.reason(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Release of source 'local' is not valid yet: Date Sat, 10 Jun 2023 08:54:40 UTC"
                    + " is 400 days after now"),
        e.getMessage());
  }

  private static com.sun.net.httpserver.HttpServer server(
      com.sun.net.httpserver.HttpHandler handler) throws Exception {
    com.sun.net.httpserver.HttpServer s =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", handler);
    s.start();
    return s;
  }

  private static RepositorySource http(String uri) {
    return RepositorySource.unsigned(
        "mirror", java.net.URI.create(uri), "stable", List.of("main"), "amd64");
  }

  @Test
  void aRefusedPortIsNamedWithItsCauseAndNoPassword() throws Exception {
    int port;
    try (java.net.ServerSocket closed =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    RepositoryException e =
        assertThrows(
            RepositoryException.class,
            () ->
                client(Instant.now())
                    .fetch(http("http://ci:s3cret@127.0.0.1:" + port + "/debian")));
    assertEquals(
        "cannot fetch http://ci:***@127.0.0.1:"
            + port
            + "/debian/dists/stable/InRelease of source 'mirror':"
            + " cannot connect to 127.0.0.1:"
            + port
            + ": refused or unreachable (java.net.ConnectException",
        e.getMessage()
            .substring(
                0, e.getMessage().indexOf("ConnectException") + "ConnectException".length()));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void aRedirectLoopNamesTheLocation() throws Exception {
    com.sun.net.httpserver.HttpServer s =
        server(
            x -> {
              x.getResponseHeaders()
                  .add("Location", "/loop/" + x.getRequestURI().getPath().length());
              x.sendResponseHeaders(302, -1);
              x.close();
            });
    try {
      String base = "http://127.0.0.1:" + s.getAddress().getPort();
      RepositoryClient following =
          new RepositoryClient(Http.newClient(), Clock.systemUTC(), Duration.ofSeconds(10));
      RepositoryException e =
          assertThrows(RepositoryException.class, () -> following.fetch(http(base + "/debian")));
      assertTrue(
          e.getMessage()
              .startsWith(
                  base
                      + "/debian/dists/stable/InRelease of source 'mirror' answered HTTP 302 from "
                      + base
                      + "/loop/"),
          e.getMessage());
      assertTrue(e.getMessage().contains(" redirecting to Location: /loop/"), e.getMessage());
      assertTrue(
          e.getMessage().endsWith("(not followed: a redirect loop or too many redirects)"),
          e.getMessage());
    } finally {
      s.stop(0);
    }
  }

  @Test
  void rejectsAMissingComponent() throws Exception {
    repo().write(key);
    RepositoryException e =
        assertThrows(
            RepositoryException.class,
            () ->
                new RepositoryClient()
                    .fetch(source("stable", List.of("non-free"), key.keyring("k"))));
    assertTrue(e.getMessage().contains("no component 'non-free'"), e.getMessage());
  }

  @Test
  void readsAnUnsignedSourceOnlyWhenAllowed() throws Exception {
    repo().write(null);
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient().fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertEquals(RepositoryVerificationException.Reason.NOT_SIGNED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
    Repository r =
        new RepositoryClient()
            .fetch(
                RepositorySource.unsigned(
                    "side", root.toUri(), "stable", List.of("main"), "amd64"));
    assertEquals(3, r.packages().size());
    assertNull(r.signedBy());
  }

  @Test
  void aMissingRepositoryIsReportedWithItsUrl() {
    RepositoryException e =
        assertThrows(
            RepositoryException.class,
            () ->
                new RepositoryClient().fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertTrue(e.getMessage().contains(root.toUri() + "dists/stable/Release"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void theReleaseIsKeptAsServed() throws Exception {
    TestRepository repo = repo();
    repo.write(key);
    SignedRelease in =
        new RepositoryClient()
            .fetchRelease(
                source("bookworm", List.of("main"), key.keyring("k")), ProgressListener.NONE);
    assertEquals("InRelease", in.fileName());
    assertArrayEquals(Files.readAllBytes(repo.dists().resolve("InRelease")), in.bytes());
    assertNull(in.detachedSignature());
    assertEquals(key.fingerprint(), in.signedBy());
    Files.delete(repo.dists().resolve("InRelease"));
    SignedRelease detached =
        new RepositoryClient()
            .fetchRelease(
                source("bookworm", List.of("main"), key.keyring("k")), ProgressListener.NONE);
    assertEquals("Release", detached.fileName());
    assertArrayEquals(Files.readAllBytes(repo.dists().resolve("Release")), detached.bytes());
    assertArrayEquals(
        Files.readAllBytes(repo.dists().resolve("Release.gpg")), detached.detachedSignature());
  }

  @Test
  void anUnsignedSourceBringsItsReleaseGpgUnchecked() throws Exception {
    TestRepository repo = repo();
    repo.write(stranger);
    Files.delete(repo.dists().resolve("InRelease"));
    SignedRelease r =
        new RepositoryClient()
            .fetchRelease(
                RepositorySource.unsigned("side", root.toUri(), "stable", List.of("main"), "amd64"),
                ProgressListener.NONE);
    assertEquals("Release", r.fileName());
    assertNull(r.signedBy());
    assertArrayEquals(
        Files.readAllBytes(repo.dists().resolve("Release.gpg")), r.detachedSignature());
  }

  @Test
  void indexFilesAreKeptSoTheyAreReadOnce() throws Exception {
    TestRepository repo = repo();
    repo.write(key);
    byte[] xz = Files.readAllBytes(repo.dists().resolve("main/binary-amd64/Packages.xz"));
    IndexCache cache = new IndexCache(root.resolve("cache"));
    RepositorySource source = source("stable", List.of("main"), key.keyring("k"));
    new RepositoryClient().withIndexCache(cache).fetch(source);
    Files.delete(repo.dists().resolve("main/binary-amd64/Packages.xz"));
    RepositoryClient client = new RepositoryClient().withIndexCache(cache);
    ReleaseFile release = client.fetchRelease(source, ProgressListener.NONE).release();
    ReleaseFile.IndexEntry entry = release.download("main/binary-amd64/Packages").orElseThrow();
    assertArrayEquals(xz, client.fetchIndex(source, release, entry, ProgressListener.NONE));
    RepositoryFetchException gone =
        assertThrows(
            RepositoryFetchException.class,
            () -> new RepositoryClient().fetchIndex(source, release, entry, ProgressListener.NONE));
    assertTrue(
        gone.getMessage().contains("Packages.xz of source 'local' does not exist"),
        gone.getMessage());
  }

  @Test
  void onlyWhatCannotBeFetchedIsAFetchFailure() throws Exception {
    RepositoryException missing =
        assertThrows(
            RepositoryException.class,
            () ->
                new RepositoryClient().fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertTrue(missing instanceof RepositoryFetchException, missing.toString());
    repo().write(stranger);
    RepositoryVerificationException badKey =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                new RepositoryClient().fetch(source("stable", List.of("main"), key.keyring("k"))));
    assertEquals(
        RepositoryVerificationException.Reason.UNKNOWN_KEY, badKey.reason(), badKey.getMessage());
  }

  @Test
  void theResultFeedsTheResolver() throws Exception {
    repo().write(key);
    Repository r =
        new RepositoryClient().fetch(source("bookworm", List.of("main"), key.keyring("k")));
    PackageUniverse u = PackageUniverse.of(List.of(r));
    List<PackageRecord> set =
        Resolver.resolve(u, io.imagebuilder.api.spec.Variant.ESSENTIAL, List.of("hello"));
    assertEquals(List.of("hello", "libc6"), set.stream().map(PackageRecord::name).toList());
  }
}
