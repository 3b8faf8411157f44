package io.imagebuilder.console.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.ConsoleSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. The REST API takes {@code Authorization: Bearer <token>} and answers 401/403
 * as problem details; the web UI logs in with a form (password or token) and keeps a session, with
 * CSRF tokens on its forms. GETs need {@code view}, submitting and cancelling {@code build}, {@code
 * /api/admin/**} {@code admin}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {
  static final RequestMatcher API = r -> path(r).startsWith("/api/");

  private static String path(HttpServletRequest r) {
    return r.getRequestURI().substring(r.getContextPath().length());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  /** Where the first start leaves the first admin's token, under the data directory. */
  public static final String FIRST_ADMIN_TOKEN = "first-admin-token";

  @Bean
  AccountStore accountStore(ConsoleDatabase database) {
    return new JdbcAccountStore(database);
  }

  @Bean
  AuditLog auditLog(ConsoleDatabase database) {
    return new AuditLog(database);
  }

  @Bean
  AccountService accountService(
      AccountStore store, AuditLog audit, PasswordEncoder passwords, ConsoleSettings settings) {
    AccountService s = new AccountService(store, audit, passwords);
    s.bootstrap(settings.dataDir().resolve(FIRST_ADMIN_TOKEN));
    return s;
  }

  /** A path Spring Security's firewall refuses (say "/.." in it), answered like other bad input. */
  @Bean
  RequestRejectedHandler requestRejectedHandler(ObjectMapper json) {
    Problems problems = new Problems(json);
    return (request, response, e) ->
        problems.write(response, 400, "invalid request path: " + e.getMessage());
  }

  /** The login form's check; as a bean it also keeps Boot from making its default user. */
  @Bean
  AuthenticationProvider accountLogin(AccountService accounts) {
    return new AccountLogin(accounts);
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      AccountService accounts,
      AuthenticationProvider accountLogin,
      AuditLog audit,
      ObjectMapper json)
      throws Exception {
    Problems problems = new Problems(json);
    // Only pages are worth coming back to after the login.
    HttpSessionRequestCache pages = new HttpSessionRequestCache();
    pages.setRequestMatcher(r -> !API.matches(r) && "GET".equals(r.getMethod()));
    SavedRequestAwareAuthenticationSuccessHandler loggedIn =
        new SavedRequestAwareAuthenticationSuccessHandler() {
          @Override
          public void onAuthenticationSuccess(
              HttpServletRequest request,
              jakarta.servlet.http.HttpServletResponse response,
              org.springframework.security.core.Authentication authentication)
              throws jakarta.servlet.ServletException, java.io.IOException {
            audit.record(authentication.getName(), "login", "", request.getRemoteAddr());
            super.onAuthenticationSuccess(request, response, authentication);
          }
        };
    loggedIn.setRequestCache(pages);
    SimpleUrlAuthenticationFailureHandler failed =
        new SimpleUrlAuthenticationFailureHandler("/login?error") {
          @Override
          public void onAuthenticationFailure(
              HttpServletRequest request,
              jakarta.servlet.http.HttpServletResponse response,
              org.springframework.security.core.AuthenticationException e)
              throws java.io.IOException, jakarta.servlet.ServletException {
            String name = String.valueOf(request.getParameter("username"));
            audit.record(
                name.length() > 64 ? name.substring(0, 64) : name,
                "login-failed",
                "",
                request.getRemoteAddr());
            super.onAuthenticationFailure(request, response, e);
          }
        };
    http.authenticationManager(new ProviderManager(accountLogin))
        .addFilterBefore(
            new BearerTokenFilter(accounts, problems), UsernamePasswordAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(
                        "/login",
                        "/console.css",
                        "/favicon.ico",
                        "/v3/api-docs/**",
                        "/swagger-ui/**",
                        "/swagger-ui.html")
                    .permitAll()
                    .requestMatchers("/api/admin/**")
                    .hasRole(Role.ADMIN.name())
                    .requestMatchers(
                        HttpMethod.POST,
                        "/api/builds",
                        "/api/builds/*/cancel",
                        "/builds",
                        "/builds/*/cancel")
                    .hasRole(Role.BUILD.name())
                    .requestMatchers("/api/farm/**")
                    .hasRole(Role.BUILD.name())
                    .anyRequest()
                    .hasRole(Role.VIEW.name()))
        .formLogin(
            f -> f.loginPage("/login").successHandler(loggedIn).failureHandler(failed).permitAll())
        .logout(l -> l.logoutSuccessUrl("/login?logout"))
        .requestCache(c -> c.requestCache(pages))
        // A request without a session cookie cannot be forged by another site (CSRF rides on the
        // browser's cookies), so API clients with a token or with nothing at all need no CSRF
        // token: they are answered 401/403 by the rules above, not a CSRF refusal.
        .csrf(
            c ->
                c.ignoringRequestMatchers(
                    r ->
                        API.matches(r)
                            && (BearerTokenFilter.hasBearer(r)
                                || r.getRequestedSessionId() == null)))
        .exceptionHandling(
            e ->
                e.defaultAuthenticationEntryPointFor(
                        (req, res, ex) ->
                            problems.write(
                                res,
                                401,
                                "authentication required (send 'Authorization: Bearer <token>')"),
                        API)
                    .defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), r -> true)
                    .defaultAccessDeniedHandlerFor(
                        (req, res, ex) -> problems.write(res, 403, forbidden(req, ex)), API));
    return http.build();
  }

  private static String forbidden(HttpServletRequest req, Exception e) {
    if (e instanceof CsrfException) {
      return "missing or invalid CSRF token (a session's POST needs the form's _csrf; API clients"
          + " send 'Authorization: Bearer <token>' instead)";
    }
    String who =
        req.getUserPrincipal() == null
            ? "this caller"
            : "account '" + req.getUserPrincipal().getName() + "'";
    return who
        + " may not "
        + req.getMethod()
        + " "
        + path(req)
        + " (it lacks the role this needs: view reads, build submits and cancels, admin manages)";
  }
}
