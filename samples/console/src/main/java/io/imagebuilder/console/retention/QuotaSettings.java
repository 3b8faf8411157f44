package io.imagebuilder.console.retention;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many bytes of artifacts and logs each account may keep ({@code console.quota.*}).
 *
 * @param maxBytes every account's quota; null: none
 * @param accounts quotas of single accounts ({@code console.quota.accounts.alice=10000000000}),
 *     over {@code maxBytes}
 */
@ConfigurationProperties("console.quota")
public record QuotaSettings(Long maxBytes, Map<String, Long> accounts) {
  public QuotaSettings {
    accounts = Map.copyOf(accounts == null ? Map.of() : accounts);
    check("max-bytes", maxBytes);
    accounts.forEach((name, bytes) -> check("accounts." + name, bytes));
  }

  private static void check(String property, Long bytes) {
    if (bytes != null && bytes < 0) {
      throw new IllegalArgumentException(
          "invalid console.quota." + property + " '" + bytes + "' (expected 0 or more bytes)");
    }
  }

  /** The quota of {@code account}, or null for none. */
  public Long of(String account) {
    return accounts.getOrDefault(account, maxBytes);
  }
}
