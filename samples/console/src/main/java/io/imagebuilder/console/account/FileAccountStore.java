package io.imagebuilder.console.account;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps every account in one file, {@code accounts.json}, written whole under a temporary name
 * (mode 0600: it holds password hashes) and renamed.
 */
public final class FileAccountStore implements AccountStore {
  private final Path file;
  private final ObjectMapper json;
  private final Map<String, Account> accounts = new TreeMap<>();

  public FileAccountStore(Path file, ObjectMapper json) {
    this.file = file;
    this.json = json;
    try {
      if (Files.exists(file)) {
        for (Account a : json.readValue(file.toFile(), new TypeReference<List<Account>>() {})) {
          accounts.put(a.name(), a);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the accounts in " + file, e);
    }
  }

  @Override
  public synchronized void save(Account account) {
    Map<String, Account> next = new TreeMap<>(accounts);
    next.put(account.name(), account);
    try {
      JsonFiles.write(json, file, List.copyOf(next.values()), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the accounts to " + file, e);
    }
    accounts.put(account.name(), account);
  }

  @Override
  public synchronized Optional<Account> find(String name) {
    return Optional.ofNullable(name == null ? null : accounts.get(name));
  }

  @Override
  public synchronized Optional<Account> findByTokenHash(String sha256) {
    return accounts.values().stream()
        .filter(a -> a.tokens().stream().anyMatch(t -> t.sha256().equals(sha256)))
        .findFirst();
  }

  @Override
  public synchronized List<Account> all() {
    return accounts.values().stream().sorted(Comparator.comparing(Account::name)).toList();
  }
}
