package io.imagebuilder.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.ImageIndexException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the console keeps builds, accounts, the audit log and the image index. By default one
 * machine: the console's tables in SQLite, {@code <dataDir>/console.db}, and the library's own
 * index file ({@code <cacheDir>/index.db}), which the builds in this JVM record themselves in. With
 * {@code spring.datasource.url} (a farm: PostgreSQL, with {@code spring.datasource.username} and
 * {@code .password}) everything is in that database, the image index's tables too, so the console
 * keeps nothing of its state on local disk but artifacts and logs.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

  /** The pool; {@code spring.datasource.hikari.*} tunes it. */
  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DataSourceProperties properties, ConsoleSettings settings) {
    HikariDataSource ds;
    if (configured(properties)) {
      ds = new HikariDataSource();
      ds.setPoolName("console-database");
      ds.setJdbcUrl(properties.getUrl());
      ds.setUsername(properties.getUsername());
      ds.setPassword(properties.getPassword());
      if (properties.getDriverClassName() != null) {
        ds.setDriverClassName(properties.getDriverClassName());
      }
      // never the password, nor URL parameters that may hold one
      LOG.info(
          "console database: {} as {}",
          ConsoleDatabase.withoutParameters(properties.getUrl()),
          properties.getUsername());
    } else {
      ds = sqlite(settings.dataDir().resolve("console.db"));
    }
    return ds;
  }

  /**
   * The one-machine database: a SQLite file, readable by this user only from its creation on (it
   * holds password and token hashes; SQLite gives its WAL files the same mode).
   *
   * @param file the database file, made if missing
   * @return a small pool of connections to it; close it when done
   */
  public static HikariDataSource sqlite(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the console's database " + file, e);
    }
    HikariDataSource ds = new HikariDataSource();
    ds.setPoolName("console-database");
    ds.setJdbcUrl("jdbc:sqlite:" + file);
    // sqlite-jdbc takes pragmas as connection properties: writers wait for each other
    ds.addDataSourceProperty("journal_mode", "WAL");
    ds.addDataSourceProperty("busy_timeout", "60000");
    ds.addDataSourceProperty("foreign_keys", "true");
    ds.setMaximumPoolSize(4);
    LOG.info("console database: {}", file);
    return ds;
  }

  /** The database, migrated, with the state of an older console's files imported into it. */
  @Bean
  ConsoleDatabase consoleDatabase(
      HikariDataSource dataSource, ConsoleSettings settings, ObjectMapper json) {
    ConsoleDatabase db = ConsoleDatabase.open(dataSource);
    FileStateImport.run(settings, db, json);
    return db;
  }

  /**
   * The image index the console reads (and records uploaded builds in): in the configured database,
   * else the library's index file in the cache directory.
   */
  @Bean(destroyMethod = "close")
  ImageIndex imageIndex(
      DataSourceProperties properties, ConsoleSettings settings, HikariDataSource dataSource)
      throws ImageIndexException {
    return configured(properties)
        ? ImageIndex.open(dataSource)
        : ImageIndex.open(settings.indexFile());
  }

  private static boolean configured(DataSourceProperties properties) {
    return properties.getUrl() != null && !properties.getUrl().isBlank();
  }
}
