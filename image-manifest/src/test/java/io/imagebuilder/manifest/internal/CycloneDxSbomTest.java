package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycloneDxSbomTest {
  @TempDir Path dir;

  private String sbom() throws Exception {
    Manifest m =
        Fixtures.manifest(
            Fixtures.rootfs(dir), Fixtures.spec(), "bookworm-amd64.tar.zst", "tarball bytes");
    return CycloneDxSbom.of(m, "bookworm-amd64");
  }

  @Test
  void validatesAgainstTheCycloneDx16Schema() throws Exception {
    List<ParseException> errors =
        new JsonParser().validate(sbom().getBytes(StandardCharsets.UTF_8), CycloneDxSbom.VERSION);

    assertEquals(List.of(), errors.stream().map(Throwable::getMessage).toList());
  }

  @Test
  void theValidatorRejectsABrokenSbom() throws Exception {
    // Proves the check above can fail: a component without its required name is invalid.
    String broken = sbom().replaceFirst("\"name\" : \"base-files\",", "");

    assertNotEquals(sbom(), broken);
    assertFalse(
        new JsonParser()
            .validate(broken.getBytes(StandardCharsets.UTF_8), CycloneDxSbom.VERSION)
            .isEmpty());
  }

  @Test
  void everyPackageIsAComponentWithItsPurlHashAndRepository() throws Exception {
    Bom bom = new JsonParser().parse(sbom().getBytes(StandardCharsets.UTF_8));

    assertEquals(6, bom.getComponents().size());
    Component ssh =
        bom.getComponents().stream()
            .filter(c -> c.getName().equals("openssh-server"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "pkg:deb/debian/openssh-server@1%3A9.2p1-2%2Bdeb12u2?arch=amd64&distro=bookworm",
        ssh.getPurl());
    assertEquals(Fixtures.DEB_SHA_OPENSSH, ssh.getHashes().get(0).getValue());
    assertEquals("http://deb.debian.org/debian", ssh.getExternalReferences().get(0).getUrl());
    assertTrue(
        ssh.getProperties().stream()
            .anyMatch(
                p ->
                    p.getName().equals("imagebuilder:repository")
                        && p.getValue().equals("debian")));
    assertEquals("bookworm-amd64", bom.getMetadata().getComponent().getName());
    assertEquals(
        Fixtures.sha("tarball bytes"),
        bom.getMetadata().getComponent().getHashes().get(0).getValue());
  }

  @Test
  void sameManifestSameBytes() throws Exception {
    assertEquals(sbom(), sbom());
  }
}
