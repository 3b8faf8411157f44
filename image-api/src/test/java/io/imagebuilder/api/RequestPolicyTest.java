package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestPolicyTest {
  @Test
  void aSpecNamingAHostFileIsRefusedNamingThePathAndTheField(@TempDir Path dir) throws Exception {
    Path deb = Files.writeString(dir.resolve("private.deb"), "not for requests");
    ImageSpec spec = ImageBuilder.forSeries("bookworm").withLocalPackages(deb).spec();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RequestPolicy.noLocalPaths().checkSpec(spec));
    assertTrue(e.getMessage().contains("'" + deb + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("localPackages[].path"), e.getMessage());
  }

  @Test
  void aBaseImageByUrlAndAPpaByFingerprintNameNoHostFile() {
    ImageSpec spec =
        ImageBuilder.forSeries("noble")
            .withBaseImage("https://example.org/base.tar.zst")
            .withPpa("ppa:team/tools", "0123456789ABCDEF0123456789ABCDEF01234567")
            .spec();
    assertDoesNotThrow(() -> RequestPolicy.noLocalPaths().checkSpec(spec));
  }

  @Test
  void aPpaKeyFileIsAllowedOnlyUnderAnAllowedDirectory(@TempDir Path dir) throws Exception {
    Path allowed = Files.createDirectory(dir.resolve("keys"));
    Path key = Files.writeString(allowed.resolve("team.asc"), "key");
    Path outside = Files.writeString(dir.resolve("other.asc"), "key");
    RequestPolicy policy = RequestPolicy.allowingPathsUnder(List.of(allowed));

    assertDoesNotThrow(
        () ->
            policy.checkSpec(
                ImageBuilder.forSeries("noble").withPpa("ppa:team/tools", key).spec()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                policy.checkSpec(
                    ImageBuilder.forSeries("noble").withPpa("ppa:team/tools", outside).spec()));
    assertTrue(e.getMessage().contains("ppas[].keyFile of ppa:team/tools"), e.getMessage());
  }
}
