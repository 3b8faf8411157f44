package io.imagebuilder.console.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** API tokens: made from SecureRandom, kept as hashes. */
public final class Tokens {
  /** 32 random bytes: 256 bits, far beyond guessing. */
  static final int BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new token: 32 random bytes, base64url without padding. */
  public static String newToken() {
    return randomText(BYTES);
  }

  /** A short random public id. */
  static String newId() {
    return randomText(6);
  }

  private static String randomText(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * The stored form of a token. A plain sha256 suffices (no salt, no slow hash like BCrypt): the
   * token has 256 bits of randomness, so neither a dictionary nor brute force can find it from its
   * hash, and one fast hash lets every API call be checked by a map lookup.
   */
  public static String hash(String token) {
    return io.imagebuilder.console.Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }
}
