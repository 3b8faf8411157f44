package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

  private static final String RELEASE =
      "Origin: Test\nSuite: bookworm\n-----dashed line\nDescription: trailing blanks   \n"
          + "SHA256:\n 0000000000000000000000000000000000000000000000000000000000000000 1 main/x\n";

  private static ArchiveKey key;
  private static ArchiveKey other;

  @BeforeAll
  static void keys() {
    key = ArchiveKey.generate("Test Archive <archive@example.org>");
    other = ArchiveKey.generate("Someone Else <else@example.org>");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verifiesAClearsignedFileAndReturnsOnlyTheSignedText() throws Exception {
    byte[] inRelease = key.clearsign(RELEASE);
    assertTrue(
        new String(inRelease, StandardCharsets.UTF_8).contains("\n- -----dashed line\n"),
        "dash-escaped");
    VerifiedContent v =
        SignatureVerifier.verifyClearsigned(
            "InRelease of source 'local'", inRelease, key.keyring("/path/key.asc"));
    assertEquals(
        RELEASE.replace("blanks   \n", "blanks\n"),
        new String(v.content(), StandardCharsets.UTF_8));
    assertEquals(key.fingerprint(), v.signerFingerprint());
    assertEquals(key.fingerprint(), v.signingKeyFingerprint());
  }

  @Test
  void acceptsAnyKeyOfAKeyringWithSeveralKeys() throws Exception {
    byte[] both = concat(other.armoredPublicKey(), key.armoredPublicKey());
    Keyring keyring = Keyring.fromBytes("both.asc", both);
    VerifiedContent v =
        SignatureVerifier.verifyClearsigned("InRelease", key.clearsign(RELEASE), keyring);
    assertEquals(key.fingerprint(), v.signerFingerprint());
  }

  @Test
  void rejectsASignatureByAKeyNotInTheKeyringNamingSourceAndKeys() {
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyClearsigned(
                    "InRelease of source 'local'",
                    other.clearsign(RELEASE),
                    key.keyring("/path/key.asc")));
    assertEquals(
        "InRelease of source 'local' is not signed by any key in /path/key.asc (signed by key "
            + other.fingerprint()
            + ", keyring has "
            + key.fingerprint()
            + ")",
        e.getMessage());
  }

  @Test
  void rejectsTamperedContent() {
    String signed = new String(key.clearsign(RELEASE), StandardCharsets.UTF_8);
    byte[] tampered = bytes(signed.replace("Suite: bookworm", "Suite: bookwurm"));
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyClearsigned(
                    "InRelease of source 'local'", tampered, key.keyring("k.asc")));
    assertTrue(
        e.getMessage()
            .startsWith(
                "InRelease of source 'local' does not verify with k.asc: BAD signature by key "
                    + key.fingerprint()),
        e.getMessage());
  }

  @Test
  void rejectsTextOutsideTheSignedPart() {
    String signed = new String(key.clearsign(RELEASE), StandardCharsets.UTF_8);
    RepositoryVerificationException before =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyClearsigned(
                    "InRelease", bytes("Suite: evil\n" + signed), key.keyring("k")));
    assertTrue(before.getMessage().contains("not a clearsigned file"), before.getMessage());
    RepositoryVerificationException after =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyClearsigned(
                    "InRelease", bytes(signed + "Suite: evil\n"), key.keyring("k")));
    assertTrue(after.getMessage().contains("after the signature"), after.getMessage());
  }

  @Test
  void rejectsAnUnsignedFile() {
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyClearsigned("InRelease", bytes(RELEASE), key.keyring("k")));
    assertTrue(e.getMessage().contains("not a clearsigned file"), e.getMessage());
  }

  @Test
  void verifiesADetachedSignature() throws Exception {
    byte[] release = bytes(RELEASE);
    VerifiedContent v =
        SignatureVerifier.verifyDetached(
            "Release of source 'local'", release, key.detachedSignature(release), key.keyring("k"));
    assertArrayEquals(release, v.content());
    assertEquals(key.fingerprint(), v.signerFingerprint());
  }

  @Test
  void rejectsADetachedSignatureOverOtherBytesOrByAnotherKey() {
    byte[] release = bytes(RELEASE);
    byte[] changed = bytes(RELEASE + "Extra: field\n");
    RepositoryVerificationException bad =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyDetached(
                    "Release of source 'local'",
                    changed,
                    key.detachedSignature(release),
                    key.keyring("k")));
    assertTrue(
        bad.getMessage().contains("BAD signature by key " + key.fingerprint()), bad.getMessage());
    RepositoryVerificationException wrongKey =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyDetached(
                    "Release of source 'local'",
                    release,
                    other.detachedSignature(release),
                    key.keyring("/k.gpg")));
    assertTrue(
        wrongKey
            .getMessage()
            .startsWith("Release of source 'local' is not signed by any key in /k.gpg"),
        wrongKey.getMessage());
  }

  @Test
  void rejectsGarbageAsSignature() {
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () ->
                SignatureVerifier.verifyDetached(
                    "Release", bytes(RELEASE), bytes("not a signature"), key.keyring("k")));
    assertTrue(e.getMessage().startsWith("Release"), e.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
