package io.imagebuilder.manifest.internal.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.ImageIndexException;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.internal.CycloneDxSbom;
import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.TestBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordManifestStageTest {
  @TempDir Path temp;

  @Test
  void writesTheViewsBesideTheArtifact() throws Exception {
    Path out = temp.resolve("out");
    Engine.Outcome outcome = TestBuild.run(Fixtures.spec(), temp, out, temp.resolve("cache"));

    Path manifestFile = out.resolve("bookworm-amd64.manifest.json");
    assertEquals(manifestFile, outcome.manifestFile());
    Manifest manifest = Manifests.read(manifestFile);
    Artifact artifact = outcome.artifacts().get(0);
    assertEquals(artifact.sha256(), manifest.artifacts().get(0).sha256());
    assertEquals(artifact.size(), manifest.artifacts().get(0).size());
    assertEquals("tar.zst", manifest.artifacts().get(0).format());
    assertEquals(
        Fixtures.sha("partition 1"), manifest.artifacts().get(0).partitions().get(0).sha256());
    assertEquals("no-commands", manifest.build().executor());
    assertEquals(
        List.of(
            "test.bootstrap",
            "test.finalise",
            "manifest.embed",
            "test.assemble",
            "manifest.record"),
        manifest.build().stages().stream().map(s -> s.type()).toList());
    assertTrue(
        manifest.build().stages().get(0).durationMillis() != null,
        "completed stages have durations");
    assertEquals(outcome.stages().get(0).id(), manifest.build().stages().get(0).id());
    assertEquals(
        List.of(
            "logs/01-test.bootstrap.log",
            "logs/02-test.finalise.log",
            "logs/03-manifest.embed.log",
            "logs/04-test.assemble.log",
            "logs/05-manifest.record.log"),
        manifest.build().stages().stream().map(s -> s.log()).toList());
    for (var stage : manifest.build().stages()) {
      assertTrue(Files.isRegularFile(out.resolve(stage.log())), stage.log());
    }
    assertEquals(
        Manifests.ubuntuManifest(manifest),
        Files.readString(out.resolve("bookworm-amd64.manifest")));
    byte[] sbom = Files.readAllBytes(out.resolve("bookworm-amd64.cdx.json"));
    assertEquals(List.of(), new JsonParser().validate(sbom, CycloneDxSbom.VERSION));
    assertEquals(
        manifest.lock(),
        io.imagebuilder.api.spec.Lock.read(out.resolve("bookworm-amd64.lock")),
        "the lock file is the manifest's lock");
    try (var files = Files.list(out)) {
      assertEquals(
          List.of(
              "bookworm-amd64.cdx.json",
              "bookworm-amd64.lock",
              "bookworm-amd64.manifest",
              "bookworm-amd64.manifest.json",
              TestBuild.TARBALL,
              "logs"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void recordsTheBuildInTheIndexOfTheCacheDirectory() throws Exception {
    Path cache = temp.resolve("cache");
    Engine.Outcome outcome = TestBuild.run(Fixtures.spec(), temp, temp.resolve("out"), cache);

    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(cache))) {
      var build = index.lookup(outcome.artifacts().get(0).sha256()).orElseThrow();
      assertEquals(Fixtures.spec().toCanonicalJson(), build.specJson());
      assertEquals(Files.readString(outcome.manifestFile()), build.manifestJson());
      assertTrue(index.findByPartition(Fixtures.sha("partition 1")).isPresent());
      assertEquals(1, index.imagesWithPackage("openssh-server").size());
    }
  }

  @Test
  void aBuildServedFromTheStageCacheIsRecordedTooOneImageRowAndTwoBuildRecords() throws Exception {
    Path cache = temp.resolve("cache");
    Path out1 = temp.resolve("out1");
    Path out2 = temp.resolve("out2");
    Engine.Outcome first = TestBuild.run(Fixtures.spec(), temp, out1, cache, true);
    Engine.Outcome second = TestBuild.run(Fixtures.spec(), temp, out2, cache, true);

    assertFalse(first.fromCache());
    assertTrue(second.fromCache(), "the second build is the first's result from the cache");
    assertEquals(out2.resolve("bookworm-amd64.manifest.json"), second.manifestFile());
    assertArrayEquals(
        Files.readAllBytes(first.manifestFile()),
        Files.readAllBytes(second.manifestFile()),
        "the cached manifest's bytes");
    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(cache))) {
      assertEquals(1, index.imageCount(), "one image row: the same tarball");
      assertEquals(2, index.buildCount(), "a build record per build");
      var builds = index.buildsOfSpec(Fixtures.spec().specHash());
      assertEquals(
          java.util.Set.of(out1.toAbsolutePath(), out2.toAbsolutePath()),
          builds.stream().map(b -> b.outputDir()).collect(java.util.stream.Collectors.toSet()));
      for (var build : builds) {
        assertEquals(Files.readString(second.manifestFile()), build.manifestJson());
      }
    }
  }

  @Test
  void aCorruptIndexFailsTheBuildBeforeAnyStageRunsAndIsLeftAsItWas() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache"));
    byte[] garbage =
        "not an index at all\n".repeat(64).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Files.write(ImageIndex.fileIn(cache), garbage);
    Path out = temp.resolve("out");

    StageFailedException e =
        assertThrows(
            StageFailedException.class, () -> TestBuild.run(Fixtures.spec(), temp, out, cache));

    assertTrue(e.getCause() instanceof ImageIndexException, () -> String.valueOf(e.getCause()));
    assertTrue(e.getMessage().startsWith("stage manifest.record"), e.getMessage());
    assertTrue(
        e.getMessage().contains(ImageIndex.fileIn(cache) + " is not an ImageBuilder image index"),
        e.getMessage());
    assertArrayEquals(garbage, Files.readAllBytes(ImageIndex.fileIn(cache)));
    assertFalse(
        Files.exists(out.resolve(TestBuild.TARBALL)), "verify fails before the tarball is written");
    try (var files = Files.list(cache)) {
      assertEquals(List.of("index.db"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void theSameSpecRebuildsInPlaceButAnotherSpecIsRefusedBeforeAnyWorkNamingTheImageItWouldReplace()
      throws Exception {
    Path out = temp.resolve("out");
    Path cache = temp.resolve("cache");
    TestBuild.run(Fixtures.spec(), temp, out, cache);
    TestBuild.run(Fixtures.spec(), temp, out, cache);
    byte[] first = Files.readAllBytes(out.resolve(TestBuild.TARBALL));

    var other = Fixtures.spec().toBuilder().addPackage("curl").build();
    StageFailedException e =
        assertThrows(StageFailedException.class, () -> TestBuild.run(other, temp, out, cache));
    assertTrue(
        e.getMessage()
            .contains(
                "the output directory "
                    + out
                    + " holds "
                    + TestBuild.TARBALL
                    + " of another spec (spec hash "
                    + Fixtures.spec().specHash().substring(0, 12)
                    + ", recorded in bookworm-amd64.manifest.json); build into another directory, or remove that image's files first"),
        e.getMessage());
    assertArrayEquals(
        first, Files.readAllBytes(out.resolve(TestBuild.TARBALL)), "the first image is untouched");

    Files.delete(out.resolve(TestBuild.TARBALL));
    TestBuild.run(other, temp, out, cache);
    assertEquals(
        other.specHash(), Manifests.read(out.resolve("bookworm-amd64.manifest.json")).specHash());
  }

  @Test
  void identifiesTheTarballWithTheIndexDeleted() throws Exception {
    Path cache = temp.resolve("cache");
    Engine.Outcome outcome = TestBuild.run(Fixtures.spec(), temp, temp.resolve("out"), cache);
    Path copy = Files.copy(outcome.artifacts().get(0).file(), temp.resolve("copy.tar.zst"));
    Files.delete(ImageIndex.fileIn(cache));

    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(cache))) {
      Identification id = index.identify(copy).orElseThrow();
      assertEquals(Identification.Source.EMBEDDED, id.source());
      assertEquals(Fixtures.spec(), id.manifest().toSpec());
      assertEquals(outcome.artifacts().get(0).sha256(), id.sha256());
    }
  }

  @Test
  void imageIsNamedAfterTheFirstArtifactWithoutItsExtension() {
    String spec = Fixtures.sha("spec");
    assertEquals(
        "debian-12.1-arm64",
        RecordManifestStage.imageName(
            List.of(
                new Artifact(Path.of("/o/debian-12.1-arm64.img.xz"), OutputFormat.RAW_XZ, 1, spec)),
            spec));
    assertEquals(
        "rootfs",
        RecordManifestStage.imageName(
            List.of(new Artifact(Path.of("/o/rootfs.tgz"), OutputFormat.TAR_GZ, 1, spec)), spec));
    assertEquals("image-" + spec.substring(0, 12), RecordManifestStage.imageName(List.of(), spec));
    assertNotNull(spec);
  }
}
