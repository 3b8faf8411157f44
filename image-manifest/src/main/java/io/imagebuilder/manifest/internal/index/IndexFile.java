package io.imagebuilder.manifest.internal.index;

import io.imagebuilder.manifest.api.ImageIndexException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the index file safely. A missing file is made complete beside it and then linked into
 * place, so no process ever sees a half-made index and two first runs cannot both create it. An
 * existing file is checked before anything writes to it: it must start with the SQLite header and
 * carry our application id, and its schema must not be newer than ours; otherwise the error names
 * the file and the file is left as it was. Only then is it opened for writing (WAL mode, busy
 * timeout, immediate transactions) and migrated (see {@link IndexSchema}).
 */
public final class IndexFile {
  /** How long a writer waits for another process's transaction. */
  static final int BUSY_TIMEOUT_MILLIS = 60_000;

  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private IndexFile() {}

  /** A connection to the index at {@code file}, created and migrated as needed. */
  public static Connection open(Path file) throws ImageIndexException {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new ImageIndexException(
          absolute, "cannot create the directory of the image index " + absolute + ": " + e, e);
    }
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      createInPlace(absolute);
    }
    checkIsOurs(absolute);
    Connection c = null;
    try {
      c = connect(absolute, false);
      migrateIfOlder(absolute, c);
      return c;
    } catch (SQLException e) {
      if (c != null) {
        closeQuietly(c);
      }
      throw new ImageIndexException(
          absolute, "cannot open the image index " + absolute + ": " + e.getMessage(), e);
    }
  }

  private static void createInPlace(Path file) throws ImageIndexException {
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".new");
    try {
      try (Connection c = connect(tmp, false)) {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("PRAGMA journal_mode = WAL");
          s.executeUpdate("PRAGMA application_id = " + IndexSchema.APPLICATION_ID);
        }
        IndexSchema.setUserVersion(c, IndexSchema.migrate(dataSource(tmp), 0));
      }
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // Another process made the index first: use that one.
      }
    } catch (SQLException | IOException e) {
      throw new ImageIndexException(
          file, "cannot create the image index " + file + ": " + e.getMessage(), e);
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        try {
          Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + suffix));
        } catch (IOException e) {
          // A stray temporary file is harmless; the index is in place.
        }
      }
    }
  }

  /** The schema version of an open index file (its {@code user_version}). */
  public static int schemaVersion(Connection c) throws SQLException {
    return IndexSchema.userVersion(c);
  }

  /**
   * The sha256 of an image file, as the index keys artifacts (the API side of the index may not
   * reach the shared primitive itself).
   *
   * @param imageFile the file
   * @return its sha256, 64 hex digits
   * @throws java.io.IOException if it cannot be read
   */
  public static String sha256Of(Path imageFile) throws java.io.IOException {
    return io.imagebuilder.internal.hash.Sha256.ofFile(imageFile);
  }

  /**
   * Checks, reading only, that an existing file is an index this library can use: SQLite, with our
   * marker, of a schema not newer than ours. A missing file passes (it will be created).
   */
  public static void checkUsable(Path file) throws ImageIndexException {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      checkIsOurs(absolute);
    }
  }

  /** Reads only: the file is not touched unless it is an index of ours. */
  static void checkIsOurs(Path file) throws ImageIndexException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageIndexException(
          file,
          file + " is not a regular file (expected an ImageBuilder image index); left as it is");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SQLITE_HEADER.length);
    } catch (IOException e) {
      throw new ImageIndexException(file, "cannot read the image index " + file + ": " + e, e);
    }
    if (!Arrays.equals(head, SQLITE_HEADER)) {
      throw new ImageIndexException(
          file,
          file
              + " is not an ImageBuilder image index: it is not a SQLite database"
              + (head.length == 0 ? " (the file is empty)" : "")
              + "; left as it is (move it away or choose another index file)");
    }
    try (Connection c = connect(file, true)) {
      int applicationId = IndexSchema.applicationId(c);
      if (applicationId != IndexSchema.APPLICATION_ID) {
        throw new ImageIndexException(
            file,
            file
                + " is a SQLite database but not an ImageBuilder image index (application_id "
                + applicationId
                + ", tables "
                + IndexSchema.tableNames(c)
                + "); left as it is (move it away or choose another index file)");
      }
      int version = IndexSchema.userVersion(c);
      if (version > IndexSchema.CURRENT_VERSION) {
        throw new ImageIndexException(
            file,
            file
                + " has index schema version "
                + version
                + ", newer than this library's "
                + IndexSchema.CURRENT_VERSION
                + " (expected a newer ImageBuilder); left as it is");
      }
    } catch (SQLException e) {
      throw new ImageIndexException(
          file,
          file
              + " is damaged or not an ImageBuilder image index: "
              + e.getMessage()
              + "; left as it is",
          e);
    }
  }

  /**
   * Migrates a file of an older schema. One made before the index used Flyway has no history: its
   * {@code user_version} is the baseline. The version is mirrored back into {@code user_version},
   * which is what {@link #checkIsOurs} and older libraries read.
   *
   * <p>Two processes opening the same old file take turns on a lock file beside it ({@code
   * index.db.migrating}, removed after), and each reads the version again once it has the lock: the
   * second finds the file migrated. (Not a lock on the index itself: SQLite's own POSIX locks on it
   * would be dropped when this process closed another descriptor of the file.)
   */
  private static void migrateIfOlder(Path file, Connection c) throws SQLException {
    if (IndexSchema.userVersion(c) >= IndexSchema.CURRENT_VERSION) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".migrating");
    try (FileChannel lock =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      lock.lock();
      try {
        int version = IndexSchema.userVersion(c);
        if (version < IndexSchema.CURRENT_VERSION) {
          IndexSchema.setUserVersion(c, IndexSchema.migrate(dataSource(file), version));
        }
      } finally {
        Files.deleteIfExists(lockFile);
      }
    } catch (IOException e) {
      throw new SQLException("cannot take the migration lock " + lockFile + ": " + e, e);
    }
  }

  /** Connections to the file as Flyway takes them: the same settings as ours. */
  private static SQLiteDataSource dataSource(Path file) {
    SQLiteDataSource ds = new SQLiteDataSource(config(false));
    ds.setUrl("jdbc:sqlite:" + file);
    return ds;
  }

  static Connection connect(Path file, boolean readOnly) throws SQLException {
    return config(readOnly).createConnection("jdbc:sqlite:" + file);
  }

  private static SQLiteConfig config(boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    if (readOnly) {
      config.setReadOnly(true);
    } else {
      config.enforceForeignKeys(true);
    }
    return config;
  }

  /** Closes a connection whose caller is already failing with a better message. */
  public static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Already failing with a better message.
    }
  }
}
