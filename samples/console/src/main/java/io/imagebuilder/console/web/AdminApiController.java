package io.imagebuilder.console.web;

import io.imagebuilder.console.account.Account;
import io.imagebuilder.console.account.AccountService;
import io.imagebuilder.console.account.AuditEntry;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.Role;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Accounts, their API tokens and the audit log; for admins only. */
@RestController
@ApiController
@RequestMapping("/api/admin")
public class AdminApiController {
  private final AccountService accounts;
  private final AuditLog audit;

  public AdminApiController(AccountService accounts, AuditLog audit) {
    this.accounts = accounts;
    this.audit = audit;
  }

  /**
   * A new account.
   *
   * @param name its login name
   * @param roles view, build, release and/or admin
   * @param password its password for the login page (at least 12 characters), or null to log in
   *     with a token only
   * @param email where its builds' notifications go, or null
   */
  public record NewAccount(String name, List<String> roles, String password, String email) {}

  /**
   * A change of an account.
   *
   * @param email its new e-mail address; null or "" removes it
   */
  public record AccountChange(String email) {}

  /**
   * An account as the API shows it: no hashes.
   *
   * @param name its login name
   * @param roles its roles
   * @param tokens the ids of its tokens
   * @param hasPassword whether it can log in with a password
   * @param email where its builds' notifications go, or null
   */
  public record AccountInfo(
      String name, Set<String> roles, List<String> tokens, boolean hasPassword, String email) {
    static AccountInfo of(Account a) {
      Set<String> roles = new TreeSet<>();
      a.roles().forEach(r -> roles.add(r.name().toLowerCase(java.util.Locale.ROOT)));
      return new AccountInfo(
          a.name(),
          roles,
          a.tokens().stream().map(t -> t.id()).toList(),
          a.passwordHash() != null,
          a.email());
    }
  }

  @Operation(summary = "Create an account")
  @PostMapping("/accounts")
  @ResponseStatus(HttpStatus.CREATED)
  public AccountInfo create(
      @RequestBody NewAccount body, Principal caller, HttpServletRequest request) {
    if (body == null) {
      throw new IllegalArgumentException("missing body (expected {name, roles, password})");
    }
    Account a =
        accounts.create(
            body.name(),
            Role.parseAll(body.roles()),
            body.password(),
            body.email(),
            caller.getName(),
            request.getRemoteAddr());
    return AccountInfo.of(a);
  }

  @Operation(summary = "Change an account's e-mail address")
  @RequestMapping(
      path = "/accounts/{name}",
      method = {RequestMethod.PATCH, RequestMethod.PUT})
  public AccountInfo change(
      @PathVariable String name,
      @RequestBody AccountChange body,
      Principal caller,
      HttpServletRequest request) {
    if (body == null) {
      throw new IllegalArgumentException("missing body (expected {email})");
    }
    if (accounts.find(Account.checkName(name)).isEmpty()) {
      throw new ApiErrors.NotFound("no account '" + name + "'");
    }
    return AccountInfo.of(
        accounts.setEmail(name, body.email(), caller.getName(), request.getRemoteAddr()));
  }

  @Operation(summary = "Every account")
  @GetMapping("/accounts")
  public List<AccountInfo> list() {
    return accounts.all().stream().map(AccountInfo::of).toList();
  }

  @Operation(
      summary = "Create an API token for an account",
      description = "The token is in this answer only: the console keeps just its sha256.")
  @PostMapping("/accounts/{name}/tokens")
  @ResponseStatus(HttpStatus.CREATED)
  public AccountService.NewToken token(
      @PathVariable String name, Principal caller, HttpServletRequest request) {
    if (accounts.all().stream().noneMatch(a -> a.name().equals(Account.checkName(name)))) {
      throw new ApiErrors.NotFound("no account '" + name + "'");
    }
    return accounts.newToken(name, caller.getName(), request.getRemoteAddr());
  }

  @Operation(summary = "The audit log, the oldest entry first")
  @GetMapping("/audit")
  public List<AuditEntry> audit() {
    return audit.all();
  }
}
