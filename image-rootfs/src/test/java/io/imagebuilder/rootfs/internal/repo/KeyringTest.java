package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
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
    String both =
        new String(a.armoredPublicKey(), StandardCharsets.US_ASCII)
            + "\n"
            + new String(b.armoredPublicKey(), StandardCharsets.US_ASCII);
    assertEquals(
        List.of(a.fingerprint(), b.fingerprint()),
        Keyring.fromBytes("both", both.getBytes(StandardCharsets.US_ASCII)).fingerprints());
    byte[] binary = new byte[a.binaryPublicKey().length + b.binaryPublicKey().length];
    System.arraycopy(a.binaryPublicKey(), 0, binary, 0, a.binaryPublicKey().length);
    System.arraycopy(
        b.binaryPublicKey(), 0, binary, a.binaryPublicKey().length, b.binaryPublicKey().length);
    assertEquals(
        List.of(a.fingerprint(), b.fingerprint()), Keyring.fromBytes("bin", binary).fingerprints());
  }

  @Test
  void rejectsFilesWithoutKeysNamingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Keyring.fromBytes("/etc/notakey", "hello".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("/etc/notakey"), e.getMessage());
  }

  @Test
  void theBundledDebianKeyringHasTheBookwormKeys() {
    List<String> fprs = Keyring.debianArchive().fingerprints();
    // Debian Archive Automatic Signing Key (12/bookworm) and Debian Stable Release Key
    // (12/bookworm)
    assertTrue(fprs.contains("B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8"), fprs.toString());
    assertTrue(fprs.contains("4D64FEC119C2029067D6E791F8D2585B8783D481"), fprs.toString());
  }

  @Test
  void ubuntuKeysAreNotBundledAndSaySo() {
    IllegalStateException e = assertThrows(IllegalStateException.class, Keyring::ubuntuArchive);
    assertTrue(e.getMessage().contains("pass the key with the source"), e.getMessage());
  }

  @Test
  void aUnionTrustsTheKeysOfEachPart() throws Exception {
    ArchiveKey a = ArchiveKey.generate("A <a@example.org>");
    ArchiveKey b = ArchiveKey.generate("B <b@example.org>");
    Keyring union =
        Keyring.union(
            "a.asc, b.gpg",
            List.of(a.keyring("a.asc"), Keyring.fromBytes("b.gpg", b.binaryPublicKey())));
    assertEquals(List.of(a.fingerprint(), b.fingerprint()), union.fingerprints());
    assertEquals("a.asc, b.gpg", union.origin());
    assertEquals(
        b.fingerprint(),
        SignatureVerifier.verifyClearsigned("InRelease", b.clearsign("Suite: x\n"), union)
            .signerFingerprint());
  }

  @Test
  void onlyKeepsTheKeyOfOneFingerprintWhichStillVerifiesItsSignatures() {
    ArchiveKey a = ArchiveKey.generate("A <a@example.org>");
    ArchiveKey b = ArchiveKey.generate("B <b@example.org>");
    Keyring both =
        Keyring.fromBytes(
            "both",
            (new String(a.armoredPublicKey(), StandardCharsets.US_ASCII)
                    + new String(b.armoredPublicKey(), StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII));

    Keyring onlyB = both.only(b.fingerprint()).orElseThrow();

    assertEquals(List.of(b.fingerprint()), onlyB.fingerprints());
    assertTrue(both.only("0123456789ABCDEF0123456789ABCDEF01234567").isEmpty());
    Keyring reread = Keyring.fromBytes("re-armored", onlyB.armored());
    assertEquals(List.of(b.fingerprint()), reread.fingerprints());
    VerifiedContent v = assertDoesNotThrowVerify(b.clearsign("Suite: stable\n"), reread);
    assertEquals(b.fingerprint(), v.signerFingerprint());
  }

  private static VerifiedContent assertDoesNotThrowVerify(byte[] clearsigned, Keyring keyring) {
    try {
      return SignatureVerifier.verifyClearsigned("test InRelease", clearsigned, keyring);
    } catch (RepositoryVerificationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void certificationsByOtherKeysAreDroppedSelfSignaturesKept() throws Exception {
    ArchiveKey owner = ArchiveKey.generate("Owner <owner@example.org>");
    PGPPublicKeyRing ring =
        new PGPPublicKeyRing(owner.binaryPublicKey(), new JcaKeyFingerprintCalculator());
    PGPPublicKey primary = ring.getPublicKey();
    // Someone else certifies the owner's user id, as keyservers collect.
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PGPKeyPair other =
        new JcaPGPKeyPair(
            PublicKeyPacket.VERSION_4,
            PublicKeyAlgorithmTags.RSA_GENERAL,
            rsa.generateKeyPair(),
            new Date());
    PGPSignatureGenerator gen =
        new PGPSignatureGenerator(
            new JcaPGPContentSignerBuilder(
                PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
            other.getPublicKey());
    gen.init(PGPSignature.CASUAL_CERTIFICATION, other.getPrivateKey());
    String uid = "Owner <owner@example.org>";
    PGPSignature cert = gen.generateCertification(uid, primary);
    PGPPublicKeyRing certified =
        PGPPublicKeyRing.insertPublicKey(ring, PGPPublicKey.addCertification(primary, uid, cert));
    assertEquals(2, signers(certified, uid).size());

    Keyring stripped =
        Keyring.fromBytes("certified", certified.getEncoded()).withoutThirdPartyCertifications();

    PGPPublicKeyRing kept =
        new PGPPublicKeyRing(
            new org.bouncycastle.bcpg.ArmoredInputStream(
                new java.io.ByteArrayInputStream(stripped.armored())),
            new JcaKeyFingerprintCalculator());
    assertEquals(List.of(primary.getKeyID()), signers(kept, uid));
  }

  private static List<Long> signers(PGPPublicKeyRing ring, String uid) {
    List<Long> out = new java.util.ArrayList<>();
    for (Iterator<PGPSignature> it = ring.getPublicKey().getSignaturesForID(uid); it.hasNext(); ) {
      out.add(it.next().getKeyID());
    }
    return out;
  }
}
