package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.testing.DiskImageFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a person holding only a raw disk image gets back, and what a build leaves beside it: the
 * spec from the manifest embedded in the root partition (read without mounting, the index knowing
 * nothing of the image), and one log per stage.
 */
class RawImageIdentifyIT {
  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("pc-amd64", "bookworm", "openssh-server");

  @Test
  void aCopyOfARawImageIsIdentifiedByItsEmbeddedManifestWithNoIndexEntry() throws Exception {
    Path work = ItBuilds.freshWorkDir("raw-identify");
    Path copy = work.resolve("copy-of-disk.img");
    ItBuilds.host("cp", "--sparse=always", IMAGE.diskImage().toString(), copy.toString());

    try (ImageIndex empty = ImageIndex.open(work.resolve("empty-index.db"))) {
      Identification id =
          empty
              .identify(copy)
              .orElseThrow(() -> new AssertionError("no embedded manifest found in " + copy));
      assertEquals(Identification.Source.EMBEDDED, id.source());
      assertEquals(IMAGE.diskSha256(), id.sha256());
      assertEquals(IMAGE.result().specHash(), id.manifest().specHash());
      assertEquals(
          IMAGE.result().spec(), id.manifest().toSpec(), "the embedded spec is the one built");
      assertTrue(
          id.manifest().packages().stream().anyMatch(p -> p.name().equals("openssh-server")),
          "the embedded package list holds openssh-server");
    }
  }

  @Test
  void eachStageLeftItsLogBesideTheImage() throws Exception {
    Path logs = IMAGE.diskImage().resolveSibling("logs");
    List<String> names;
    try (Stream<Path> files = Files.list(logs)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(IMAGE.result().stages().size(), names.size(), "one log per stage: " + names);
    assertTrue(names.get(0).equals("01-rootfs.bootstrap.log"), names.toString());
    String kernel =
        Files.readString(
            logs.resolve(
                names.stream()
                    .filter(n -> n.endsWith("-board.kernel.log"))
                    .findFirst()
                    .orElseThrow()));
    assertTrue(
        kernel.contains("$ ") && kernel.contains("linux-image-amd64"),
        "the kernel stage's log shows the commands it ran and their output:\n"
            + kernel.lines().limit(20).toList());
  }
}
