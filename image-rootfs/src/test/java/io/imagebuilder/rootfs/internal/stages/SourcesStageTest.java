package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.stage.StandardKeys;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesStageTest {
  @TempDir Path temp;

  /** A signed file: repository with one package, and its key as an armored file. */
  private Path signedRepository(String name, ArchiveKey key) throws Exception {
    Path repo = temp.resolve(name);
    new TestRepository(repo, "stable", "stable")
        .add("main", "arm64", TestRepository.stanza("tool", "1.0", "arm64"))
        .write(key);
    return repo;
  }

  private Path keyFile(String name, byte[] key) throws Exception {
    return Files.write(temp.resolve(name), key);
  }

  @Test
  void writesDeb822SourcesEachWithItsOwnKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("etc/apt"));
    Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://old bookworm main\n");
    ArchiveKey vendorKey = ArchiveKey.generate("vendor");
    Path vendorRepo = signedRepository("vendor-repo", vendorKey);
    Path vendorKeyFile = keyFile("vendor.asc", vendorKey.armoredPublicKey());
    Path labRepo = signedRepository("lab-repo", ArchiveKey.generate("lab"));
    ImageSpec spec = ImageSpec.builder("bookworm").architecture(Architecture.ARM64)
        .components(List.of("main", "contrib"))
        .addRepository(AptSource.signed("vendor", vendorRepo.toUri().toString(), "stable", List.of("main"), vendorKeyFile.toString()))
        .addRepository(new AptSource("lab", labRepo.toUri().toString(), "stable", List.of("main"), null, null, true, false))
        .build();
    TestStageContext context = new TestStageContext(spec, root, temp);

    new SourcesStage(spec).run(context);

    assertFalse(Files.exists(root.resolve("etc/apt/sources.list")));
    assertEquals("""
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """, Files.readString(root.resolve("etc/apt/sources.list.d/debian.sources")));
    assertTrue(Files.readString(root.resolve("etc/apt/sources.list.d/vendor.sources"))
        .contains("Signed-By: /etc/apt/keyrings/vendor.asc\n"));
    assertArrayEquals(vendorKey.armoredPublicKey(), Files.readAllBytes(root.resolve("etc/apt/keyrings/vendor.asc")));
    assertTrue(Files.readString(root.resolve("etc/apt/sources.list.d/lab.sources")).contains("Trusted: yes\n"));
    List<UsedRepository> used = context.get(StandardKeys.REPOSITORIES).orElseThrow().list();
    assertEquals(List.of("vendor", "lab"), used.stream().map(UsedRepository::name).toList());
    assertEquals(vendorKey.fingerprint(), used.get(0).keyFingerprint());
  }

  @Test
  void aSourceSignedByAnotherKeyFailsBeforeAnyWorkNamingTheSourceAndTheKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path repo = signedRepository("vendor-repo", ArchiveKey.generate("real signer"));
    Path wrongKey = keyFile("wrong.asc", ArchiveKey.generate("someone else").armoredPublicKey());
    ImageSpec spec = ImageSpec.builder("bookworm").architecture(Architecture.ARM64)
        .addRepository(AptSource.signed("vendor", repo.toUri().toString(), "stable", List.of("main"), wrongKey.toString()))
        .build();
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new SourcesStage(spec).verify(new TestStageContext(spec, root, temp)));
    assertTrue(e.getMessage().contains("source 'vendor'") && e.getMessage().contains(wrongKey.toString()), e.getMessage());
    assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/vendor.sources")), "nothing is configured");
  }

  @Test
  void aPpaIsWrittenWithItsLaunchpadArchiveAndKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path ppaKey = keyFile("ppa.gpg", ArchiveKey.generate("ppa").binaryPublicKey());
    ImageSpec spec = ImageSpec.builder("noble").architecture(Architecture.AMD64)
        .addPpa(new Ppa("ppa:team/tools", null, ppaKey.toString())).build();
    List<Deb822Source> sources = new SourcesStage(spec).sources(root);
    Deb822Source ppa = sources.get(1);
    assertEquals("https://ppa.launchpadcontent.net/team/tools/ubuntu", ppa.uri());
    assertEquals(List.of("noble"), ppa.suites());
    assertEquals("/etc/apt/keyrings/ppa-team-tools.gpg", ppa.signedBy());
    assertTrue(Files.exists(root.resolve("etc/apt/keyrings/ppa-team-tools.gpg")));
  }

  @Test
  void aPpaWithoutKeyFileFailsBeforeAnyWork() {
    ImageSpec spec = ImageSpec.builder("noble").architecture(Architecture.AMD64)
        .addPpa(new Ppa("ppa:team/tools", "0123456789ABCDEF0123456789ABCDEF01234567", null)).build();
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new SourcesStage(spec).verify(new TestStageContext(spec, temp, temp)));
    assertTrue(e.getMessage().startsWith("PPA 'ppa:team/tools' has no key file"), e.getMessage());
  }
}
