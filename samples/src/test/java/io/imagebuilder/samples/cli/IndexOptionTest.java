package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.ImageIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexOptionTest {
  @TempDir Path dir;

  @Test
  void theIndexIsTheOneBuildRecordsIn() {
    IndexOption option = new IndexOption();
    assertEquals(ImageIndex.defaultFile().toAbsolutePath().normalize(), option.file());

    option.cache = dir;
    assertEquals(dir.resolve("index.db"), option.file());
  }

  @Test
  void aMissingIndexIsNotOpenedNorCreated() throws Exception {
    IndexOption option = new IndexOption();
    option.cache = dir.resolve("cache");

    assertTrue(option.openIfExists().isEmpty());
    assertTrue(Files.notExists(dir.resolve("cache")));
    assertEquals(
        "(the index " + dir.resolve("cache/index.db") + " does not exist)", option.where());
    assertEquals(
        "is not indexed (the index " + dir.resolve("cache/index.db") + " does not exist)",
        option.notIn());
  }

  @Test
  void anExistingIndexIsOpened() throws Exception {
    IndexOption option = new IndexOption();
    option.cache = dir;
    ImageIndex.open(dir.resolve("index.db")).close();

    try (ImageIndex index = option.openIfExists().orElseThrow()) {
      assertEquals(0, index.buildCount());
    }
    assertEquals("in the index " + dir.resolve("index.db"), option.where());
    assertEquals("is not in the index " + dir.resolve("index.db"), option.notIn());
  }
}
