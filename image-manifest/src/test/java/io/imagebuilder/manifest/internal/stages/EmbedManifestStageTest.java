package io.imagebuilder.manifest.internal.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.TestBuild;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedManifestStageTest {
  @TempDir Path temp;

  @Test
  void runsAfterTheFinaliseCleanUpAndBeforeAssembly() {
    Plan plan = TestBuild.plan(Fixtures.spec());

    assertEquals(
        List.of(
            "test.bootstrap",
            "test.finalise",
            "manifest.embed",
            "test.assemble",
            "manifest.record"),
        plan.types());
  }

  @Test
  void embedsTheManifestInTheImage() throws Exception {
    Engine.Outcome outcome =
        TestBuild.run(Fixtures.spec(), temp, temp.resolve("out"), temp.resolve("cache"));

    Manifest embedded = Manifests.readEmbedded(outcome.artifacts().get(0).file()).orElseThrow();

    assertTrue(embedded.embedded());
    assertEquals(Fixtures.spec(), embedded.toSpec());
    assertEquals(6, embedded.packages().size());
    assertEquals(
        Fixtures.DEB_SHA_OPENSSH, embedded.findPackage("openssh-server").orElseThrow().debSha256());
    assertEquals(List.of(), embedded.artifacts());
    assertEquals(
        List.of("test.bootstrap", "test.finalise", "manifest.embed"),
        embedded.build().stages().stream().map(s -> s.type()).toList());
    assertTrue(
        embedded.build().stages().stream().allMatch(s -> s.durationMillis() == null),
        "the embedded copy holds no durations, so it is the same in every build");
    assertEquals(1_700_000_000L, embedded.build().sourceDateEpoch());
  }

  @Test
  void embeddedFileAndNewDirectoriesCarrySourceDateEpochAndMode0644() throws Exception {
    Engine.Outcome outcome =
        TestBuild.run(Fixtures.spec(), temp, temp.resolve("out"), temp.resolve("cache"));

    Map<String, TarArchiveEntry> entries = entries(outcome.artifacts().get(0).file());

    TarArchiveEntry file = entries.get("./usr/share/imagebuilder/manifest.json");
    assertEquals(0644, file.getMode() & 0777);
    for (String name :
        List.of(
            "./usr/share/imagebuilder/manifest.json",
            "./usr/share/imagebuilder/",
            "./usr/share/")) {
      assertEquals(1_700_000_000L, entries.get(name).getModTime().getTime() / 1000, name);
    }
  }

  @Test
  void sameSpecAndPackagesGiveTheSameImage() throws Exception {
    Engine.Outcome first =
        TestBuild.run(Fixtures.spec(), temp, temp.resolve("out1"), temp.resolve("cache"));
    Thread.sleep(1100); // a clock that leaked into the image would now differ
    Engine.Outcome second =
        TestBuild.run(Fixtures.spec(), temp, temp.resolve("out2"), temp.resolve("cache"));

    assertArrayEquals(
        Files.readAllBytes(first.artifacts().get(0).file()),
        Files.readAllBytes(second.artifacts().get(0).file()));
    assertEquals(first.artifacts().get(0).sha256(), second.artifacts().get(0).sha256());
  }

  private static Map<String, TarArchiveEntry> entries(Path tarball) throws IOException {
    Map<String, TarArchiveEntry> out = new HashMap<>();
    try (InputStream in = Files.newInputStream(tarball);
        TarArchiveInputStream tar = new TarArchiveInputStream(new ZstdCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        out.put(e.getName(), e);
      }
    }
    return out;
  }
}
