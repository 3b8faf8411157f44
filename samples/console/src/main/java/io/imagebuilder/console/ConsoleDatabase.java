package io.imagebuilder.console;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console's database once its schema is up to date: the stores' {@link JdbcClient} and
 * transactions. {@link #open} runs the console's Flyway migrations ({@code db/migration}) first, so
 * a store never sees an old schema. The tables share the database with the image index's (which has
 * its own history table), so a database with tables but no console history is taken as a baseline
 * at version 0.
 */
public final class ConsoleDatabase {
  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final boolean sqlite;

  private ConsoleDatabase(DataSource dataSource, boolean sqlite) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.sqlite = sqlite;
  }

  /** Migrates the console's tables in {@code dataSource} and returns the database to use. */
  public static ConsoleDatabase open(DataSource dataSource) {
    Flyway.configure(ConsoleDatabase.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    try (Connection c = dataSource.getConnection()) {
      return new ConsoleDatabase(
          dataSource, c.getMetaData().getDatabaseProductName().equalsIgnoreCase("SQLite"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the console's database: " + e.getMessage(), e);
    }
  }

  /** The database's DataSource. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Whether it is SQLite (one machine) rather than a server. */
  public boolean sqlite() {
    return sqlite;
  }

  /** Statements on the database. */
  public JdbcClient jdbc() {
    return jdbc;
  }

  /** Runs {@code work} in one transaction: all of its writes or none. */
  public <T> T inTransaction(Supplier<T> work) {
    return transactions.execute(status -> work.get());
  }

  /** How the tables order times: microseconds since the epoch. */
  public static long micros(Instant time) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, time);
  }

  /**
   * A JDBC URL fit for a log line: without its parameters, where a password may be given.
   *
   * @param url a JDBC URL
   * @return the URL up to its first '?' or ';'
   */
  public static String withoutParameters(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int at = url.indexOf(c);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return url.substring(0, cut);
  }
}
