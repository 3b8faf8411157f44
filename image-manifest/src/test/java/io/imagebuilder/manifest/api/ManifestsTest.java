package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.Tarballs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestsTest {
  @TempDir Path dir;

  @Test
  void fromRootfsListsEveryInstalledPackage() throws IOException {
    Manifest m =
        Manifests.fromRootfs(
            Fixtures.spec(),
            Fixtures.rootfs(dir.resolve("root")),
            Fixtures.repositories(),
            Fixtures.origins(),
            Fixtures.build());

    assertEquals(6, m.packages().size());
    assertEquals("debian", m.repositories().get(0).name());
    assertEquals(Fixtures.spec().specHash(), m.specHash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rootfs.tar", "rootfs.tar.gz", "rootfs.tar.xz", "rootfs.tar.zst"})
  void readsTheEmbeddedManifestOfATarball(String name) throws IOException {
    Path root = Fixtures.rootfs(dir.resolve("root"));
    Manifest embedded = Fixtures.manifest(root, Fixtures.spec(), "x.tar", "x").embeddedCopy();
    Path file = root.resolve(Manifests.EMBEDDED_PATH.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, embedded.toJson(), StandardCharsets.UTF_8);
    Path tarball = Tarballs.write(root, dir.resolve(name));

    assertEquals(embedded, Manifests.readEmbedded(tarball).orElseThrow());
  }

  @Test
  void tarballWithoutManifestHasNone() throws IOException {
    Path tarball =
        Tarballs.write(Fixtures.rootfs(dir.resolve("root")), dir.resolve("plain.tar.gz"));

    assertTrue(Manifests.readEmbedded(tarball).isEmpty());
  }

  @Test
  void fileOfUnknownKindHasNone() throws IOException {
    Path raw = Files.write(dir.resolve("disk.img"), new byte[1 << 20]);

    assertTrue(Manifests.readEmbedded(raw).isEmpty());
  }

  @Test
  void damagedEmbeddedManifestIsAnErrorNamingTheFile() throws IOException {
    Path root = Fixtures.rootfs(dir.resolve("root"));
    Path file = root.resolve(Manifests.EMBEDDED_PATH.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"schemaVersion\": 1, \"spec\": ");
    Path tarball = Tarballs.write(root, dir.resolve("bad.tar.zst"));

    IOException e = assertThrows(IOException.class, () -> Manifests.readEmbedded(tarball));
    assertTrue(e.getMessage().contains(tarball.toString()), e.getMessage());
  }

  @Test
  void readParsesAManifestFile() throws IOException {
    Manifest m =
        Fixtures.manifest(Fixtures.rootfs(dir.resolve("root")), Fixtures.spec(), "x.tar.zst", "x");
    Path file = Files.writeString(dir.resolve("x.manifest.json"), m.toJson());

    assertEquals(m, Manifests.read(file));
  }

  @Test
  void ubuntuManifestAndSbomAreOffered() throws IOException {
    Manifest m =
        Fixtures.manifest(Fixtures.rootfs(dir.resolve("root")), Fixtures.spec(), "x.tar.zst", "x");

    assertTrue(Manifests.ubuntuManifest(m).contains("openssh-server\t1:9.2p1-2+deb12u2\n"));
    assertTrue(Manifests.cycloneDx(m, "x").contains("\"bomFormat\" : \"CycloneDX\""));
  }
}
