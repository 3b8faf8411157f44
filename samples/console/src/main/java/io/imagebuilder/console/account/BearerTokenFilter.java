package io.imagebuilder.console.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} for this request only (nothing is kept in a
 * session); a token that is no account's is answered 401 at once.
 */
final class BearerTokenFilter extends OncePerRequestFilter {
  static final String PREFIX = "Bearer ";

  private final AccountService accounts;
  private final Problems problems;

  BearerTokenFilter(AccountService accounts, Problems problems) {
    this.accounts = accounts;
    this.problems = problems;
  }

  static boolean hasBearer(HttpServletRequest request) {
    String h = request.getHeader("Authorization");
    return h != null && h.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!hasBearer(request)) {
      chain.doFilter(request, response);
      return;
    }
    String token = request.getHeader("Authorization").substring(PREFIX.length());
    Optional<Account> account = accounts.byToken(token);
    if (account.isEmpty()) {
      problems.write(response, 401, "invalid API token (not a token of any account)");
      return;
    }
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(
            account.get().name(), null, Authorities.of(account.get())));
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
