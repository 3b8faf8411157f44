package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapStageTest {
  @TempDir Path temp;
  private String mirror;
  private Path keyFile;

  @BeforeEach
  void archive() throws Exception {
    Path root = temp.resolve("mirror");
    ArchiveKey key = ArchiveKey.generate("Archive <archive@example.org>");
    new TestRepository(root, "bookworm", "bookworm")
        .add("main", "amd64", TestRepository.stanza("curl", "7.88", "amd64"))
        .add("main", "amd64", TestRepository.stanza("openssh-server", "9.2", "amd64"))
        .add("main", "amd64", TestRepository.stanza("mawk", "1.3", "amd64", "Provides: awk"))
        .write(key);
    mirror = root.toUri().toString();
    keyFile = Files.write(temp.resolve("archive.asc"), key.armoredPublicKey());
  }

  private ImageSpec.Builder spec(String... packages) {
    ImageSpec.Builder b =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .mirror(mirror)
            .mirrorKey(keyFile.toString());
    for (String p : packages) {
      b.addPackage(p);
    }
    return b;
  }

  private void verify(ImageSpec spec) throws Exception {
    TestStageContext context =
        new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);
    new BootstrapStage(BootstrapStage.Options.of(spec)).verify(context);
    // The packages stage checks the names, before any stage runs.
    new PackagesStage(PackagesStage.Options.of(spec)).verify(context);
  }

  @Test
  void unknownPackagesFailBeforeTheBootstrapNamingTheNearestNames() {
    ImageSpec spec = spec("curl", "no-such-package", "opensh-server").build();
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> verify(spec));
    assertEquals(
        "unknown packages 'no-such-package' (no similar name), 'opensh-server' (nearest: openssh-server)"
            + " in bookworm main for amd64 (expected names the archive's Packages index lists)",
        e.getMessage());
  }

  @Test
  void knownRealAndVirtualPackagesPassWithVersionsOrArchitectures() {
    assertDoesNotThrow(
        () -> verify(spec("curl", "awk", "openssh-server=9.2", "libfoo:i386").build()));
  }

  @Test
  void anotherSourceMightBringTheNameSoNothingIsCheckedThen() {
    ImageSpec spec =
        spec("from-the-ppa").addPpa(new Ppa("ppa:owner/tools", null, keyFile.toString())).build();
    assertDoesNotThrow(() -> verify(spec));
  }
}
