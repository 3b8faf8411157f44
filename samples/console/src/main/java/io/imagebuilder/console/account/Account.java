package io.imagebuilder.console.account;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A console account as the store keeps it: secrets only as hashes.
 *
 * @param name the login name
 * @param roles what it may do (each includes the roles before it)
 * @param passwordHash the BCrypt hash of its password, or null for an account that logs in with a
 *     token only
 * @param tokens its API tokens (their hashes)
 * @param email where its builds' notifications go, or null for none
 */
public record Account(
    String name, Set<Role> roles, String passwordHash, List<ApiToken> tokens, String email) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /**
   * One address as a mail header takes it: a local part of printable ASCII without spaces, quotes,
   * brackets or commas (no header injection, no list of addresses), '@', and a DNS name with a dot.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@"
              + "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  public Account {
    checkName(name);
    roles = roles == null || roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    tokens = List.copyOf(tokens == null ? List.of() : tokens);
    email = checkEmail(email);
  }

  /** An account without an e-mail address. */
  public Account(String name, Set<Role> roles, String passwordHash, List<ApiToken> tokens) {
    this(name, roles, passwordHash, tokens, null);
  }

  /** Whether it holds {@code role}, directly or through a role that includes it. */
  public boolean has(Role role) {
    return roles.stream().anyMatch(r -> r.withIncluded().contains(role));
  }

  /** This account with one more token. */
  Account withToken(ApiToken token) {
    List<ApiToken> more = new java.util.ArrayList<>(tokens);
    more.add(token);
    return new Account(name, roles, passwordHash, more, email);
  }

  /** This account with another e-mail address (null for none). */
  Account withEmail(String newEmail) {
    return new Account(name, roles, passwordHash, tokens, newEmail);
  }

  /**
   * Checks an e-mail address: null or blank is none (null); otherwise one plain address such as
   * {@code erin@example.org}, without a display name.
   */
  public static String checkEmail(String email) {
    if (email == null || email.isBlank()) {
      return null;
    }
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw new IllegalArgumentException(
          "invalid e-mail address '"
              + email
              + "' (expected one plain address such as erin@example.org)");
    }
    return email;
  }

  /** Checks an account name: lower-case letters, digits, '.', '_' and '-'. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid account name '"
              + name
              + "' (expected 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter)");
    }
    return name;
  }
}
