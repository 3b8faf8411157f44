package io.imagebuilder.rootfs.internal.localrepo;

import io.imagebuilder.rootfs.internal.repo.Keyring;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * An OpenPGP RSA key that signs a repository the way the Debian archive does (clearsigned
 * InRelease, detached Release.gpg). Side repositories of local packages are signed with one, so
 * that every apt source of a build has a {@code Signed-By} key; tests sign their fixture
 * repositories with one too.
 */
public final class ArchiveKey {
  private final PGPKeyPair pair;
  private final PGPPublicKeyRing publicRing;
  private final Date created;

  private ArchiveKey(PGPKeyPair pair, PGPPublicKeyRing publicRing, Date created) {
    this.pair = pair;
    this.publicRing = publicRing;
    this.created = created;
  }

  /** A fresh key from the system's randomness. */
  public static ArchiveKey generate(String userId) {
    return generate(userId, new SecureRandom(), new Date(System.currentTimeMillis() - 60_000));
  }

  /**
   * A key derived from {@code seed}: the same seed gives the same key, so a side repository kept in
   * an image does not make two builds of one spec differ.
   */
  public static ArchiveKey derive(String userId, byte[] seed, Date created) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return generate(userId, random, created);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
    }
  }

  private static ArchiveKey generate(String userId, SecureRandom random, Date created) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
      kpg.initialize(2048, random);
      KeyPair kp = kpg.generateKeyPair();
      PGPKeyPair pair =
          new JcaPGPKeyPair(
              PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, kp, created);
      PGPDigestCalculator sha1 =
          new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
      // The self-certification is dated like the key, not "now": a derived key is the same bytes in
      // every build.
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(true, created);
      PGPKeyRingGenerator gen =
          new PGPKeyRingGenerator(
              PGPSignature.POSITIVE_CERTIFICATION,
              pair,
              userId,
              sha1,
              hashed.generate(),
              null,
              new JcaPGPContentSignerBuilder(
                      PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256)
                  .setSecureRandom(random),
              null);
      return new ArchiveKey(pair, gen.generatePublicKeyRing(), created);
    } catch (NoSuchAlgorithmException | PGPException e) {
      throw new IllegalStateException("cannot generate an OpenPGP key: " + e.getMessage(), e);
    }
  }

  /** The primary key's v4 fingerprint, upper-case hex. */
  public String fingerprint() {
    return java.util.HexFormat.of()
        .withUpperCase()
        .formatHex(publicRing.getPublicKey().getFingerprint());
  }

  /** The public key, armored. */
  public byte[] armoredPublicKey() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
      publicRing.encode(armor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The public key, binary (like the files in /usr/share/keyrings). */
  public byte[] binaryPublicKey() {
    try {
      return publicRing.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This key as the keyring a source signed by it is verified against. */
  public Keyring keyring(String origin) {
    return Keyring.fromBytes(origin, armoredPublicKey());
  }

  /**
   * {@code text} (lines ending in "\n") clearsigned, as an InRelease; signed at key creation time.
   */
  public byte[] clearsign(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    List<String> stripped = new ArrayList<>();
    StringBuilder out = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
    for (String line : body.split("\n", -1)) {
      stripped.add(line.replaceAll("[ \t]+$", ""));
      out.append(line.startsWith("-") ? "- " + line : line).append('\n');
    }
    byte[] signed = String.join("\r\n", stripped).getBytes(StandardCharsets.UTF_8);
    out.append(
        new String(
            signature(PGPSignature.CANONICAL_TEXT_DOCUMENT, signed), StandardCharsets.US_ASCII));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An armored detached signature over {@code data}, as a Release.gpg. */
  public byte[] detachedSignature(byte[] data) {
    return signature(PGPSignature.BINARY_DOCUMENT, data);
  }

  private byte[] signature(int type, byte[] data) {
    try {
      PGPSignatureGenerator gen =
          new PGPSignatureGenerator(
              new JcaPGPContentSignerBuilder(
                  pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
              pair.getPublicKey());
      gen.init(type, pair.getPrivateKey());
      PGPSignatureSubpacketGenerator sub = new PGPSignatureSubpacketGenerator();
      sub.setSignatureCreationTime(false, created);
      sub.setIssuerFingerprint(false, pair.getPublicKey());
      gen.setHashedSubpackets(sub.generate());
      gen.update(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
        gen.generate().encode(armor);
      }
      return out.toByteArray();
    } catch (PGPException e) {
      throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
