package io.imagebuilder.console.account;

import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An account's roles as Spring Security authorities, and the reverse for the caller. */
public final class Authorities {
  private Authorities() {}

  /** The authorities of every role the account holds, directly or included. */
  static List<GrantedAuthority> of(Account a) {
    return a.roles().stream()
        .flatMap(r -> r.withIncluded().stream())
        .distinct()
        .sorted()
        .map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority()))
        .toList();
  }

  /** Whether the caller holds {@code role}. */
  public static boolean has(Authentication caller, Role role) {
    return caller != null
        && caller.getAuthorities().stream()
            .anyMatch(g -> role.authority().equals(g.getAuthority()));
  }
}
