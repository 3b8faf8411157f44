package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.RepositoryVerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Verifies repository signatures against one source's {@link Keyring}: a clearsigned InRelease, or
 * a Release with its detached Release.gpg. Only signatures by keys of that keyring count; the
 * caller parses nothing but the {@link VerifiedContent#content() signed bytes}.
 *
 * <p>The clearsigned framing is read strictly (as apt does since the InRelease parsing bugs):
 * nothing but blank lines before the header or after the signature, one signed message only.
 * Signatures with MD5, SHA-1 or RIPEMD-160 are refused, like apt. A key that had expired or was
 * revoked when the signature was made does not count.
 */
public final class SignatureVerifier {

  private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

  private SignatureVerifier() {}

  /**
   * Verifies a clearsigned file and returns the text that was signed.
   *
   * @param what names the file in messages, e.g. {@code InRelease of source 'debian'}
   * @throws RepositoryVerificationException when the framing is malformed, no signature is by a key
   *     of the keyring, or a signature by such a key does not match the text
   */
  public static VerifiedContent verifyClearsigned(String what, byte[] clearsigned, Keyring keyring)
      throws RepositoryVerificationException {
    ClearText parsed = ClearText.parse(what, clearsigned);
    List<PGPSignature> signatures = readSignatures(what, parsed.signatureBlock());
    return verify(what, signatures, parsed.signedData(), parsed.content(), keyring);
  }

  /**
   * Verifies a detached signature (Release.gpg, armored or binary) over {@code data} and returns
   * {@code data}.
   */
  public static VerifiedContent verifyDetached(
      String what, byte[] data, byte[] signature, Keyring keyring)
      throws RepositoryVerificationException {
    List<PGPSignature> signatures = readSignatures(what, signature);
    return verify(what, signatures, data, data, keyring);
  }

  /**
   * Strips the clearsign framing without checking any signature: only for a source whose user
   * explicitly allowed it to be unsigned.
   */
  public static byte[] unverifiedClearText(String what, byte[] clearsigned)
      throws RepositoryVerificationException {
    return ClearText.parse(what, clearsigned).content();
  }

  private static VerifiedContent verify(
      String what,
      List<PGPSignature> signatures,
      byte[] signedData,
      byte[] content,
      Keyring keyring)
      throws RepositoryVerificationException {
    List<String> seen = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (PGPSignature sig : signatures) {
      String issuer = issuer(sig);
      seen.add(issuer);
      PGPPublicKey key = keyring.findKey(sig.getKeyID());
      if (key == null) {
        continue;
      }
      String keyFpr = Keyring.fingerprint(key);
      if (isWeak(sig.getHashAlgorithm())) {
        problems.add(
            "key "
                + keyFpr
                + " signed with a weak hash algorithm ("
                + sig.getHashAlgorithm()
                + ")");
        continue;
      }
      Date created = sig.getCreationTime();
      long validSeconds = key.getValidSeconds();
      if (validSeconds > 0
          && created.getTime() > key.getCreationTime().getTime() + validSeconds * 1000) {
        problems.add(
            "key "
                + keyFpr
                + " had expired when the signature was made ("
                + created.toInstant()
                + ")");
        continue;
      }
      if (key.hasRevocation()) {
        problems.add("key " + keyFpr + " is revoked");
        continue;
      }
      boolean good;
      try {
        sig.init(new JcaPGPContentVerifierBuilderProvider(), key);
        sig.update(signedData);
        good = sig.verify();
      } catch (PGPException | RuntimeException e) {
        problems.add("signature by key " + keyFpr + " cannot be checked: " + e.getMessage());
        continue;
      }
      if (good) {
        PGPPublicKey primary = keyring.findPrimary(sig.getKeyID());
        return new VerifiedContent(content, Keyring.fingerprint(primary), keyFpr);
      }
      problems.add("BAD signature by key " + keyFpr + ": the content was changed after signing");
    }
    String keyringDesc =
        "keyring has "
            + (keyring.fingerprints().isEmpty()
                ? "no keys"
                : String.join(", ", keyring.fingerprints()));
    if (!problems.isEmpty()) {
      throw new RepositoryVerificationException(
          what,
          RepositoryVerificationException.Reason.BAD_SIGNATURE,
          what
              + " does not verify with "
              + keyring.origin()
              + ": "
              + String.join("; ", problems)
              + " ("
              + keyringDesc
              + ")");
    }
    throw new RepositoryVerificationException(
        what,
        RepositoryVerificationException.Reason.UNKNOWN_KEY,
        what
            + " is not signed by any key in "
            + keyring.origin()
            + " (signed by "
            + (seen.isEmpty() ? "no key" : "key " + String.join(", ", seen))
            + ", "
            + keyringDesc
            + ")");
  }

  private static boolean isWeak(int hashAlgorithm) {
    return hashAlgorithm == HashAlgorithmTags.MD5
        || hashAlgorithm == HashAlgorithmTags.SHA1
        || hashAlgorithm == HashAlgorithmTags.RIPEMD160;
  }

  /** The issuer fingerprint when the signature carries it, else the 16-digit key id. */
  private static String issuer(PGPSignature sig) {
    var fpr =
        sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
    if (fpr == null && sig.getUnhashedSubPackets() != null) {
      fpr = sig.getUnhashedSubPackets().getIssuerFingerprint();
    }
    if (fpr != null) {
      return HexFormat.of().formatHex(fpr.getFingerprint()).toUpperCase(Locale.ROOT);
    }
    return String.format(Locale.ROOT, "%016X", sig.getKeyID());
  }

  private static List<PGPSignature> readSignatures(String what, byte[] block)
      throws RepositoryVerificationException {
    List<PGPSignature> out = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
      JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
      Object o;
      while ((o = factory.nextObject()) != null) {
        if (o instanceof PGPSignatureList list) {
          for (PGPSignature sig : list) {
            out.add(sig);
          }
        } else {
          throw new RepositoryVerificationException(
              what,
              RepositoryVerificationException.Reason.MALFORMED,
              what
                  + ": unexpected "
                  + o.getClass().getSimpleName()
                  + " where an OpenPGP signature was expected");
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new RepositoryVerificationException(
          what,
          RepositoryVerificationException.Reason.MALFORMED,
          what + ": cannot read its OpenPGP signature: " + e.getMessage(),
          e);
    }
    if (out.isEmpty()) {
      throw new RepositoryVerificationException(
          what,
          RepositoryVerificationException.Reason.NOT_SIGNED,
          what + " holds no OpenPGP signature");
    }
    return out;
  }

  /** The parts of a clearsigned message. */
  private record ClearText(byte[] content, byte[] signedData, byte[] signatureBlock) {

    static ClearText parse(String what, byte[] bytes) throws RepositoryVerificationException {
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] lines = text.split("\r?\n", -1);
      int i = 0;
      while (i < lines.length && lines[i].isBlank()) {
        i++;
      }
      if (i >= lines.length || !lines[i].stripTrailing().equals(BEGIN_SIGNED)) {
        throw new RepositoryVerificationException(
            what,
            RepositoryVerificationException.Reason.MALFORMED,
            what + " is not a clearsigned file (expected '" + BEGIN_SIGNED + "' first)");
      }
      i++;
      // Armor headers (Hash: ...) up to the first empty line.
      while (i < lines.length && !lines[i].isBlank()) {
        if (!lines[i].matches("[A-Za-z][A-Za-z0-9-]*: .*")) {
          throw new RepositoryVerificationException(
              what,
              RepositoryVerificationException.Reason.MALFORMED,
              what + ": malformed armor header '" + lines[i] + "'");
        }
        i++;
      }
      i++;
      List<String> clear = new ArrayList<>();
      boolean ended = false;
      for (; i < lines.length; i++) {
        String line = lines[i];
        if (line.stripTrailing().equals(BEGIN_SIGNATURE)) {
          ended = true;
          break;
        }
        if (line.startsWith("- ")) {
          line = line.substring(2);
        } else if (line.startsWith("-")) {
          throw new RepositoryVerificationException(
              what,
              RepositoryVerificationException.Reason.MALFORMED,
              what
                  + ": line '"
                  + line
                  + "' in the signed text is neither dash-escaped nor an armor line");
        }
        clear.add(stripTrailingBlanks(line));
      }
      if (!ended) {
        throw new RepositoryVerificationException(
            what,
            RepositoryVerificationException.Reason.MALFORMED,
            what + ": no '" + BEGIN_SIGNATURE + "' after the signed text");
      }
      int sigStart = i;
      int sigEnd = -1;
      for (; i < lines.length; i++) {
        if (lines[i].stripTrailing().equals(END_SIGNATURE)) {
          sigEnd = i;
          break;
        }
      }
      if (sigEnd < 0) {
        throw new RepositoryVerificationException(
            what,
            RepositoryVerificationException.Reason.MALFORMED,
            what + ": no '" + END_SIGNATURE + "'");
      }
      for (int k = sigEnd + 1; k < lines.length; k++) {
        if (!lines[k].isBlank()) {
          throw new RepositoryVerificationException(
              what,
              RepositoryVerificationException.Reason.MALFORMED,
              what + ": unexpected text after the signature: '" + lines[k] + "'");
        }
      }
      StringBuilder sigBlock = new StringBuilder();
      for (int k = sigStart; k <= sigEnd; k++) {
        sigBlock.append(lines[k]).append('\n');
      }
      // OpenPGP signs the lines joined by CRLF without the last line break (RFC 4880 7.1).
      String signed = String.join("\r\n", clear);
      StringBuilder content = new StringBuilder(signed.length() + 1);
      for (String l : clear) {
        content.append(l).append('\n');
      }
      return new ClearText(
          content.toString().getBytes(StandardCharsets.UTF_8),
          signed.getBytes(StandardCharsets.UTF_8),
          sigBlock.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static String stripTrailingBlanks(String line) {
      int end = line.length();
      while (end > 0
          && (line.charAt(end - 1) == ' '
              || line.charAt(end - 1) == '\t'
              || line.charAt(end - 1) == '\r')) {
        end--;
      }
      return line.substring(0, end);
    }
  }
}
