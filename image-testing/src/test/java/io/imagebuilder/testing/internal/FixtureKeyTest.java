package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureKeyTest {
  @TempDir Path runDir;

  @Test
  void theKeyIsMadeOnceKeptPrivateAndReadBackTheSame() throws Exception {
    FixtureKey first = FixtureKey.in(runDir, Duration.ofSeconds(5));
    FixtureKey again = FixtureKey.in(runDir, Duration.ofSeconds(5));

    assertTrue(
        first.authorizedKey().matches("ecdsa-sha2-nistp256 [A-Za-z0-9+/=]+ imagebuilder-fixture"),
        first.authorizedKey());
    assertEquals(first.authorizedKey(), again.authorizedKey(), "the same key every run");
    assertArrayEquals(
        first.keyPair().getPrivate().getEncoded(), again.keyPair().getPrivate().getEncoded());
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(again.keyPair().getPrivate());
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(first.keyPair().getPublic());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature), "the halves read back belong together");

    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.resolve("ssh"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(runDir.resolve("ssh/fixture-key.pkcs8"))));
  }

  @Test
  void aDamagedKeyFileFailsNamingTheDirectoryAndTheWayOut() throws Exception {
    FixtureKey.in(runDir, Duration.ofSeconds(5));
    Files.writeString(runDir.resolve("ssh/fixture-key.pkcs8"), "bm90IGEga2V5\n");

    IOException e =
        assertThrows(IOException.class, () -> FixtureKey.in(runDir, Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains(runDir.resolve("ssh").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("delete the directory"), e.getMessage());
  }
}
