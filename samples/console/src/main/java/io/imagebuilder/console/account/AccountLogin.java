package io.imagebuilder.console.account;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** The login form: an account's name and its password or one of its API tokens. */
final class AccountLogin implements AuthenticationProvider {
  private final AccountService accounts;

  AccountLogin(AccountService accounts) {
    this.accounts = accounts;
  }

  @Override
  public Authentication authenticate(Authentication login) {
    String name = login.getName();
    String secret = login.getCredentials() == null ? null : login.getCredentials().toString();
    Account a =
        accounts
            .byPassword(name, secret)
            .orElseThrow(() -> new BadCredentialsException("wrong account name or password"));
    return UsernamePasswordAuthenticationToken.authenticated(a.name(), null, Authorities.of(a));
  }

  @Override
  public boolean supports(Class<?> type) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
  }
}
