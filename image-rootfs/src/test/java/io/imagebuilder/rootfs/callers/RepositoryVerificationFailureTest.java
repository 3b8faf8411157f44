package io.imagebuilder.rootfs.callers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.internal.testing.TestExecutors;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a caller sees when a mirror's InRelease was changed after signing: a build through the
 * public API fails with a {@link StageFailedException} whose typed cause names the source and the
 * reason. Only the fixture (the signed repository on loopback) uses internal types; {@link
 * #buildAndReadTheCause} is caller code and imports nothing internal.
 */
class RepositoryVerificationFailureTest {
  @TempDir Path temp;

  /** The caller's side: build, catch, read the typed cause. */
  private RepositoryVerificationException buildAndReadTheCause(String mirror, Path keyFile) {
    ImageBuilder image =
        ImageBuilder.forSeries("bookworm").forArchitecture("amd64").withMirror(mirror, keyFile);
    RunConfiguration run =
        RunConfiguration.into(temp.resolve("out"))
            .withCacheDir(temp.resolve("cache"))
            .withExecutor(
                TestExecutors.refusing("no command may run before the repository verifies"));
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> image.build(run));
    assertTrue(e instanceof StageFailedException, e.toString());
    return e.findCause(RepositoryVerificationException.class)
        .orElseThrow(() -> new AssertionError("no RepositoryVerificationException in " + e, e));
  }

  @Test
  void aTamperedInReleaseFailsTheBuildWithTheSourceAndReason() throws Exception {
    Path archive = Files.createDirectory(temp.resolve("archive"));
    ArchiveKey key = ArchiveKey.generate("Test Archive <archive@example.org>");
    new TestRepository(archive, "bookworm", "bookworm")
        .add(
            "main",
            "amd64",
            TestRepository.stanza("base-files", "12.4", "amd64", "Priority: required"))
        .write(key);
    Path inRelease = archive.resolve("dists/bookworm/InRelease");
    String signed = Files.readString(inRelease, StandardCharsets.UTF_8);
    Files.writeString(
        inRelease, signed.replace("Label: Test", "Label: Evil"), StandardCharsets.UTF_8);
    Path keyFile = temp.resolve("archive.asc");
    Files.write(keyFile, key.armoredPublicKey());

    try (DirectoryServer server = DirectoryServer.serve(archive, "/debian")) {
      RepositoryVerificationException cause = buildAndReadTheCause(server.uri(), keyFile);

      assertEquals(
          RepositoryVerificationException.Reason.BAD_SIGNATURE, cause.reason(), cause.getMessage());
      assertTrue(cause.source().contains("InRelease"), cause.source());
      assertTrue(
          cause.getMessage().contains("BAD signature by key " + key.fingerprint()),
          cause.getMessage());
      assertFalse(Files.exists(temp.resolve("out").resolve("rootfs.tar")), "no artifact");
    }
  }
}
