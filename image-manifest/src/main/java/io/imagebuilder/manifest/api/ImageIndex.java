package io.imagebuilder.manifest.api;

import io.imagebuilder.api.CacheDir;
import io.imagebuilder.manifest.internal.index.IndexConnections;
import io.imagebuilder.manifest.internal.index.IndexDatabase;
import io.imagebuilder.manifest.internal.index.IndexFile;
import io.imagebuilder.manifest.internal.index.IndexSchema;
import io.imagebuilder.manifest.internal.index.IndexStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The image index: every recorded build with its spec, manifest, artifacts, partitions and
 * packages, in a SQLite file (by default {@code <cache dir>/index.db}, i.e. {@code
 * ~/.cache/imagebuilder/index.db}) or in a database the caller gives as a {@link DataSource}
 * (PostgreSQL, for a service whose nodes share no disk). It answers the way back from an image to
 * what built it: by the sha256 of an artifact, of a partition or of a spec; which images contain a
 * package; all builds of a spec.
 *
 * <p>Several processes may use one index at once: writes are transactions (in a file, in WAL mode)
 * that wait for each other. A file that is not an index (not SQLite, or SQLite without the index's
 * marker) or has a newer schema is reported with an {@link ImageIndexException} naming it and is
 * never changed. The schema is created and migrated with Flyway, by the same migrations in a file
 * and in a database; in a database its history is the table {@code imagebuilder_index_history} and
 * its tables are {@code builds}, {@code artifacts}, {@code images}, {@code partitions} and {@code
 * packages}. Thread-safe; close it when done.
 */
public final class ImageIndex implements AutoCloseable {
  private final Path file;
  private final String location;
  private final IndexConnections connections;
  private final int schemaVersion;

  private ImageIndex(Path file, String location, IndexConnections connections, int version) {
    this.file = file;
    this.location = location;
    this.connections = connections;
    this.schemaVersion = version;
  }

  /**
   * The default index file.
   *
   * @return {@code <user cache dir>/imagebuilder/index.db}: $XDG_CACHE_HOME or ~/.cache
   */
  public static Path defaultFile() {
    return fileIn(CacheDir.defaultDir());
  }

  /**
   * The index file in an ImageBuilder cache directory.
   *
   * @param cacheDir an ImageBuilder cache directory
   * @return {@code cacheDir/index.db}
   */
  public static Path fileIn(Path cacheDir) {
    return cacheDir.resolve("index.db");
  }

  /**
   * Opens the default index, creating it if it does not exist.
   *
   * @return the open index; close it when done
   * @throws ImageIndexException if the file is not an index, has a newer schema or cannot be opened
   */
  public static ImageIndex open() throws ImageIndexException {
    return open(defaultFile());
  }

