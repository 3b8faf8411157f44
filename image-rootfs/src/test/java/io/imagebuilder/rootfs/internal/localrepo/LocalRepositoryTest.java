package io.imagebuilder.rootfs.internal.localrepo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryTest {
  @TempDir Path temp;

  private final ArchiveKey key = ArchiveKey.derive("test", new byte[] {1, 2, 3}, new Date(1_700_000_000_000L));

  @Test
  void writesARepositoryThatVerifiesAndListsThePackages() throws Exception {
    Path tool = Debs.build(temp, "tool", "1.2-1", "arm64", Map.of("/usr/bin/tool", "#!/bin/sh\necho tool\n"));
    Path docs = Debs.build(temp, "tool-doc", "1.2-1", "all", Map.of("/usr/share/doc/tool/README", "read me\n"));
    Path repo = temp.resolve("repo");

    LocalRepository.write(repo, List.of(tool, docs), "arm64", key, Instant.ofEpochSecond(1_700_000_000L));

    Repository read = new RepositoryClient().fetch(RepositorySource.signed("local", repo.toUri(),
        LocalRepository.SUITE, List.of(LocalRepository.COMPONENT), "arm64",
        Keyring.fromBytes("test key", key.armoredPublicKey())));
    assertEquals(key.fingerprint(), read.signedBy());
    assertEquals(List.of("tool", "tool-doc"), read.packages().stream().map(PackageRecord::name).sorted().toList());
    PackageRecord record = read.packages().stream().filter(p -> p.name().equals("tool")).findFirst().orElseThrow();
    assertArrayEquals(Files.readAllBytes(tool), Files.readAllBytes(repo.resolve(record.filename())));
    assertEquals(Files.size(tool), record.size());
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws Exception {
    Path tool = Debs.build(temp, "tool", "1.0", "all", Map.of("/usr/share/tool", "x\n"));
    Path one = temp.resolve("one");
    Path two = temp.resolve("two");
    Instant date = Instant.ofEpochSecond(1_700_000_000L);
    LocalRepository.write(one, List.of(tool), "amd64", key, date);
    LocalRepository.write(two, List.of(tool), "amd64",
        ArchiveKey.derive("test", new byte[] {1, 2, 3}, new Date(1_700_000_000_000L)), date);
    assertArrayEquals(Files.readAllBytes(one.resolve("dists/local/InRelease")),
        Files.readAllBytes(two.resolve("dists/local/InRelease")));
    // The key goes into the image too: its self-certification is dated like the key, not when it was made.
    org.bouncycastle.openpgp.PGPPublicKey primary = new org.bouncycastle.openpgp.PGPPublicKeyRing(
        new org.bouncycastle.bcpg.ArmoredInputStream(new java.io.ByteArrayInputStream(key.armoredPublicKey())),
        new org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator()).getPublicKey();
    assertEquals(new Date(1_700_000_000_000L), primary.getSignatures().next().getCreationTime());
  }

  @Test
  void refusesAPackageOfAnotherArchitecture() throws Exception {
    Path armhf = Debs.build(temp, "tool", "1.0", "armhf", Map.of("/usr/share/tool", "x\n"));
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> LocalRepository.write(temp.resolve("repo"), List.of(armhf), "arm64", key, Instant.EPOCH));
    assertTrue(e.getMessage().contains("is for armhf (expected arm64 or all)"), e.getMessage());
  }
}
