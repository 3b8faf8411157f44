package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A user account created in the image.
 *
 * @param name login name
 * @param groups supplementary groups, which must exist in the image
 * @param sudo whether the user may run sudo (the sudo package is then installed)
 * @param passwordHash a crypt(3) hash, or null for a locked password
 * @param sshAuthorizedKeys lines for {@code ~/.ssh/authorized_keys}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserAccount(
    String name,
    List<String> groups,
    boolean sudo,
    String passwordHash,
    List<String> sshAuthorizedKeys) {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  /** One line of printable characters (UTF-8 comments allowed), no control characters. */
  private static final Pattern KEY_LINE = Pattern.compile("[^\\p{Cntrl}]+");

  /** crypt(3) output: {@code $id$[params$]salt$hash} in the crypt alphabet. */
  private static final Pattern CRYPT_HASH = Pattern.compile("\\$[A-Za-z0-9./=,+$-]+");

  private static final int MAX_KEY_LENGTH = 16 * 1024;

  /**
   * Checks the values.
   *
   * @param name login name
   * @param groups supplementary groups, which must exist in the image
   * @param sudo whether the user may run sudo
   * @param passwordHash a crypt(3) hash, or null for a locked password
   * @param sshAuthorizedKeys lines for {@code ~/.ssh/authorized_keys}
   * @throws IllegalArgumentException naming the bad value and what was expected
   */
  public UserAccount {
    Checks.matches(name, NAME, "user name", "a lower-case login name such as debian");
    if ("root".equals(name)) {
      throw new IllegalArgumentException("invalid user name 'root' (root exists already)");
    }
    groups = Checks.distinctCopy(groups, "groups");
    for (String g : groups) {
      Checks.matches(g, NAME, "group of user '" + name + "'", "a group name such as sudo");
    }
    sshAuthorizedKeys = Checks.distinctCopy(sshAuthorizedKeys, "ssh keys");
    for (String key : sshAuthorizedKeys) {
      if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !KEY_LINE.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "invalid SSH key '"
                + Checks.excerpt(key)
                + "' of user '"
                + name
                + "' (expected one authorized_keys line such as 'ssh-ed25519 AAAA... comment':"
                + " no line breaks or control characters, at most "
                + MAX_KEY_LENGTH
                + " characters)");
      }
    }
    if (passwordHash != null && !passwordHash.startsWith("$")) {
      throw new IllegalArgumentException(
          "invalid password hash for user '"
              + name
              + "' (expected a crypt(3) hash such as $y$..., never a plain password)");
    }
    if (passwordHash != null && !CRYPT_HASH.matcher(passwordHash).matches()) {
      // The hash is a shadow field: a ':' or a line break would end it and start another.
      throw new IllegalArgumentException(
          "invalid password hash '"
              + Checks.excerpt(passwordHash)
              + "' for user '"
              + name
              + "' (expected a crypt(3) hash such as $y$j9T$SALT$HASH: '$' and the characters"
              + " a-z A-Z 0-9 . / = , + - only, no ':' or line break)");
    }
  }

  /**
   * A user with no password, no groups and no keys.
   *
   * @param name the login name, e.g. {@code debian}
   * @return the account
   * @throws IllegalArgumentException when the name is not a lower-case login name
   */
  public static UserAccount named(String name) {
    return new UserAccount(name, List.of(), false, null, List.of());
  }
}
