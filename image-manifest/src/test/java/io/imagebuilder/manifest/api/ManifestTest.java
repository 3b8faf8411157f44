package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.manifest.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  /** The spec of {@code manifest-golden/pc-amd64.manifest.json}, as this version builds it. */
  static ImageSpec goldenSpec() {
    return ImageSpec.builder("bookworm")
        .architecture(Architecture.AMD64)
        .board("pc-amd64")
        .outputs(List.of(OutputFormat.RAW, OutputFormat.TAR_ZST))
        .addPackage("openssh-server")
        .addPpa(Ppa.parse("ppa:owner/name=0123456789ABCDEF0123456789ABCDEF01234567"))
        .addRepository(
            AptSource.signed(
                "vendor", "https://apt.example.org", "bookworm", List.of("main"), "/keys/v.asc"))
        .addUser(
            new UserAccount(
                "admin", List.of("sudo"), true, "$y$j9T$abc$def", List.of("ssh-ed25519 AAAA me")))
        .addFile(FileEntry.text("/etc/motd", "hello\n"))
        .addHook(new Hook(HookPoint.BEFORE_FINALISE, List.of("true")))
        .growRoot(true)
        .sourceDateEpoch(1_700_000_000L)
        .build();
  }

  @Test
  void aManifestWrittenByAnEarlierVersionGivesBackItsSpecAndHash() throws Exception {
    // Recorded when ImageSpec was a record; manifests and indexes hold such JSON.
    String json;
    try (var in =
        ManifestTest.class.getResourceAsStream("/manifest-golden/pc-amd64.manifest.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Manifest read = Manifest.fromJson(json);
    ImageSpec spec = read.toSpec();

    assertEquals(
        "b12bb065db680e65283b8cf539f73be67f69e25f3d827e40e13bc1d56e930474", read.specHash());
    assertEquals(read.specHash(), spec.specHash());
    assertEquals(read.specJson(), spec.toCanonicalJson());
    assertEquals(goldenSpec(), spec);
    // Everything but the lock is written back as it was; the lock's entries of then
    // (name:arch=version) are read as packages without a .deb, and written in today's form.
    com.fasterxml.jackson.databind.node.ObjectNode then =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            io.imagebuilder.internal.json.Json.mapper().readTree(json);
    com.fasterxml.jackson.databind.node.ObjectNode now =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            io.imagebuilder.internal.json.Json.mapper().readTree(read.toJson());
    then.remove("lock");
    now.remove("lock");
    assertEquals(then, now);
    assertEquals("openssh-server:amd64=1:9.2p1-2+deb12u2", read.lock().packages().get(4).entry());
    assertNull(read.lock().packages().get(4).sha256());
    assertEquals(read.lock(), Manifest.fromJson(read.toJson()).lock());
  }

  @Test
  void jsonRoundTripKeepsEverything() throws Exception {
    Manifest m = Fixtures.diskManifest(Fixtures.rootfs(dir), Fixtures.spec(), "board.img");

    Manifest read = Manifest.fromJson(m.toJson());

    assertEquals(m, read);
    assertEquals(m.toJson(), read.toJson());
    assertEquals(
        Fixtures.sha("board.img/p2"), read.artifacts().get(0).partitions().get(1).sha256());
  }

  @Test
  void aBaseImageIsAnOptionalFieldKeptInTheEmbeddedCopy() throws Exception {
    Manifest plain = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a");
    ManifestBaseImage base =
        new ManifestBaseImage(Fixtures.sha("base.tar.zst"), Fixtures.sha("base spec"));

    Manifest derived = plain.withBaseImage(base);

    assertFalse(plain.toJson().contains("baseImage"), "a bootstrapped image's JSON is as before");
    assertNull(Manifest.fromJson(plain.toJson()).baseImage());
    assertEquals(base, Manifest.fromJson(derived.toJson()).baseImage());
    assertEquals(base, derived.embeddedCopy().baseImage());
    assertEquals(base, derived.withArtifacts(List.of()).baseImage());
    assertTrue(
        derived.toJson().contains("\"sha256\" : \"" + base.sha256() + "\""), derived.toJson());
    assertEquals(base.sha256(), new ManifestBaseImage(base.sha256(), null).sha256());
    assertThrows(IllegalArgumentException.class, () -> new ManifestBaseImage("base.tar.zst", null));
  }

  @Test
  void jsonHasSchemaVersionSortedKeysAndUnixLineEnds() throws Exception {
    String json =
        Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a").toJson();

    assertTrue(json.startsWith("{\n  \"artifacts\" : ["), json.substring(0, 40));
    assertTrue(json.contains("\"schemaVersion\" : 1"));
    assertFalse(json.contains("\r"));
    assertTrue(
        json.indexOf("\"build\"") < json.indexOf("\"embedded\"")
            && json.indexOf("\"embedded\"") < json.indexOf("\"lock\""));
  }

  @Test
  void embeddedCopyHasNoArtifactsAndNothingOfTheHostOrClock() throws Exception {
    Manifest m = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a");

    Manifest embedded = m.embeddedCopy();

    assertTrue(embedded.embedded());
    assertEquals(List.of(), embedded.artifacts());
    assertNull(embedded.build().executor());
    assertNull(embedded.build().hostArchitecture());
    assertTrue(embedded.build().stages().stream().allMatch(s -> s.durationMillis() == null));
    assertEquals(m.packages(), embedded.packages());
    assertEquals(m.specHash(), embedded.specHash());
    String json = embedded.toJson();
    assertFalse(json.contains("durationMillis"));
    assertFalse(json.contains("native"));
    assertTrue(m.toJson().contains("\"log\" : \"logs/01-rootfs.bootstrap.log\""), m.toJson());
    assertFalse(json.contains("logs/"), "the log beside the artifacts is not the image's business");
  }

  @Test
  void embeddedCopyDoesNotDependOnHostOrDurations() throws Exception {
    Manifest m = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a");
    BuildInfo other =
        new BuildInfo(
            m.build().libraryVersion(),
            "qemu-user",
            "arm64",
            m.build().sourceDateEpoch(),
            m.build().stages().stream()
                .map(s -> new StageInfo(s.type(), s.id(), 99_999L))
                .toList());

    assertEquals(m.embeddedCopy().toJson(), m.withBuild(other).embeddedCopy().toJson());
  }

  @Test
  void nonReproducibleContentIsListedInBothCopiesAndLeftOutWhenThereIsNone() throws Exception {
    Manifest m = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a");
    assertFalse(m.toJson().contains("nonReproducible"), "no field when there is none");
    BuildInfo b = m.build();
    Manifest withKeys =
        m.withBuild(
            new BuildInfo(
                b.libraryVersion(),
                b.executor(),
                b.hostArchitecture(),
                b.sourceDateEpoch(),
                b.stages(),
                List.of("/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key")));

    List<String> sorted = List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key");
    assertEquals(sorted, Manifest.fromJson(withKeys.toJson()).build().nonReproducible());
    assertEquals(sorted, withKeys.embeddedCopy().build().nonReproducible());
  }

  @Test
  void unknownSchemaVersionIsRejected() throws Exception {
    String json =
        Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a")
            .toJson()
            .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 7");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Manifest.fromJson(json));
    assertTrue(e.getMessage().contains("unsupported manifest schemaVersion 7"), e.getMessage());
  }

  @Test
  void findArtifactMatchesArtifactsAndPartitions() throws Exception {
    Manifest m = Fixtures.diskManifest(Fixtures.rootfs(dir), Fixtures.spec(), "board.img");

    assertEquals("board.img", m.findArtifact(Fixtures.sha("board.img/p1")).orElseThrow().file());
    assertTrue(m.findArtifact(Fixtures.sha("nothing")).isEmpty());
  }
}
