package io.imagebuilder.rootfs.internal.repo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
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

/** An OpenPGP RSA key generated for a test, able to clearsign and detach-sign like dak does. */
public final class TestKey {

  private final PGPKeyPair pair;
  private final PGPPublicKeyRing publicRing;

  private TestKey(PGPKeyPair pair, PGPPublicKeyRing publicRing) {
    this.pair = pair;
    this.publicRing = publicRing;
  }

  /** Generates a fresh 2048-bit RSA key with one user id. */
  public static TestKey generate(String userId) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
      kpg.initialize(2048);
      KeyPair kp = kpg.generateKeyPair();
      PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, kp, new Date(System.currentTimeMillis() - 60_000));
      PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
      PGPKeyRingGenerator gen = new PGPKeyRingGenerator(
          PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1, null, null,
          new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
      return new TestKey(pair, gen.generatePublicKeyRing());
    } catch (NoSuchAlgorithmException | PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The primary key's fingerprint, upper-case hex. */
  public String fingerprint() {
    return Keyring.fingerprint(publicRing.getPublicKey());
  }

  /** The public key, armored. */
  public byte[] armoredPublicKey() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
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

  /** This key as a keyring. */
  public Keyring keyring(String origin) {
    return Keyring.fromBytes(origin, armoredPublicKey());
  }

  /** A clearsigned message of {@code text} (lines ending in "\n"), as in an InRelease. */
  public byte[] clearsign(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    String[] lines = body.split("\n", -1);
    List<String> stripped = new ArrayList<>();
    StringBuilder out = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
    for (String line : lines) {
      stripped.add(line.replaceAll("[ \t]+$", ""));
      out.append(line.startsWith("-") ? "- " + line : line).append('\n');
    }
    byte[] signed = String.join("\r\n", stripped).getBytes(StandardCharsets.UTF_8);
    out.append(new String(armoredSignature(PGPSignature.CANONICAL_TEXT_DOCUMENT, signed), StandardCharsets.US_ASCII));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An armored detached binary signature over {@code data}, as in a Release.gpg. */
  public byte[] detachedSignature(byte[] data) {
    return armoredSignature(PGPSignature.BINARY_DOCUMENT, data);
  }

  private byte[] armoredSignature(int type, byte[] data) {
    try {
      PGPSignatureGenerator gen = new PGPSignatureGenerator(
          new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
          pair.getPublicKey());
      gen.init(type, pair.getPrivateKey());
      PGPSignatureSubpacketGenerator sub = new PGPSignatureSubpacketGenerator();
      sub.setSignatureCreationTime(false, new Date());
      sub.setIssuerFingerprint(false, pair.getPublicKey());
      gen.setHashedSubpackets(sub.generate());
      gen.update(data);
      PGPSignature sig = gen.generate();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
        sig.encode(armor);
      }
      return out.toByteArray();
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
