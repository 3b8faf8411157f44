package io.imagebuilder.console;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The console's SQLite databases a unit test opens (as the console does), closed after it. */
public final class TestDatabases implements AutoCloseable {
  private final List<HikariDataSource> opened = new ArrayList<>();

  /** The console's database in {@code file}, migrated; a second call is a console restarted. */
  public ConsoleDatabase sqlite(Path file) {
    HikariDataSource ds = DatabaseConfiguration.sqlite(file);
    opened.add(ds);
    return ConsoleDatabase.open(ds);
  }

  /** Everything on disk of the SQLite database {@code file} (with its WAL), as text. */
  public static String bytesOnDisk(Path file) throws IOException {
    StringBuilder all = new StringBuilder();
    for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
      if (Files.exists(p)) {
        all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }

  @Override
  public void close() {
    opened.forEach(HikariDataSource::close);
  }
}
