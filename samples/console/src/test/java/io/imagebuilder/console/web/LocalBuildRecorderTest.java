package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import io.imagebuilder.console.build.LocalBuildQueue;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** A build of the console's own slots reaches the index in the console's database. */
class LocalBuildRecorderTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();
  private final LocalBuildQueue queue = new LocalBuildQueue(1);

  private final String artifactSha = "c".repeat(64);
  private final String specHash = "d".repeat(64);

  @AfterEach
  void stopSlots() {
    queue.shutdown();
  }

  private ConsoleSettings settings() {
    return new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null);
  }

  /** A build whose output directory holds its manifest, as the library writes it. */
  private BuildView builtWithManifest(ConsoleSettings settings, BuildStatus status)
      throws Exception {
    String id = BuildIds.next();
    Manifest manifest =
        new Manifest(
            1,
            false,
            Map.of("series", "bookworm"),
            specHash,
            List.of(),
            List.of(),
            List.of(new ManifestArtifact("rootfs.tar.zst", "tar.zst", 5, artifactSha, List.of())),
            null,
            null);
    Path out = Files.createDirectories(settings.buildsDir().resolve(id).resolve("out"));
    Files.writeString(
        out.resolve("rootfs.manifest.json"), manifest.toJson(), StandardCharsets.UTF_8);
    return new BuildView(
        id,
        status,
        "rootfs",
        "bookworm",
        "amd64",
        null,
        List.of(),
        "",
        specHash,
        "{}",
        "alice",
        "127.0.0.1",
        Instant.now(),
        Instant.now(),
        Instant.now(),
        List.of(),
        List.of(new ArtifactView("rootfs.tar.zst", "tar.zst", 5, artifactSha, null)),
        null,
        null);
  }

  @Test
  void aSucceededBuildIsRecordedInTheDatabaseIndexOnce() throws Exception {
    ConsoleSettings settings = settings();
    ConsoleDatabase db = databases.sqlite(settings.dataDir().resolve("console.db"));
    try (ImageIndex index = ImageIndex.open(db.dataSource())) {
      Manifests manifests =
          new Manifests(index, new JdbcBuildStore(db, Jackson2ObjectMapperBuilder.json().build()));
      LocalBuildRecorder recorder = new LocalBuildRecorder(index, queue, manifests, settings);

      BuildView running = builtWithManifest(settings, BuildStatus.RUNNING);
      recorder.changed(running);
      assertEquals(0, index.buildCount(), "not before it succeeded");

      BuildView done = builtWithManifest(settings, BuildStatus.SUCCEEDED);
      recorder.changed(done);
      assertEquals(1, index.buildCount());
      assertEquals(specHash, index.lookup(artifactSha).orElseThrow().specHash());
    }
  }

  @Test
  void withTheIndexFileTheLibraryHasRecordedItAlready() throws Exception {
    ConsoleSettings settings = settings();
    ConsoleDatabase db = databases.sqlite(settings.dataDir().resolve("console.db"));
    try (ImageIndex index = ImageIndex.open(settings.indexFile())) {
      Manifests manifests =
          new Manifests(index, new JdbcBuildStore(db, Jackson2ObjectMapperBuilder.json().build()));
      new LocalBuildRecorder(index, queue, manifests, settings)
          .changed(builtWithManifest(settings, BuildStatus.SUCCEEDED));

      assertEquals(0, index.buildCount(), "the build's record stage writes the file");
      assertTrue(index.lookup(artifactSha).isEmpty());
    }
  }
}
