package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.DirectoryLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The SSH key pair booted fixtures log in with: ECDSA P-256, which the JDK makes and reads without
 * another provider. It is made once in the run directory ({@code ssh/}, mode 0700) and kept there,
 * because its public half is part of the fixture's image (an authorized key), so a new key each run
 * would change the plan and miss the stage cache. Both halves are written before either is used,
 * under a lock, so JVMs of one run share one key.
 *
 * @param keyPair the key pair
 * @param authorizedKey its {@code authorized_keys} line
 */
public record FixtureKey(KeyPair keyPair, String authorizedKey) {
  private static final String COMMENT = "imagebuilder-fixture";

  /** The run's key under {@code runDir}, made on first use. */
  public static FixtureKey in(Path runDir, Duration lockTimeout)
      throws IOException, InterruptedException {
    Path dir = runDir.resolve("ssh");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(runDir);
      try {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another JVM made it first
      }
    }
    Path privateKey = dir.resolve("fixture-key.pkcs8");
    Path publicKey = dir.resolve("fixture-key.x509");
    try (DirectoryLock lock = WaitingLock.acquire(dir.resolve("lock"), lockTimeout)) {
      KeyPair pair;
      if (Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey)) {
        pair = read(privateKey, publicKey);
      } else {
        pair = generate();
        write(publicKey, pair.getPublic().getEncoded());
        write(privateKey, pair.getPrivate().getEncoded());
      }
      return new FixtureKey(pair, PublicKeyEntry.toString(pair.getPublic()) + " " + COMMENT);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "cannot read the fixtures' SSH key in "
              + dir
              + " ("
              + e.getMessage()
              + "; expected the key this library wrote: delete the directory to make a new one)",
          e);
    }
  }

  private static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair read(Path privateKey, Path publicKey)
      throws IOException, GeneralSecurityException {
    KeyFactory ec = KeyFactory.getInstance("EC");
    return new KeyPair(
        ec.generatePublic(new X509EncodedKeySpec(decode(publicKey))),
        ec.generatePrivate(new PKCS8EncodedKeySpec(decode(privateKey))));
  }

  private static byte[] decode(Path file) throws IOException {
    return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
  }

  /** Base64 text, readable only by the owner from its first byte on. */
  private static void write(Path file, byte[] encoded) throws IOException {
    Path part = AtomicFiles.createTemporary(file);
    Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(part, Base64.getEncoder().encodeToString(encoded) + "\n");
    AtomicFiles.commit(part, file);
  }
}
