package io.imagebuilder.rootfs.internal.stages;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesStageTest {
  @TempDir Path temp;

  /** A signed file: repository with one package, and its key as an armored file. */
  private Path signedRepository(String name, ArchiveKey key) throws Exception {
    Path repo = temp.resolve(name);
    new TestRepository(repo, "stable", "stable")
        .add("main", "arm64", TestRepository.stanza("tool", "1.0", "arm64"))
        .write(key);
    return repo;
  }

  private Path keyFile(String name, byte[] key) throws Exception {
    return Files.write(temp.resolve(name), key);
  }

  @Test
  void writesDeb822SourcesEachWithItsOwnKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("etc/apt"));
    Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://old bookworm main\n");
    ArchiveKey vendorKey = ArchiveKey.generate("vendor");
    Path vendorRepo = signedRepository("vendor-repo", vendorKey);
    Path vendorKeyFile = keyFile("vendor.asc", vendorKey.armoredPublicKey());
    Path labRepo = signedRepository("lab-repo", ArchiveKey.generate("lab"));
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.ARM64)
            .components(List.of("main", "contrib"))
            .addRepository(
                AptSource.signed(
                    "vendor",
                    vendorRepo.toUri().toString(),
                    "stable",
                    List.of("main"),
                    vendorKeyFile.toString()))
            .addRepository(
                new AptSource(
                    "lab",
                    labRepo.toUri().toString(),
                    "stable",
                    List.of("main"),
                    null,
                    null,
                    true,
                    false))
            .build();
    TestStageContext context = new TestStageContext(spec, root, temp);

    new SourcesStage(SourcesStage.Options.of(spec)).run(context);

    assertFalse(Files.exists(root.resolve("etc/apt/sources.list")));
    assertEquals(
        """
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """,
        Files.readString(root.resolve("etc/apt/sources.list.d/debian.sources")));
    assertEquals(
        """
        Types: deb
        URIs: http://deb.debian.org/debian-security
        Suites: bookworm-security
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """,
        Files.readString(root.resolve("etc/apt/sources.list.d/debian-security.sources")));
    assertTrue(
        Files.readString(root.resolve("etc/apt/sources.list.d/vendor.sources"))
            .contains("Signed-By: /etc/apt/keyrings/vendor.asc\n"));
    assertArrayEquals(
        vendorKey.armoredPublicKey(),
        Files.readAllBytes(root.resolve("etc/apt/keyrings/vendor.asc")));
    assertTrue(
        Files.readString(root.resolve("etc/apt/sources.list.d/lab.sources"))
            .contains("Trusted: yes\n"));
    List<UsedRepository> used = context.provenance().repositories();
    assertEquals(List.of("vendor", "lab"), used.stream().map(UsedRepository::name).toList());
    assertEquals(vendorKey.fingerprint(), used.get(0).keyFingerprint());
  }

  @Test
  void withTheSuitesSwitchedOffOnlyTheSeriesIsWritten() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .updates(false)
            .security(false)
            .build();

    new SourcesStage(SourcesStage.Options.of(spec)).run(new TestStageContext(spec, root, temp));

    assertEquals(
        """
        Types: deb
        URIs: http://archive.ubuntu.com/ubuntu
        Suites: noble
        Components: main
        Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
        """,
        Files.readString(root.resolve("etc/apt/sources.list.d/ubuntu.sources")));
    assertEquals(
        List.of("ubuntu.sources"),
        Files.list(root.resolve("etc/apt/sources.list.d"))
            .map(p -> p.getFileName().toString())
            .toList());
  }

  @Test
  void ubuntuOnArm64TakesEverySuiteFromThePortsArchive() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    ImageSpec spec = ImageSpec.builder("noble").architecture(Architecture.ARM64).build();

    new SourcesStage(SourcesStage.Options.of(spec)).run(new TestStageContext(spec, root, temp));

    assertTrue(
        Files.readString(root.resolve("etc/apt/sources.list.d/ubuntu.sources"))
            .contains("URIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: noble noble-updates\n"));
    assertTrue(
        Files.readString(root.resolve("etc/apt/sources.list.d/ubuntu-security.sources"))
            .contains("URIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: noble-security\n"));
  }

  @Test
  void aSourceSignedByAnotherKeyFailsBeforeAnyWorkNamingTheSourceAndTheKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path repo = signedRepository("vendor-repo", ArchiveKey.generate("real signer"));
    Path wrongKey = keyFile("wrong.asc", ArchiveKey.generate("someone else").armoredPublicKey());
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.ARM64)
            .addRepository(
                AptSource.signed(
                    "vendor",
                    repo.toUri().toString(),
                    "stable",
                    List.of("main"),
                    wrongKey.toString()))
            .build();
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                new SourcesStage(SourcesStage.Options.of(spec))
                    .verify(new TestStageContext(spec, root, temp)));
    assertTrue(
        e.getMessage().contains("source 'vendor'") && e.getMessage().contains(wrongKey.toString()),
        e.getMessage());
    assertFalse(
        Files.exists(root.resolve("etc/apt/sources.list.d/vendor.sources")),
        "nothing is configured");
  }

  @Test
  void aPpaIsWrittenWithItsLaunchpadArchiveAndKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path ppaKey = keyFile("ppa.gpg", ArchiveKey.generate("ppa").binaryPublicKey());
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(new Ppa("ppa:team/tools", null, ppaKey.toString()))
            .build();
    List<Deb822Source> sources = new SourcesStage(SourcesStage.Options.of(spec)).sources(root);
    assertEquals(
        List.of("ubuntu", "ubuntu-security", "ppa-team-tools"),
        sources.stream().map(Deb822Source::name).toList(),
        "the archive's sources, then the PPA's");
    Deb822Source ppa = sources.get(2);
    assertEquals("https://ppa.launchpadcontent.net/team/tools/ubuntu", ppa.uri());
    assertEquals(List.of("noble"), ppa.suites());
    assertEquals("/etc/apt/keyrings/ppa-team-tools.gpg", ppa.signedBy());
    assertTrue(Files.exists(root.resolve("etc/apt/keyrings/ppa-team-tools.gpg")));
  }

  /** A keyserver on loopback answering lookups of {@code key} (and 404 for any other). */
  private HttpServer keyserver(ArchiveKey key) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/pks/lookup",
        exchange -> {
          byte[] body =
              exchange.getRequestURI().getRawQuery().endsWith("search=0x" + key.fingerprint())
                  ? key.armoredPublicKey()
                  : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return server;
  }

  private static URI address(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A PPA-like archive for noble/main/amd64 signed by {@code key}, in a directory. */
  private String ppaArchive(ArchiveKey key) throws Exception {
    Path repo = temp.resolve("ppa-archive");
    new TestRepository(repo, "noble", "noble")
        .add("main", "amd64", TestRepository.stanza("tool", "1.0", "amd64"))
        .write(key);
    return repo.toUri().toString();
  }

  @Test
  void aPpaByFingerprintIsVerifiedAgainstTheKeyFromTheKeyserverWhichTheImageTrusts()
      throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    ArchiveKey ppaKey = ArchiveKey.generate("Launchpad PPA for Team");
    String archive = ppaArchive(ppaKey);
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(new Ppa("ppa:team/tools", ppaKey.fingerprint(), null))
            .build();
    TestStageContext context = new TestStageContext(spec, root, temp);
    HttpServer server = keyserver(ppaKey);
    URI keyserver = address(server);
    try {
      SourcesStage stage =
          new SourcesStage(SourcesStage.Options.of(spec), null, keyserver, ppa -> archive);
      stage.verify(context);
      server.stop(0);
      stage.run(context);
    } finally {
      server.stop(0);
    }

    assertEquals(
        List.of(ppaKey.fingerprint()),
        Keyring.load(temp.resolve("cache/keys/" + ppaKey.fingerprint() + ".asc")).fingerprints());
    assertTrue(
        Files.readString(root.resolve("etc/apt/sources.list.d/ppa-team-tools.sources"))
            .contains("Signed-By: /etc/apt/keyrings/ppa-team-tools.asc\n"));
    assertEquals(
        List.of(ppaKey.fingerprint()),
        Keyring.load(root.resolve("etc/apt/keyrings/ppa-team-tools.asc")).fingerprints());
    UsedRepository used = context.provenance().repositories().get(0);
    assertEquals("ppa-team-tools", used.name());
    assertEquals(ppaKey.fingerprint(), used.keyFingerprint());

    // A second build finds the key in the cache: the keyserver is gone.
    new SourcesStage(SourcesStage.Options.of(spec), null, keyserver, ppa -> archive)
        .verify(new TestStageContext(spec, root, temp));
  }

  @Test
  void aPpaSignedByAnotherKeyThanItsFingerprintNamesFailsBeforeAnyWork() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    ArchiveKey pinned = ArchiveKey.generate("pinned");
    String archive = ppaArchive(ArchiveKey.generate("actual signer"));
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(new Ppa("ppa:team/tools", pinned.fingerprint(), null))
            .build();
    HttpServer server = keyserver(pinned);
    try {
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new SourcesStage(
                          SourcesStage.Options.of(spec), null, address(server), ppa -> archive)
                      .verify(new TestStageContext(spec, root, temp)));
      assertTrue(e.getMessage().contains("source 'ppa-team-tools'"), e.getMessage());
    } finally {
      server.stop(0);
    }
    assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/ppa-team-tools.sources")));
  }

  @Test
  void aKeyTheKeyserverDoesNotHaveFailsNamingThePpaTheFingerprintTheKeyserverAndTheWayOut()
      throws Exception {
    String fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(new Ppa("ppa:team/tools", fingerprint, null))
            .build();
    HttpServer server = keyserver(ArchiveKey.generate("another"));
    URI keyserver = address(server);
    try {
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new SourcesStage(
                          SourcesStage.Options.of(spec),
                          null,
                          keyserver,
                          ppa -> "file:/nonexistent/")
                      .verify(new TestStageContext(spec, temp, temp)));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "PPA 'ppa:team/tools': keyserver " + keyserver + " has no key " + fingerprint),
          e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  "give its key as a file instead: withPpa(\"ppa:team/tools\", keyFile) "
                      + "or --ppa ppa:team/tools=KEYFILE"),
          e.getMessage());
    } finally {
      server.stop(0);
    }
  }

  /**
   * Launchpad's web API on loopback, describing ppa:team/tools as signed by {@code fingerprint}.
   */
  private HttpServer launchpad(String fingerprint) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/1.0/",
        exchange -> {
          byte[] body =
              exchange.getRequestURI().getRawPath().equals("/1.0/~team/+archive/ubuntu/tools")
                  ? ("{\"name\": \"tools\", \"signing_key_fingerprint\": \"" + fingerprint + "\"}")
                      .getBytes(UTF_8)
                  : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return server;
  }

  private static URI api(HttpServer launchpad) {
    return URI.create(address(launchpad) + "/1.0");
  }

  @Test
  void aPlainPpaIsVerifiedAgainstTheKeyLaunchpadNamesAndRebuildsNeedNeitherService()
      throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    ArchiveKey ppaKey = ArchiveKey.generate("Launchpad PPA for Team");
    String archive = ppaArchive(ppaKey);
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(Ppa.parse("ppa:team/tools"))
            .build();
    TestStageContext context = new TestStageContext(spec, root, temp);
    HttpServer launchpad = launchpad(ppaKey.fingerprint());
    HttpServer keyserver = keyserver(ppaKey);
    URI api = api(launchpad);
    URI keys = address(keyserver);
    try {
      SourcesStage stage =
          new SourcesStage(SourcesStage.Options.of(spec), api, keys, ppa -> archive);
      stage.verify(context);
      stage.run(context);
    } finally {
      launchpad.stop(0);
      keyserver.stop(0);
    }

    assertEquals(
        ppaKey.fingerprint() + "\n",
        Files.readString(temp.resolve("cache/keys/ppa/team/tools.fingerprint")));
    assertEquals(
        List.of(ppaKey.fingerprint()),
        Keyring.load(root.resolve("etc/apt/keyrings/ppa-team-tools.asc")).fingerprints());
    UsedRepository used = context.provenance().repositories().get(0);
    assertEquals("ppa-team-tools", used.name());
    assertEquals(ppaKey.fingerprint(), used.keyFingerprint(), "the manifest records the key used");

    // Both services are gone: the cached fingerprint and key serve a rebuild.
    Path again = Files.createDirectories(temp.resolve("root2"));
    TestStageContext rebuild = new TestStageContext(spec, again, temp);
    SourcesStage stage = new SourcesStage(SourcesStage.Options.of(spec), api, keys, ppa -> archive);
    stage.verify(rebuild);
    stage.run(rebuild);
    assertEquals(ppaKey.fingerprint(), rebuild.provenance().repositories().get(0).keyFingerprint());
  }

  @Test
  void aPpaLaunchpadDoesNotKnowFailsNamingThePpaTheUrlAndHowToPinItsKey() throws Exception {
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(Ppa.parse("ppa:team/other"))
            .build();
    HttpServer launchpad = launchpad("0123456789ABCDEF0123456789ABCDEF01234567");
    URI api = api(launchpad);
    try {
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new SourcesStage(
                          SourcesStage.Options.of(spec),
                          api,
                          URI.create("http://127.0.0.1:9"),
                          ppa -> "file:/nonexistent/")
                      .verify(new TestStageContext(spec, temp, temp)));
      assertEquals(
          "Launchpad has no PPA ppa:team/other ("
              + api
              + "/~team/+archive/ubuntu/other answered HTTP 404); "
              + "give the PPA's key's fingerprint or a key file instead: withPpa(\"ppa:team/other\", fingerprint), "
              + "withPpa(\"ppa:team/other\", keyFile), or ppa:team/other=FINGERPRINT or ppa:team/other=KEYFILE "
              + "(--ppa, a request's ppa_list)",
          e.getMessage());
    } finally {
      launchpad.stop(0);
    }
  }

  @Test
  void aFingerprintFromLaunchpadWhoseKeyTheKeyserverLacksFailsNamingBoth() throws Exception {
    String fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(Ppa.parse("ppa:team/tools"))
            .build();
    HttpServer launchpad = launchpad(fingerprint);
    HttpServer keyserver = keyserver(ArchiveKey.generate("another"));
    URI keys = address(keyserver);
    try {
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new SourcesStage(
                          SourcesStage.Options.of(spec),
                          api(launchpad),
                          keys,
                          ppa -> "file:/nonexistent/")
                      .verify(new TestStageContext(spec, temp, temp)));
      assertTrue(
          e.getMessage()
              .startsWith("PPA 'ppa:team/tools': keyserver " + keys + " has no key " + fingerprint),
          e.getMessage());
      assertTrue(
          e.getMessage()
              .contains(
                  "(the fingerprint Launchpad gave, cached in "
                      + temp.resolve("cache/keys/ppa/team/tools.fingerprint")
                      + ")"),
          e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  "give its key as a file instead: withPpa(\"ppa:team/tools\", keyFile) "
                      + "or --ppa ppa:team/tools=KEYFILE"),
          e.getMessage());
    } finally {
      launchpad.stop(0);
      keyserver.stop(0);
    }
  }

  @Test
  void aPpaSignedByAnotherKeyThanLaunchpadNamedSaysHowToAskLaunchpadAgain() throws Exception {
    ArchiveKey named = ArchiveKey.generate("the key Launchpad named");
    String archive = ppaArchive(ArchiveKey.generate("a new key"));
    ImageSpec spec =
        ImageSpec.builder("noble")
            .architecture(Architecture.AMD64)
            .addPpa(Ppa.parse("ppa:team/tools"))
            .build();
    HttpServer launchpad = launchpad(named.fingerprint());
    HttpServer keyserver = keyserver(named);
    try {
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new SourcesStage(
                          SourcesStage.Options.of(spec),
                          api(launchpad),
                          address(keyserver),
                          ppa -> archive)
                      .verify(new TestStageContext(spec, temp, temp)));
      assertTrue(e.getMessage().contains("source 'ppa-team-tools'"), e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  "(the key is the one Launchpad named, cached in "
                      + temp.resolve("cache/keys/ppa/team/tools.fingerprint")
                      + ": delete that file to ask Launchpad again)"),
          e.getMessage());
    } finally {
      launchpad.stop(0);
      keyserver.stop(0);
    }
  }
}
