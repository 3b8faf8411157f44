package io.imagebuilder.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.Account;
import io.imagebuilder.console.account.AuditEntry;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.JdbcAccountStore;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the state of a console that kept it in files ({@code accounts.json}, {@code audit.jsonl},
 * {@code builds/<id>/build.json} in its data directory) into its database, once: each file read is
 * renamed to {@code <name>.imported} afterwards, so nothing is read twice and nothing is deleted.
 * Accounts and the audit log are taken only into a database that has none yet.
 */
final class FileStateImport {
  private static final Logger LOG = LoggerFactory.getLogger(FileStateImport.class);
  static final String DONE = ".imported";

  private FileStateImport() {}

  static void run(ConsoleSettings settings, ConsoleDatabase db, ObjectMapper json) {
    try {
      int accounts = accounts(settings.dataDir().resolve("accounts.json"), db, json);
      int audit = audit(settings.dataDir().resolve("audit.jsonl"), db, json);
      int builds = builds(settings.buildsDir(), db, json);
      if (accounts + audit + builds > 0) {
        LOG.info(
            "imported {} accounts, {} audit entries and {} builds from the files of an older"
                + " console in {} (renamed to *{})",
            accounts,
            audit,
            builds,
            settings.dataDir(),
            DONE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot import the files of an older console in " + settings.dataDir() + ": " + e, e);
    }
  }

  private static int accounts(Path file, ConsoleDatabase db, ObjectMapper json) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    JdbcAccountStore store = new JdbcAccountStore(db);
    if (!store.all().isEmpty()) {
      LOG.warn("{} is not imported: the console's database has accounts already", file);
      return 0;
    }
    List<Account> accounts = json.readValue(file.toFile(), new TypeReference<List<Account>>() {});
    db.inTransaction(
        () -> {
          accounts.forEach(store::save);
          return null;
        });
    done(file);
    return accounts.size();
  }

  private static int audit(Path file, ConsoleDatabase db, ObjectMapper json) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    AuditLog log = new AuditLog(db);
    if (!log.all().isEmpty()) {
      LOG.warn("{} is not imported: the console's database has an audit log already", file);
      return 0;
    }
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        log.append(json.readValue(line, AuditEntry.class));
        n++;
      }
    }
    done(file);
    return n;
  }

  private static int builds(Path buildsDir, ConsoleDatabase db, ObjectMapper json)
      throws IOException {
    if (!Files.isDirectory(buildsDir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> dirs = Files.list(buildsDir)) {
      files =
          dirs.filter(d -> BuildIds.isValid(d.getFileName().toString()))
              .map(d -> d.resolve("build.json"))
              .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
              .toList();
    }
    JdbcBuildStore store = new JdbcBuildStore(db, json);
    int n = 0;
    for (Path f : files) {
      BuildView b = json.readValue(f.toFile(), BuildView.class);
      if (!b.id().equals(f.getParent().getFileName().toString())) {
        LOG.warn("{} is not imported: it holds build {}", f, b.id());
        continue;
      }
      if (store.find(b.id()).isEmpty()) {
        store.save(b);
        n++;
      }
      done(f);
    }
    if (n > 0) {
      new JdbcBuildStore(db, json); // builds that were running when it stopped: marked failed
    }
    return n;
  }

  private static void done(Path file) throws IOException {
    Files.move(file, file.resolveSibling(file.getFileName() + DONE));
  }
}