  /**
   * Opens the index at {@code file}, creating it (and its directory) or migrating it as needed.
   *
   * @param file the index file
   * @return the open index; close it when done
   * @throws ImageIndexException if the file is not an index, has a newer schema or cannot be opened
   */
  public static ImageIndex open(Path file) throws ImageIndexException {
    Path absolute = file.toAbsolutePath().normalize();
    Connection c = IndexFile.open(absolute);
    try {
      return new ImageIndex(
          absolute, absolute.toString(), IndexConnections.of(c), IndexFile.schemaVersion(c));
    } catch (SQLException e) {
      IndexFile.closeQuietly(c);
      throw new ImageIndexException(
          absolute, "cannot open the image index " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the index in a database, creating or migrating its tables as needed. The tables live
   * beside any others (an application's own, with their own Flyway history); each call borrows a
   * connection from {@code dataSource} and gives it back. PostgreSQL needs Flyway's PostgreSQL
   * support ({@code org.flywaydb:flyway-database-postgresql}) and its driver on the classpath.
   *
   * @param dataSource the database; it stays the caller's, {@link #close()} leaves it open
   * @return the open index; close it when done
   * @throws ImageIndexException if the database cannot be reached, holds an index of a newer schema
   *     or cannot be migrated
   */
  public static ImageIndex open(DataSource dataSource) throws ImageIndexException {
    String location = IndexDatabase.describe(dataSource);
    try {
      int version = IndexDatabase.migrate(dataSource);
      return new ImageIndex(null, location, IndexConnections.of(dataSource), version);
    } catch (SQLException e) {
      throw new ImageIndexException(null, "cannot open " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * The index file.
   *
   * @return its absolute, normalised path; null for an index opened on a {@link DataSource}
   */
  public Path file() {
    return file;
  }

  /**
   * The schema version of the index.
   *
   * @return the version it is at (after any migration on open)
   */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * The schema version this library writes.
   *
   * @return the version number
   */
  public static int currentSchemaVersion() {
    return IndexSchema.CURRENT_VERSION;
  }

  /**
   * Records a build: its spec, the manifest, its artifacts with their partitions, its packages. One
   * transaction: another process sees all of it or nothing.
   *
   * @param manifest the complete manifest of the build (not its embedded copy)
   * @return the build's number in the index
   * @throws IllegalArgumentException if {@code manifest} is the embedded copy
   * @throws ImageIndexException if the index cannot be written
   */
  public synchronized long record(Manifest manifest) throws ImageIndexException {
    return record(manifest, null);
  }

  /**
   * Records a build as {@link #record(Manifest)} does, with the plan that ran and where its
   * artifacts were written.
   *
   * @param manifest the complete manifest (not an embedded copy)
   * @param origin the plan and output directory, or null when not known
   * @return the build's number in the index
   * @throws ImageIndexException if the index cannot be written
   */
  public synchronized long record(Manifest manifest, BuildOrigin origin)
      throws ImageIndexException {
    if (manifest.embedded()) {
      throw new IllegalArgumentException(
          "cannot record the embedded copy of a manifest (expected the complete manifest with artifacts)");
    }
    return call(store -> store.record(manifest, origin));
  }

  /**
   * How many distinct artifacts (by sha256) the index knows: rebuilding the same bytes adds none.
   *
   * @return the number of image rows
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized long imageCount() throws ImageIndexException {
    return call(IndexStore::imageCount);
  }

  /**
   * The build that made an artifact or a partition with this sha256, else the latest build of a
   * spec with this hash.
   *
   * @param sha256 64 hex digits (upper case is accepted)
   * @return the build, or empty if no artifact, partition or spec has this hash
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized Optional<IndexedBuild> lookup(String sha256) throws ImageIndexException {
    String hash = normalise(sha256);
    Optional<IndexedBuild> found = call(store -> store.byArtifact(hash));
    if (found.isEmpty()) {
      found = call(store -> store.byPartition(hash));
    }
    if (found.isEmpty()) {
      List<IndexedBuild> builds = call(store -> store.bySpec(hash));
      found = builds.isEmpty() ? Optional.empty() : Optional.of(builds.get(builds.size() - 1));
    }
    return found;
  }

  /**
   * The latest build that wrote an artifact with this sha256.
   *
   * @param sha256 64 hex digits (upper case is accepted)
   * @return the build, or empty if no artifact has this hash
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized Optional<IndexedBuild> findByArtifact(String sha256)
      throws ImageIndexException {
    String hash = normalise(sha256);
    return call(store -> store.byArtifact(hash));
  }

  /**
   * The latest build that wrote a disk image with a partition of this sha256.
   *
   * @param sha256 64 hex digits (upper case is accepted)
   * @return the build, or empty if no partition has this hash
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized Optional<IndexedBuild> findByPartition(String sha256)
      throws ImageIndexException {
    String hash = normalise(sha256);
    return call(store -> store.byPartition(hash));
  }

  /**
   * Every build of the spec with this hash, oldest first.
   *
   * @param specHash the spec's hash, 64 hex digits (upper case is accepted)
   * @return the builds, empty if there are none
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized List<IndexedBuild> buildsOfSpec(String specHash) throws ImageIndexException {
    String hash = normalise(specHash);
    return call(store -> store.bySpec(hash));
  }

  /**
   * Every image (artifact) whose build installed the package, at the query's version if it has one.
   *
   * @param query a package name, with or without a version
   * @return the matching images, empty if there are none
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized List<PackageMatch> imagesWithPackage(PackageQuery query)
      throws ImageIndexException {
    return call(store -> store.imagesWithPackage(query.name(), query.version()));
  }

  /**
   * {@link #imagesWithPackage(PackageQuery)} for {@code NAME} or {@code NAME=VERSION}.
   *
   * @param query {@code NAME} or {@code NAME=VERSION}
   * @return the matching images, empty if there are none
   * @throws IllegalArgumentException if {@code query} is not a valid package query
   * @throws ImageIndexException if the index cannot be read
   */
  public List<PackageMatch> imagesWithPackage(String query) throws ImageIndexException {
    return imagesWithPackage(PackageQuery.parse(query));
  }

  /**
   * How many builds the index holds.
   *
   * @return the number of recorded builds
   * @throws ImageIndexException if the index cannot be read
   */
  public synchronized long buildCount() throws ImageIndexException {
    return call(IndexStore::buildCount);
  }

  /**
   * What an image file is: its sha256 looked up in the index (as an artifact or a partition); if it
   * is not there, the manifest embedded in the file, read without extracting or mounting.
   *
   * @param imageFile an image file (tarball or disk image)
   * @return empty if the file is not indexed and holds no embedded manifest a reader on the
   *     classpath can read
   * @throws IOException if the file cannot be read, or its embedded manifest is damaged
   * @throws ImageIndexException if the index cannot be read
   */
  public Optional<Identification> identify(Path imageFile) throws IOException, ImageIndexException {
    String sha256 = IndexFile.sha256Of(imageFile);
    Optional<IndexedBuild> indexed = findByArtifact(sha256);
    if (indexed.isEmpty()) {
      indexed = findByPartition(sha256);
    }
    if (indexed.isPresent()) {
      return Optional.of(
          new Identification(
              sha256, Identification.Source.INDEX, indexed.get().manifest(), indexed));
    }
    return Manifests.readEmbedded(imageFile)
        .map(m -> new Identification(sha256, Identification.Source.EMBEDDED, m, Optional.empty()));
  }

  /**
   * What the command line's {@code lookup ARG} needs: {@code ARG} names an existing file → {@link
   * #identify(Path)}; otherwise it must be a sha256 → {@link #lookup(String)} (artifact, partition
   * or spec).
   *
   * @param hashOrFile an image file, or a sha256 (of an artifact, a partition or a spec)
   * @return what the index or the file's embedded manifest says, or empty if neither knows it
   * @throws IllegalArgumentException if {@code ARG} is neither a file nor 64 hex digits
   * @throws IOException if the file cannot be read, or its embedded manifest is damaged
   * @throws ImageIndexException if the index cannot be read
   */
  public Optional<Identification> resolve(String hashOrFile)
      throws IOException, ImageIndexException {
    Path path = Path.of(hashOrFile);
    if (java.nio.file.Files.isRegularFile(path)) {
      return identify(path);
    }
    if (!Sha256s.isSha256(hashOrFile.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          "invalid image '"
              + hashOrFile
              + "' (expected an image file or its sha256, 64 hex digits)");
    }
    String hash = hashOrFile.toLowerCase(java.util.Locale.ROOT);
    return lookup(hash)
        .map(
            b ->
                new Identification(
                    hash, Identification.Source.INDEX, b.manifest(), Optional.of(b)));
  }

  @Override
  public synchronized void close() throws ImageIndexException {
    try {
      connections.close();
    } catch (SQLException e) {
      throw new ImageIndexException(file, "cannot close " + describe() + ": " + e.getMessage(), e);
    }
  }

  private String describe() {
    return file == null ? location : "the image index " + file;
  }

  private static String normalise(String sha256) {
    String hash = sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT);
    return Sha256s.require(hash, "sha256");
  }

  private <T> T call(IndexConnections.Work<T> body) throws ImageIndexException {
    try {
      return connections.with(body);
    } catch (SQLException e) {
      throw new ImageIndexException(file, describe() + ": " + e.getMessage(), e);
    }
  }
}
