package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.stage.BaseImage;
import io.imagebuilder.api.stage.BuildProvenance;
import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Facts survive a restore when they are data; behaviour is named, not kept. */
class FactSnapshotTest {
  @Test
  void recordsComeBackEqualAndOtherValuesAreNamedAsDropped() throws Exception {
    BuildProvenance provenance =
        new BuildProvenance(List.of(), Map.of(), new BaseImage("ab".repeat(32), null), Map.of());
    PackageInstaller installer = (context, options, packages) -> {};
    FactSnapshot snapshot =
        FactSnapshot.of(
            Map.of(
                "build.provenance",
                provenance,
                "rootfs.packageInstaller",
                installer,
                "rootfs.hostPath",
                Path.of("/out/image.manifest.json"),
                "engine.something",
                "the engine sets it again"));

    // through JSON, as entry.json keeps it
    FactSnapshot read = Json.mapper().readValue(Json.pretty(snapshot), FactSnapshot.class);
    Map<String, Object> values = read.values(List.of(getClass().getClassLoader()));

    assertEquals(Map.of("build.provenance", provenance), values);
    assertEquals(
        List.of("rootfs.hostPath", "rootfs.packageInstaller"),
        read.dropped().keySet().stream().sorted().toList(),
        "behaviour and host paths are not data; engine facts are the engine's");
  }

  @Test
  void aFactWhoseClassIsNotARecordIsRefusedOnRestore() {
    FactSnapshot forged =
        new FactSnapshot(
            Map.of(
                "x",
                new FactSnapshot.Fact(String.class.getName(), Json.mapper().valueToTree("text"))),
            Map.of());
    IOException e = assertThrows(IOException.class, () -> forged.values(List.of()));
    assertTrue(e.getMessage().contains("java.lang.String (expected a record)"), e.getMessage());
    FactSnapshot missing =
        new FactSnapshot(
            Map.of("x", new FactSnapshot.Fact("no.such.Type", Json.mapper().valueToTree(Map.of()))),
            Map.of());
    assertTrue(
        assertThrows(IOException.class, () -> missing.values(List.of()))
            .getMessage()
            .contains("no.such.Type"));
  }
}
