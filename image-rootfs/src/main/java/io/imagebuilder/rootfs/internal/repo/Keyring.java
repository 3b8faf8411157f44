package io.imagebuilder.rootfs.internal.repo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

/**
 * The OpenPGP public keys one repository source trusts (apt's Signed-By): loaded from an armored or
 * binary key file, possibly holding several keys.
 */
public final class Keyring {

  private static final String DEBIAN_RESOURCE =
      "/io/imagebuilder/rootfs/keyrings/debian-archive-keyring.gpg";
  private static final String ARMOR_BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

  private final String origin;
  private final List<PGPPublicKeyRing> rings;

  private Keyring(String origin, List<PGPPublicKeyRing> rings) {
    this.origin = origin;
    this.rings = List.copyOf(rings);
  }

  /**
   * Loads the keys of a file (armored or binary).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no OpenPGP public key, naming the file
   */
  public static Keyring load(Path file) throws IOException {
    return fromBytes(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Loads the keys of armored or binary bytes; {@code origin} names them in messages (a path, a
   * URL, "debian-archive-keyring").
   *
   * @throws IllegalArgumentException when the bytes hold no OpenPGP public key
   */
  public static Keyring fromBytes(String origin, byte[] bytes) {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    try {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      if (text.contains(ARMOR_BEGIN)) {
        // One file may hold several armored blocks; decode each.
        int from = 0;
        int at;
        while ((at = text.indexOf(ARMOR_BEGIN, from)) >= 0) {
          try (InputStream in =
              new ArmoredInputStream(new ByteArrayInputStream(bytes, at, bytes.length - at))) {
            addRings(in, rings);
          }
          from = at + ARMOR_BEGIN.length();
        }
      } else {
        addRings(new ByteArrayInputStream(bytes), rings);
      }
    } catch (IOException | PGPException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read OpenPGP public keys from " + origin + ": " + e.getMessage(), e);
    }
    if (rings.isEmpty()) {
      throw new IllegalArgumentException(
          "no OpenPGP public key in " + origin + " (expected an armored or binary key file)");
    }
    return new Keyring(origin, rings);
  }

  private static void addRings(InputStream in, List<PGPPublicKeyRing> out)
      throws IOException, PGPException {
    // The object factory keeps file order (the ring collection does not).
    PGPObjectFactory factory = new PGPObjectFactory(in, new JcaKeyFingerprintCalculator());
    Object o;
    while ((o = factory.nextObject()) != null) {
      if (o instanceof PGPPublicKeyRing ring) {
        out.add(ring);
      } else {
        throw new PGPException(
            "unexpected " + o.getClass().getSimpleName() + " in a public key file");
      }
    }
  }

  /**
   * The keys of all {@code parts} as one keyring named {@code origin}: apt's Signed-By naming
   * several key files trusts the keys of each.
   */
  public static Keyring union(String origin, List<Keyring> parts) {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    for (Keyring part : parts) {
      rings.addAll(part.rings);
    }
    if (rings.isEmpty()) {
      throw new IllegalArgumentException("no OpenPGP public key in " + origin);
    }
    return new Keyring(origin, rings);
  }

  /** The Debian archive keys shipped with this library (package debian-archive-keyring). */
  public static Keyring debianArchive() {
    try (InputStream in = Keyring.class.getResourceAsStream(DEBIAN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + DEBIAN_RESOURCE + " is missing from image-rootfs");
      }
      return fromBytes("debian-archive-keyring (bundled)", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The Ubuntu archive keys. Not bundled: no Debian bookworm package ships them, and the library
   * does not take keys from unverified places.
   *
   * @throws IllegalStateException always, saying how to pass the key
   */
  public static Keyring ubuntuArchive() {
    throw new IllegalStateException(
        "the Ubuntu archive keyring is not bundled (Debian bookworm does not package it): pass the "
            + "key with the source, e.g. /usr/share/keyrings/ubuntu-archive-keyring.gpg from "
            + "Ubuntu's ubuntu-keyring package, via Keyring.load(path)");
  }

  /** Where the keys came from, for messages. */
  public String origin() {
    return origin;
  }

  /** The fingerprints of the primary keys, upper-case hex, in file order. */
  public List<String> fingerprints() {
    List<String> out = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      out.add(fingerprint(ring.getPublicKey()));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Only the key whose primary fingerprint is exactly {@code fingerprint} (upper-case hex), with
   * its subkeys, as a keyring of its own; empty when this keyring does not hold it. Whatever else
   * came with it (a keyserver's extra keys) is dropped.
   */
  public Optional<Keyring> only(String fingerprint) {
    for (PGPPublicKeyRing ring : rings) {
      if (fingerprint(ring.getPublicKey()).equals(fingerprint)) {
        return Optional.of(new Keyring(origin, List.of(ring)));
      }
    }
    return Optional.empty();
  }

  /**
   * These keys without certifications by other keys (keyservers collect them; they change over time
   * and play no part in verifying a repository). Self-signatures stay.
   */
  public Keyring withoutThirdPartyCertifications() {
    List<PGPPublicKeyRing> out = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey primary = ring.getPublicKey();
      PGPPublicKey kept = primary;
      for (java.util.Iterator<String> ids = primary.getUserIDs(); ids.hasNext(); ) {
        String id = ids.next();
        for (java.util.Iterator<PGPSignature> sigs = primary.getSignaturesForID(id);
            sigs.hasNext(); ) {
          PGPSignature sig = sigs.next();
          // A signature without issuer id is kept: it cannot be told apart from a self-signature.
          if (sig.getKeyID() != 0 && sig.getKeyID() != primary.getKeyID()) {
            PGPPublicKey without = PGPPublicKey.removeCertification(kept, id, sig);
            kept = without == null ? kept : without;
          }
        }
      }
      out.add(PGPPublicKeyRing.insertPublicKey(ring, kept));
    }
    return new Keyring(origin, out);
  }

  /** The keys as one armored block, the way apt reads a {@code .asc} Signed-By file. */
  public byte[] armored() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
      for (PGPPublicKeyRing ring : rings) {
        ring.encode(armor);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The key (primary or subkey) with this key id, or null. */
  PGPPublicKey findKey(long keyId) {
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey key = ring.getPublicKey(keyId);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  /** The primary key of the ring holding the key with this id, or null. */
  PGPPublicKey findPrimary(long keyId) {
    for (PGPPublicKeyRing ring : rings) {
      if (ring.getPublicKey(keyId) != null) {
        return ring.getPublicKey();
      }
    }
    return null;
  }

  static String fingerprint(PGPPublicKey key) {
    return HexFormat.of().formatHex(key.getFingerprint()).toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "Keyring[" + origin + ": " + String.join(", ", fingerprints()) + "]";
  }
}
