package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.api.stage.StandardKeys;
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
    StandardKeys.BaseImage base = new StandardKeys.BaseImage("ab".repeat(32), null);
    PackageInstaller installer = (context, options, packages) -> {};
    FactSnapshot snapshot = FactSnapshot.of(Map.of(
        StandardKeys.BASE_IMAGE.name(), base,
        StandardKeys.PACKAGE_INSTALLER.name(), installer,
        StandardKeys.MANIFEST_FILE.name(), Path.of("/out/image.manifest.json"),
        StandardKeys.STAGE_LOGS.name(), new StandardKeys.StageLogFiles(Map.of("id", "logs/01-a.log"))));

    // through JSON, as entry.json keeps it
    FactSnapshot read = Json.mapper().readValue(Json.pretty(snapshot), FactSnapshot.class);
    Map<String, Object> values = read.values(List.of(getClass().getClassLoader()));

    assertEquals(Map.of(StandardKeys.BASE_IMAGE.name(), base), values);
    assertEquals(List.of(StandardKeys.MANIFEST_FILE.name(), StandardKeys.PACKAGE_INSTALLER.name()),
        read.dropped().keySet().stream().sorted().toList(), "behaviour and host paths are not data; engine facts are the engine's");
  }

  @Test
  void aFactWhoseClassIsNotARecordIsRefusedOnRestore() {
    FactSnapshot forged = new FactSnapshot(
        Map.of("x", new FactSnapshot.Fact(String.class.getName(), Json.mapper().valueToTree("text"))), Map.of());
    IOException e = assertThrows(IOException.class, () -> forged.values(List.of()));
    assertTrue(e.getMessage().contains("java.lang.String (expected a record)"), e.getMessage());
    FactSnapshot missing = new FactSnapshot(
        Map.of("x", new FactSnapshot.Fact("no.such.Type", Json.mapper().valueToTree(Map.of()))), Map.of());
    assertTrue(assertThrows(IOException.class, () -> missing.values(List.of())).getMessage().contains("no.such.Type"));
  }

}
