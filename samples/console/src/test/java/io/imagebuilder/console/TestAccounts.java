package io.imagebuilder.console;

import io.imagebuilder.console.account.AccountService;
import io.imagebuilder.console.account.Role;
import java.util.Set;
import org.springframework.context.ApplicationContext;

/** Accounts the tests make through the console's own service, as an admin would. */
public final class TestAccounts {
  private TestAccounts() {}

  /** A new token of account {@code name} (made with these roles and password if it is new). */
  public static String token(ApplicationContext context, String name, Role role, String password) {
    AccountService accounts = context.getBean(AccountService.class);
    if (accounts.all().stream().noneMatch(a -> a.name().equals(name))) {
      accounts.create(name, Set.of(role), password, "test", "127.0.0.1");
    }
    return accounts.newToken(name, "test", "127.0.0.1").token();
  }

  /** A new token of account {@code name}, made with this role if it is new. */
  public static String token(ApplicationContext context, String name, Role role) {
    return token(context, name, role, null);
  }
}
