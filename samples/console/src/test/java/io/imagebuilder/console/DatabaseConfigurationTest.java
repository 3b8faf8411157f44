package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class DatabaseConfigurationTest {
  @TempDir Path dir;

  private ConsoleSettings settings() {
    return new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null);
  }

  @Test
  void aConfiguredDatabaseIsLoggedWithoutItsPassword(CapturedOutput output) {
    DataSourceProperties p = new DataSourceProperties();
    p.setUrl("jdbc:postgresql://127.0.0.1:5433/imagebuilder?password=url-s3cret&ssl=false");
    p.setUsername("builder");
    p.setPassword("property-s3cret");

    try (HikariDataSource ds = new DatabaseConfiguration().dataSource(p, settings())) {
      assertEquals("builder", ds.getUsername());
    }

    assertTrue(
        output
            .getAll()
            .contains("console database: jdbc:postgresql://127.0.0.1:5433/imagebuilder as builder"),
        output.getAll());
    assertFalse(output.getAll().contains("s3cret"), output.getAll());
    assertFalse(Files.exists(settings().dataDir().resolve("console.db")), "no SQLite file");
  }

  @Test
  void withNothingConfiguredItIsSqliteInTheDataDirectoryForThisUserOnly() throws Exception {
    try (HikariDataSource ds =
        new DatabaseConfiguration().dataSource(new DataSourceProperties(), settings())) {
      Path file = settings().dataDir().resolve("console.db");
      assertEquals("jdbc:sqlite:" + file, ds.getJdbcUrl());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }
}
