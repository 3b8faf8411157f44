package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  @Test
  void jsonRoundTripKeepsEverything() throws Exception {
    Manifest m = Fixtures.diskManifest(Fixtures.rootfs(dir), Fixtures.spec(), "board.img");

    Manifest read = Manifest.fromJson(m.toJson());

    assertEquals(m, read);
    assertEquals(m.toJson(), read.toJson());
    assertEquals(Fixtures.sha("board.img/p2"), read.artifacts().get(0).partitions().get(1).sha256());
  }

  @Test
  void aBaseImageIsAnOptionalFieldKeptInTheEmbeddedCopy() throws Exception {
    Manifest plain = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a");
    ManifestBaseImage base = new ManifestBaseImage(Fixtures.sha("base.tar.zst"), Fixtures.sha("base spec"));

    Manifest derived = plain.withBaseImage(base);

    assertFalse(plain.toJson().contains("baseImage"), "a bootstrapped image's JSON is as before");
    assertNull(Manifest.fromJson(plain.toJson()).baseImage());
    assertEquals(base, Manifest.fromJson(derived.toJson()).baseImage());
    assertEquals(base, derived.embeddedCopy().baseImage());
    assertEquals(base, derived.withArtifacts(List.of()).baseImage());
    assertTrue(derived.toJson().contains("\"sha256\" : \"" + base.sha256() + "\""), derived.toJson());
    assertEquals(base.sha256(), new ManifestBaseImage(base.sha256(), null).sha256());
    assertThrows(IllegalArgumentException.class, () -> new ManifestBaseImage("base.tar.zst", null));
  }

  @Test
  void jsonHasSchemaVersionSortedKeysAndUnixLineEnds() throws Exception {
    String json = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a").toJson();

    assertTrue(json.startsWith("{\n  \"artifacts\" : ["), json.substring(0, 40));
    assertTrue(json.contains("\"schemaVersion\" : 1"));
    assertFalse(json.contains("\r"));
    assertTrue(json.indexOf("\"build\"") < json.indexOf("\"embedded\"") && json.indexOf("\"embedded\"") < json.indexOf("\"lock\""));
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
            m.build().stages().stream().map(s -> new StageInfo(s.type(), s.id(), 99_999L)).toList());

    assertEquals(m.embeddedCopy().toJson(), m.withBuild(other).embeddedCopy().toJson());
  }

  @Test
  void unknownSchemaVersionIsRejected() throws Exception {
    String json = Fixtures.manifest(Fixtures.rootfs(dir), Fixtures.spec(), "a.tar.zst", "a").toJson()
        .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 7");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.fromJson(json));
    assertTrue(e.getMessage().contains("unsupported manifest schemaVersion 7"), e.getMessage());
  }

  @Test
  void findArtifactMatchesArtifactsAndPartitions() throws Exception {
    Manifest m = Fixtures.diskManifest(Fixtures.rootfs(dir), Fixtures.spec(), "board.img");

    assertEquals("board.img", m.findArtifact(Fixtures.sha("board.img/p1")).orElseThrow().file());
    assertTrue(m.findArtifact(Fixtures.sha("nothing")).isEmpty());
  }
}
