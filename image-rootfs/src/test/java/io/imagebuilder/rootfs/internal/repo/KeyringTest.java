package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

  @TempDir Path dir;

  @Test
  void loadsArmoredAndBinaryFiles() throws Exception {
    ArchiveKey key = ArchiveKey.generate("A <a@example.org>");
    Path armored = dir.resolve("key.asc");
    Files.write(armored, key.armoredPublicKey());
    Path binary = dir.resolve("key.gpg");
    Files.write(binary, key.binaryPublicKey());
    assertEquals(List.of(key.fingerprint()), Keyring.load(armored).fingerprints());
    assertEquals(List.of(key.fingerprint()), Keyring.load(binary).fingerprints());
    assertEquals(armored.toString(), Keyring.load(armored).origin());
  }

  @Test
  void loadsSeveralKeysFromOneFile() throws Exception {
    ArchiveKey a = ArchiveKey.generate("A <a@example.org>");
    ArchiveKey b = ArchiveKey.generate("B <b@example.org>");
    String both = new String(a.armoredPublicKey(), StandardCharsets.US_ASCII) + "\n"
        + new String(b.armoredPublicKey(), StandardCharsets.US_ASCII);
    assertEquals(List.of(a.fingerprint(), b.fingerprint()),
        Keyring.fromBytes("both", both.getBytes(StandardCharsets.US_ASCII)).fingerprints());
    byte[] binary = new byte[a.binaryPublicKey().length + b.binaryPublicKey().length];
    System.arraycopy(a.binaryPublicKey(), 0, binary, 0, a.binaryPublicKey().length);
    System.arraycopy(b.binaryPublicKey(), 0, binary, a.binaryPublicKey().length, b.binaryPublicKey().length);
    assertEquals(List.of(a.fingerprint(), b.fingerprint()), Keyring.fromBytes("bin", binary).fingerprints());
  }

  @Test
  void rejectsFilesWithoutKeysNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Keyring.fromBytes("/etc/notakey", "hello".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("/etc/notakey"), e.getMessage());
  }

  @Test
  void theBundledDebianKeyringHasTheBookwormKeys() {
    List<String> fprs = Keyring.debianArchive().fingerprints();
    // Debian Archive Automatic Signing Key (12/bookworm) and Debian Stable Release Key (12/bookworm)
    assertTrue(fprs.contains("B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8"), fprs.toString());
    assertTrue(fprs.contains("4D64FEC119C2029067D6E791F8D2585B8783D481"), fprs.toString());
  }

  @Test
  void ubuntuKeysAreNotBundledAndSaySo() {
    IllegalStateException e = assertThrows(IllegalStateException.class, Keyring::ubuntuArchive);
    assertTrue(e.getMessage().contains("pass the key with the source"), e.getMessage());
  }
}
