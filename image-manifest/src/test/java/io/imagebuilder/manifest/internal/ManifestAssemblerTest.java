package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestAssemblerTest {
  @TempDir Path dir;

  private Manifest assemble() throws IOException {
    return ManifestAssembler.assemble(
        Fixtures.spec(),
        DpkgStatus.read(Fixtures.rootfs(dir)),
        Fixtures.repositories(),
        Fixtures.origins(),
        Fixtures.build());
  }

  @Test
  void joinsInstalledPackagesWithTheirDebs() throws IOException {
    ManifestPackage ssh = assemble().findPackage("openssh-server").orElseThrow();

    assertEquals(
        new ManifestPackage(
            "openssh-server",
            "1:9.2p1-2+deb12u2",
            "amd64",
            "foreign",
            "openssh",
            "1:9.2p1-2+deb12u2",
            Fixtures.DEB_SHA_OPENSSH,
            "debian"),
        ssh);
  }

  @Test
  void originOfAnotherVersionOrArchitectureIsNotAttached() throws IOException {
    Manifest m = assemble();
    ManifestPackage tzdata = m.findPackage("tzdata").orElseThrow();
    ManifestPackage libc6i386 =
        m.packages().stream()
            .filter(p -> p.name().equals("libc6") && p.architecture().equals("i386"))
            .findFirst()
            .orElseThrow();

    assertNull(tzdata.debSha256());
    assertNull(tzdata.repository());
    assertNull(libc6i386.debSha256());
  }

  @Test
  void specHashIsTheHashOfTheRecordedSpec() throws IOException {
    Manifest m = assemble();

    assertEquals(Fixtures.spec().specHash(), m.specHash());
    assertEquals(Fixtures.spec().toCanonicalJson(), m.specJson());
    assertEquals(
        Sha256.of(m.specJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)), m.specHash());
    assertEquals(Fixtures.spec(), m.toSpec());
  }

  @Test
  void lockPinsEveryPackageAndRepository() throws IOException {
    Manifest m = assemble();

    assertEquals(
        List.of(
            "base-files:amd64=12.4+deb12u5",
            "libc6:amd64=2.36-9+deb12u4",
            "libc6:i386=2.36-9+deb12u4",
            "libssl3:amd64=3.0.11-1~deb12u2+b1",
            "openssh-server:amd64=1:9.2p1-2+deb12u2",
            "tzdata:all=2024a-0+deb12u1"),
        m.lock().packages().stream().map(Lock.LockedPackage::entry).toList());
    assertEquals(Fixtures.INRELEASE_SHA, m.lock().repositories().get(0).inReleaseSha256());
    assertEquals("Sat, 11 Nov 2023 09:45:12 UTC", m.lock().repositories().get(0).date());
    assertEquals(1_700_000_000L, m.lock().sourceDateEpoch());
  }
}
