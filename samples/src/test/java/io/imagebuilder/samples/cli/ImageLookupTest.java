package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.samples.testing.IndexFixture;
import io.imagebuilder.samples.testing.IndexFixture.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLookupTest {
  @TempDir Path dir;

  private IndexOption cache(Path cacheDir) {
    IndexOption option = new IndexOption();
    option.cache = cacheDir;
    return option;
  }

  @Test
  void anIndexedFileComesFromTheIndexAnOtherFromItsEmbeddedManifest() throws Exception {
    Path cacheDir = dir.resolve("cache");
    Image indexed = IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a"), false);
    Image loose = IndexFixture.image(dir, "b.tar.gz", IndexFixture.spec("b"), false);
    IndexFixture.record(cacheDir, indexed);

    Identification a = ImageLookup.identify(cache(cacheDir), indexed.file()).orElseThrow();
    Identification b = ImageLookup.identify(cache(cacheDir), loose.file()).orElseThrow();

    assertEquals(Identification.Source.INDEX, a.source());
    assertEquals(indexed.sha256(), a.sha256());
    assertEquals(Identification.Source.EMBEDDED, b.source());
    assertEquals(loose.sha256(), b.sha256());
    assertEquals(loose.spec().specHash(), b.manifest().specHash());
  }

  @Test
  void withoutAnIndexAFileIsStillIdentifiedWithItsHash() throws Exception {
    Image loose = IndexFixture.image(dir, "b.tar.gz", IndexFixture.spec("b"), false);

    Identification id =
        ImageLookup.identify(cache(dir.resolve("none")), loose.file()).orElseThrow();

    assertEquals(loose.sha256(), id.sha256());
    assertEquals(Identification.Source.EMBEDDED, id.source());
    assertFalse(Files.exists(dir.resolve("none")));
  }

  @Test
  void resolveTakesAFileOrASha256AndNothingElse() throws Exception {
    Path cacheDir = dir.resolve("cache");
    Image indexed = IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a"), false);
    IndexFixture.record(cacheDir, indexed);

    assertEquals(
        indexed.sha256(),
        ImageLookup.resolve(cache(cacheDir), indexed.file().toString()).orElseThrow().sha256());
    assertTrue(ImageLookup.resolve(cache(cacheDir), indexed.sha256()).isPresent());
    assertEquals(
        Optional.empty(), ImageLookup.resolve(cache(cacheDir), IndexFixture.sha256("other")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageLookup.resolve(cache(cacheDir), "abc123"));
    assertTrue(e.getMessage().startsWith("invalid image 'abc123'"), e.getMessage());
  }
}
