package io.imagebuilder.manifest.internal.index;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the index's calls get their connection: the one connection to an index file, or one
 * borrowed from a caller's {@link DataSource} for each call (and given back after it).
 */
public interface IndexConnections {
  /** Something the index does on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(IndexStore store) throws SQLException;
  }

  /** Runs {@code work} on a connection. */
  <T> T with(Work<T> work) throws SQLException;

  /** Closes what this owns: the file's connection; never the caller's DataSource. */
  void close() throws SQLException;

  /** The calls of an index file, on its one connection (the caller serialises them). */
  static IndexConnections of(Connection connection) {
    IndexStore store = new IndexStore(connection);
    return new IndexConnections() {
      @Override
      public <T> T with(Work<T> work) throws SQLException {
        return work.run(store);
      }

      @Override
      public void close() throws SQLException {
        connection.close();
      }
    };
  }

  /** The calls of an index in a database, each on a connection of {@code dataSource}. */
  static IndexConnections of(DataSource dataSource) {
    return new IndexConnections() {
      @Override
      public <T> T with(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
          return work.run(new IndexStore(c));
        }
      }

      @Override
      public void close() {
        // the DataSource is the caller's
      }
    };
  }
}
