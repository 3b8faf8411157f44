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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalRepositoryTest {
  @TempDir Path temp;

  private final ArchiveKey key =
      ArchiveKey.derive("test", new byte[] {1, 2, 3}, new Date(1_700_000_000_000L));

  @Test
  void writesARepositoryThatVerifiesAndListsThePackages() throws Exception {
    Path tool =
        Debs.build(
            temp, "tool", "1.2-1", "arm64", Map.of("/usr/bin/tool", "#!/bin/sh\necho tool\n"));
    Path docs =
        Debs.build(
            temp, "tool-doc", "1.2-1", "all", Map.of("/usr/share/doc/tool/README", "read me\n"));
    Path repo = temp.resolve("repo");

    LocalRepository.write(
        repo, List.of(tool, docs), "arm64", key, Instant.ofEpochSecond(1_700_000_000L));

    Repository read =
        new RepositoryClient()
            .fetch(
                RepositorySource.signed(
                    "local",
                    repo.toUri(),
                    LocalRepository.SUITE,
                    List.of(LocalRepository.COMPONENT),
                    "arm64",
                    Keyring.fromBytes("test key", key.armoredPublicKey())));
    assertEquals(key.fingerprint(), read.signedBy());
    assertEquals(
        List.of("tool", "tool-doc"),
        read.packages().stream().map(PackageRecord::name).sorted().toList());
    PackageRecord record =
        read.packages().stream().filter(p -> p.name().equals("tool")).findFirst().orElseThrow();
    assertArrayEquals(
        Files.readAllBytes(tool), Files.readAllBytes(repo.resolve(record.filename())));
    assertEquals(Files.size(tool), record.size());
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws Exception {
    Path tool = Debs.build(temp, "tool", "1.0", "all", Map.of("/usr/share/tool", "x\n"));
    Path one = temp.resolve("one");
    Path two = temp.resolve("two");
    Instant date = Instant.ofEpochSecond(1_700_000_000L);
    LocalRepository.write(one, List.of(tool), "amd64", key, date);
    LocalRepository.write(
        two,
        List.of(tool),
        "amd64",
        ArchiveKey.derive("test", new byte[] {1, 2, 3}, new Date(1_700_000_000_000L)),
        date);
    assertArrayEquals(
        Files.readAllBytes(one.resolve("dists/local/InRelease")),
        Files.readAllBytes(two.resolve("dists/local/InRelease")));
    // The key goes into the image too: its self-certification is dated like the key, not when it
    // was made.
    org.bouncycastle.openpgp.PGPPublicKey primary =
        new org.bouncycastle.openpgp.PGPPublicKeyRing(
                new org.bouncycastle.bcpg.ArmoredInputStream(
                    new java.io.ByteArrayInputStream(key.armoredPublicKey())),
                new org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator())
            .getPublicKey();
    assertEquals(new Date(1_700_000_000_000L), primary.getSignatures().next().getCreationTime());
  }

  @Test
  void refusesAPackageOfAnotherArchitecture() throws Exception {
    Path armhf = Debs.build(temp, "tool", "1.0", "armhf", Map.of("/usr/share/tool", "x\n"));
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                LocalRepository.write(
                    temp.resolve("repo"), List.of(armhf), "arm64", key, Instant.EPOCH));
    assertTrue(e.getMessage().contains("is for armhf (expected arm64 or all)"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Package: ../../../../../x|Version: 1.0|Architecture: all|Package",
        "Package: x/y|Version: 1.0|Architecture: all|Package",
        "Package: evil|Version: 1/../../../../x|Architecture: all|Version",
        "Package: evil|Version: 1.0|Architecture: ../../x|Architecture",
        "Package: evil|Version: 1.0|Architecture: all/x|Architecture",
        "Package: evil|Version: 1.0:x|Architecture: all|Version",
      })
  void aControlFieldThatCouldSteerThePoolPathIsRefusedAndNothingIsWrittenOutside(
      String name, String version, String arch, String badField) throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path deb =
        Debs.crafted(
            temp, "hostile.deb", name + "\n" + version + "\n" + arch + "\nDescription: x\n");
    Path repo = temp.resolve("deep/down/under/the/repo");

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> LocalRepository.write(repo, List.of(deb), "all", key, Instant.EPOCH));

    assertTrue(e.getMessage().contains("has an invalid " + badField + " '"), e.getMessage());
    assertTrue(e.getMessage().contains(deb.toString()), e.getMessage());
    try (var files = Files.walk(temp)) {
      assertEquals(
          List.of(),
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.equals(deb) && !f.startsWith(repo))
              .toList(),
          "nothing written beside the repository");
    }
    assertEquals(List.of(), List.of(outside.toFile().list()));
  }

  @Test
  void aControlFileCannotAddAStanzaOrItsOwnFilenameToTheIndex() throws Exception {
    Path twoStanzas =
        Debs.crafted(
            temp,
            "two.deb",
            "Package: tool\nVersion: 1.0\nArchitecture: all\n\nPackage: other\nVersion: 1\nArchitecture: all\n");
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                LocalRepository.write(
                    temp.resolve("a"), List.of(twoStanzas), "amd64", key, Instant.EPOCH));
    assertTrue(e.getMessage().contains("more than one stanza"), e.getMessage());

    Path filename =
        Debs.crafted(
            temp,
            "filename.deb",
            "Package: tool\nVersion: 1.0\nArchitecture: all\nFilename: ../../../../etc/shadow\n");
    e =
        assertThrows(
            ImageBuildException.class,
            () ->
                LocalRepository.write(
                    temp.resolve("b"), List.of(filename), "amd64", key, Instant.EPOCH));
    assertTrue(e.getMessage().contains("sets the repository field 'Filename'"), e.getMessage());
  }

  @Test
  void anEpochVersionIsAcceptedAndKeptOutOfTheFileName() throws Exception {
    Path deb =
        Debs.crafted(
            temp, "epoch.deb", "Package: tool\nVersion: 2:1.0-1~bpo1\nArchitecture: all\n");
    Path repo = temp.resolve("repo");
    LocalRepository.write(repo, List.of(deb), "amd64", key, Instant.EPOCH);
    assertTrue(Files.isRegularFile(repo.resolve("pool/tool_2%1.0-1~bpo1_all.deb")));
  }

  @Test
  void aPlantedLinkInTheRepositoryDirectoryIsNotWrittenThrough() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path repo = Files.createDirectories(temp.resolve("repo"));
    Files.createSymbolicLink(repo.resolve("pool"), outside);
    Path tool = Debs.build(temp, "tool", "1.0", "all", Map.of("/usr/share/tool", "x\n"));
    assertThrows(
        ImageBuildException.class,
        () -> LocalRepository.write(repo, List.of(tool), "amd64", key, Instant.EPOCH));
    assertEquals(List.of(), List.of(outside.toFile().list()));
  }

  @Test
  void twoFilesOfOnePackageVersionAreRefused() throws Exception {
    Path a =
        Debs.crafted(
            Files.createDirectories(temp.resolve("a")),
            "x.deb",
            "Package: tool\nVersion: 1.0\nArchitecture: all\n");
    Path b =
        Debs.crafted(
            Files.createDirectories(temp.resolve("b")),
            "x.deb",
            "Package: tool\nVersion: 1.0\nArchitecture: all\nDescription: other bytes\n");
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                LocalRepository.write(
                    temp.resolve("repo"), List.of(a, b), "amd64", key, Instant.EPOCH));
    assertTrue(e.getMessage().contains("are both tool_1.0_all.deb"), e.getMessage());
  }
}
