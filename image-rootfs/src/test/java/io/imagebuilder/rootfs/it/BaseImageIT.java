package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestBaseImage;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds bookworm minbase amd64 to a tar.zst, then a derived image from it with {@code hello}
 * added, twice: the derived image is a proper system, names its base, and is reproducible.
 */
class BaseImageIT {
  @TempDir Path temp;

  private static ImageBuilder amd64() {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .withVariant("minbase")
        .withOutputs(OutputFormat.TAR_ZST);
  }

  @Test
  void aDerivedImageStartsFromTheBaseAddsPackagesNamesItsBaseAndIsReproducible() throws Exception {
    long start = System.nanoTime();
    BuildResult base = amd64().build(ItEnvironment.run(temp.resolve("base")));
    Artifact baseTarball = base.artifact(OutputFormat.TAR_ZST).orElseThrow();
    long baseDone = System.nanoTime();

    BuildResult first =
        amd64()
            .withBaseImage(baseTarball.file().toString())
            .withPackages("hello")
            .build(ItEnvironment.run(temp.resolve("derived-1")));
    long firstDone = System.nanoTime();
    BuildResult second =
        ImageBuilder.fromSpec(first.spec()).build(ItEnvironment.run(temp.resolve("derived-2")));
    System.out.printf(
        "BaseImageIT: base %.1f s, derived %.1f s, derived again %.1f s%n",
        (baseDone - start) / 1e9,
        (firstDone - baseDone) / 1e9,
        (System.nanoTime() - firstDone) / 1e9);

    assertEquals("rootfs.base", first.stages().get(0).type());
    // The same base bytes under another path: the same ids for every stage that builds the tree,
    // so the stage cache serves it; the manifest stages record the spec, which holds the path,
    // so they and the stages after them differ.
    Path moved = Files.copy(baseTarball.file(), temp.resolve("copy-of-base.tar.zst"));
    Plan here = amd64().withBaseImage(baseTarball.file().toString()).withPackages("hello").plan();
    Plan there = amd64().withBaseImage(moved.toString()).withPackages("hello").plan();
    assertEquals(treeStageIds(here), treeStageIds(there), "ids follow the bytes, not the path");
    assertTrue(treeStageIds(here).size() >= 4, here::toJson);
    Artifact derived = first.artifact(OutputFormat.TAR_ZST).orElseThrow();
    Artifact again = second.artifact(OutputFormat.TAR_ZST).orElseThrow();
    assertEquals(derived.sha256(), again.sha256(), "byte-identical derived tarballs");
    assertArrayEquals(Files.readAllBytes(derived.file()), Files.readAllBytes(again.file()));

    Manifest baseManifest = Manifests.readEmbedded(baseTarball.file()).orElseThrow();
    Manifest embedded = Manifests.readEmbedded(derived.file()).orElseThrow();
    ManifestBaseImage expected = new ManifestBaseImage(baseTarball.sha256(), base.specHash());
    assertEquals(expected, embedded.baseImage(), "the embedded manifest names the base");
    assertEquals(
        expected,
        Manifests.read(first.manifest().orElseThrow()).baseImage(),
        "so does the one beside it");
    assertEquals(
        first.specHash(), embedded.specHash(), "the embedded manifest is the derived image's own");
    assertEquals(
        baseManifest.build().sourceDateEpoch(),
        embedded.build().sourceDateEpoch(),
        "SOURCE_DATE_EPOCH comes from the base");
    assertTrue(
        embedded.findPackage("hello").orElseThrow().debSha256() != null,
        "hello's .deb is recorded");
    assertEquals(
        baseManifest.findPackage("dpkg").orElseThrow().debSha256(),
        embedded.findPackage("dpkg").orElseThrow().debSha256(),
        "packages of the base keep their .deb hashes");

    Path root = ItEnvironment.extract(derived.file(), temp.resolve("derived-root"));
    assertEquals(
        "Hello, world!\n", ItEnvironment.host(List.of("chroot", root.toString(), "hello")));
    List<String> status =
        ItEnvironment.host(
                List.of(
                    "chroot",
                    root.toString(),
                    "dpkg-query",
                    "-W",
                    "-f",
                    "${db:Status-Abbrev}${binary:Package}\n"))
            .lines()
            .toList();
    assertTrue(status.size() > 80, status.toString());
    assertEquals(
        List.of(),
        status.stream().filter(l -> !l.startsWith("ii ")).toList(),
        "every package is ii");
    assertTrue(status.contains("ii hello"), status.toString());
    assertFalse(Files.exists(root.resolve("var/lib/apt/lists/lock")), "finalise ran: no apt lists");
  }

  /** The ids of the stages before the first manifest stage: those that build the tree. */
  private static List<String> treeStageIds(Plan plan) {
    List<String> ids = new ArrayList<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.type().startsWith("manifest.")) {
        break;
      }
      ids.add(stage.id());
    }
    return ids;
  }
}
