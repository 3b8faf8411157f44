package io.imagebuilder.console.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Accounts and their tokens: creates them (with an audit entry), checks credentials, and makes the
 * first admin on the console's first start.
 */
public final class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

  /** The first account's name. */
  public static final String FIRST_ADMIN = "admin";

  private final AccountStore store;
  private final AuditLog audit;
  private final PasswordEncoder passwords;

  public AccountService(AccountStore store, AuditLog audit, PasswordEncoder passwords) {
    this.store = store;
    this.audit = audit;
    this.passwords = passwords;
  }

  /**
   * On the first start (no account yet): creates {@code admin} with a token and writes the token to
   * {@code tokenFile}, readable by this user only, so it reaches no log; only its hash is kept in
   * the account store. Prints where the file is.
   */
  public synchronized void bootstrap(Path tokenFile) {
    if (!store.all().isEmpty()) {
      return;
    }
    create(FIRST_ADMIN, Set.of(Role.ADMIN), null, "console", "");
    String token = newToken(FIRST_ADMIN, "console", "").token();
    try {
      Files.createDirectories(tokenFile.getParent());
      Files.deleteIfExists(tokenFile);
      Files.createFile(
          tokenFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tokenFile, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the first admin token to " + tokenFile, e);
    }
    System.out.println(
        "First start: created account 'admin'; its API token is in "
            + tokenFile
            + " (readable by this user only: keep the token, then delete the file). Use it as"
            + " 'Authorization: Bearer <token>' or as the password of 'admin' on the login page.");
    LOG.info("first start: created account 'admin'; its token is in {}", tokenFile);
  }

  /** Creates an account without an e-mail address; its name must be new. */
  public synchronized Account create(
      String name, Set<Role> roles, String password, String by, String from) {
    return create(name, roles, password, null, by, from);
  }

  /** Creates an account; its name must be new; {@code email} may be null. */
  public synchronized Account create(
      String name, Set<Role> roles, String password, String email, String by, String from) {
    Account.checkName(name);
    Account.checkEmail(email);
    if (store.find(name).isPresent()) {
      throw new IllegalArgumentException("account '" + name + "' exists already");
    }
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid roles [] (expected view, build, release or admin)");
    }
    if (password != null && password.length() < 12) {
      throw new IllegalArgumentException("password too short (expected at least 12 characters)");
    }
    Account a =
        new Account(
            name, roles, password == null ? null : passwords.encode(password), List.of(), email);
    store.save(a);
    audit.record(by, "account-created", name + " " + roles, from);
    return a;
  }

  /** Sets (or with null or blank, removes) an account's e-mail address. */
  public synchronized Account setEmail(String name, String email, String by, String from) {
    Account a =
        store
            .find(Account.checkName(name))
            .orElseThrow(() -> new IllegalArgumentException("no account '" + name + "'"))
            .withEmail(email);
    store.save(a);
    audit.record(by, "account-email-set", name, from);
    return a;
  }

  /** The account with this name. */
  public Optional<Account> find(String name) {
    return store.find(name);
  }

  /** A new token of an account, returned this once. */
  public synchronized NewToken newToken(String name, String by, String from) {
    Account a =
        store
            .find(name)
            .orElseThrow(() -> new IllegalArgumentException("no account '" + name + "'"));
    String token = Tokens.newToken();
    ApiToken t = new ApiToken(Tokens.newId(), Tokens.hash(token), Instant.now());
    store.save(a.withToken(t));
    audit.record(by, "token-created", name + " " + t.id(), from);
    return new NewToken(name, t.id(), token);
  }

  /** The account whose token this is. */
  public Optional<Account> byToken(String token) {
    return token == null || token.isBlank()
        ? Optional.empty()
        : store.findByTokenHash(Tokens.hash(token.trim()));
  }

  /** The account if {@code secret} is its password or one of its tokens. */
  public Optional<Account> byPassword(String name, String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    Optional<Account> a = store.find(name);
    if (a.isEmpty()) {
      return a;
    }
    String hash = a.get().passwordHash();
    if (hash != null && passwords.matches(secret, hash)) {
      return a;
    }
    String tokenHash = Tokens.hash(secret);
    return a.filter(acc -> acc.tokens().stream().anyMatch(t -> t.sha256().equals(tokenHash)));
  }

  /** Every account. */
  public List<Account> all() {
    return store.all();
  }

  /**
   * A token just made.
   *
   * @param account whose
   * @param id its public id
   * @param token the token itself: shown this once, stored only as a hash
   */
  public record NewToken(String account, String id, String token) {}
}
