package io.imagebuilder.console.account;

import io.imagebuilder.console.ConsoleDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the accounts in {@code console_accounts} and their tokens in {@code console_tokens}:
 * secrets only as hashes (BCrypt for passwords, sha256 for tokens). An account and its tokens are
 * written in one transaction.
 */
public final class JdbcAccountStore implements AccountStore {
  private final ConsoleDatabase db;

  public JdbcAccountStore(ConsoleDatabase db) {
    this.db = db;
  }

  @Override
  public void save(Account account) {
    db.inTransaction(
        () -> {
          db.jdbc()
              .sql(
                  "INSERT INTO console_accounts (name, roles, password_hash, email)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                      + " roles = excluded.roles, password_hash = excluded.password_hash,"
                      + " email = excluded.email")
              .params(
                  account.name(), roles(account.roles()), account.passwordHash(), account.email())
              .update();
          db.jdbc()
              .sql("DELETE FROM console_tokens WHERE account = ?")
              .param(account.name())
              .update();
          for (ApiToken t : account.tokens()) {
            db.jdbc()
                .sql(
                    "INSERT INTO console_tokens (id, account, sha256, created_at)"
                        + " VALUES (?, ?, ?, ?)")
                .params(t.id(), account.name(), t.sha256(), t.createdAt().toString())
                .update();
          }
          return null;
        });
  }

  @Override
  public Optional<Account> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return db.jdbc()
        .sql("SELECT name, roles, password_hash, email FROM console_accounts WHERE name = ?")
        .param(name)
        .query(this::account)
        .optional();
  }

  @Override
  public Optional<Account> findByTokenHash(String sha256) {
    return db.jdbc()
        .sql(
            "SELECT a.name, a.roles, a.password_hash, a.email FROM console_accounts a"
                + " JOIN console_tokens t ON t.account = a.name WHERE t.sha256 = ?")
        .param(String.valueOf(sha256))
        .query(this::account)
        .optional();
  }

  @Override
  public List<Account> all() {
    return db.jdbc()
        .sql("SELECT name, roles, password_hash, email FROM console_accounts ORDER BY name")
        .query(this::account)
        .list();
  }

  private Account account(ResultSet rs, int row) throws SQLException {
    String name = rs.getString(1);
    List<ApiToken> tokens =
        db.jdbc()
            .sql(
                "SELECT id, sha256, created_at FROM console_tokens WHERE account = ?"
                    + " ORDER BY created_at, id")
            .param(name)
            .query(
                (t, n) ->
                    new ApiToken(t.getString(1), t.getString(2), Instant.parse(t.getString(3))))
            .list();
    return new Account(name, parseRoles(rs.getString(2)), rs.getString(3), tokens, rs.getString(4));
  }

  private static String roles(Set<Role> roles) {
    return roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
  }

  private static Set<Role> parseRoles(String text) {
    return Role.parseAll(Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).toList());
  }
}
