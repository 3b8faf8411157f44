package io.imagebuilder.console.account;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What an account may do; each role includes the ones before it. */
public enum Role {
  /** Read builds, logs, artifacts and the image index. */
  VIEW,
  /** Submit builds and cancel one's own. */
  BUILD,
  /** Mark a finished build as a release, which retention never removes. */
  RELEASE,
  /** Manage accounts and tokens, read the audit log, cancel anyone's build. */
  ADMIN;

  /** The Spring Security authority of this role. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** The role's name as properties and messages spell it: {@code release}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** This role and every role it includes. */
  public Set<Role> withIncluded() {
    return EnumSet.range(VIEW, this);
  }

  /** The role named {@code name} (view, build, release or admin). */
  public static Role parse(String name) {
    try {
      return valueOf(String.valueOf(name).trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid role '" + name + "' (expected one of view, build, release, admin)", e);
    }
  }

  /** The roles named in {@code names}. */
  public static Set<Role> parseAll(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid roles [] (expected view, build, release or admin)");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    names.forEach(n -> roles.add(parse(n)));
    return roles;
  }
}
