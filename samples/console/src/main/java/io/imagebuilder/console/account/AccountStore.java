package io.imagebuilder.console.account;

import java.util.List;
import java.util.Optional;

/**
 * Where the console keeps its accounts: {@link JdbcAccountStore}, in the console's database (SQLite
 * on one machine, PostgreSQL in a farm).
 */
public interface AccountStore {
  /** Stores an account, new or changed. */
  void save(Account account);

  /** The account with this name. */
  Optional<Account> find(String name);

  /** The account one of whose tokens has this hash. */
  Optional<Account> findByTokenHash(String sha256);

  /** Every account, by name. */
  List<Account> all();
}
