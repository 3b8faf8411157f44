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
 */
public record Account(String name, Set<Role> roles, String passwordHash, List<ApiToken> tokens) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  public Account {
    checkName(name);
    roles = roles == null || roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    tokens = List.copyOf(tokens == null ? List.of() : tokens);
  }

  /** Whether it holds {@code role}, directly or through a role that includes it. */
  public boolean has(Role role) {
    return roles.stream().anyMatch(r -> r.withIncluded().contains(role));
  }

  /** This account with one more token. */
  Account withToken(ApiToken token) {
    List<ApiToken> more = new java.util.ArrayList<>(tokens);
    more.add(token);
    return new Account(name, roles, passwordHash, more);
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
