package io.imagebuilder.rootfs.internal.repo;

import java.util.Arrays;

/**
 * The bytes a good signature covers, with who signed them.
 *
 * @param content the signed bytes; for a clearsigned file the cleartext with dash-escaping undone
 *     and trailing blanks removed from each line (what OpenPGP signs), each line ending in "\n"
 * @param signerFingerprint the fingerprint of the primary key whose (sub)key made the signature
 * @param signingKeyFingerprint the fingerprint of the key that made the signature (the primary or
 *     one of its subkeys)
 */
public record VerifiedContent(
    byte[] content, String signerFingerprint, String signingKeyFingerprint) {

  public VerifiedContent {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedContent v
        && Arrays.equals(content, v.content)
        && signerFingerprint.equals(v.signerFingerprint)
        && signingKeyFingerprint.equals(v.signingKeyFingerprint);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(content) * 31 + signerFingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "VerifiedContent[" + content.length + " bytes, signed by " + signerFingerprint + "]";
  }
}
