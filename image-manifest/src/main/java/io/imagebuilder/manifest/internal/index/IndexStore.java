package io.imagebuilder.manifest.internal.index;

import io.imagebuilder.manifest.api.BuildOrigin;
import io.imagebuilder.manifest.api.IndexedBuild;
import io.imagebuilder.manifest.api.IndexedImage;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.ManifestPartition;
import io.imagebuilder.manifest.api.PackageMatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The index's reads and writes over one connection; the caller serialises calls. */
public final class IndexStore {
  private static final String BUILD_COLUMNS =
      "b.id, b.spec_hash, b.spec_json, b.manifest_json, b.created_at, b.plan_id, b.plan_json, b.output_dir";

  private final Connection c;

  public IndexStore(Connection connection) {
    this.c = connection;
  }

  /**
   * Inserts the build and everything it lists in one immediate transaction; an artifact's bytes get
   * an image row the first time they are seen.
   *
   * @param origin the plan and output directory, or null when the caller does not know them
   */
  public long record(Manifest manifest, BuildOrigin origin) throws SQLException {
    c.setAutoCommit(false);
    try {
      long id;
      // RETURNING: SQLite (3.35+) and PostgreSQL both give the new id this way
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO builds (spec_hash, spec_json, manifest_json, created_at, plan_id, plan_json, output_dir)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
        p.setString(1, manifest.specHash());
        p.setString(2, manifest.specJson());
        p.setString(3, manifest.toJson());
        p.setString(4, Instant.now().toString());
        p.setString(5, origin == null ? null : origin.planId());
        p.setString(6, origin == null ? null : origin.planJson());
        p.setString(7, origin == null ? null : origin.outputDir().toString());
        try (ResultSet keys = p.executeQuery()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      try (PreparedStatement a =
              c.prepareStatement(
                  "INSERT INTO artifacts (build_id, sha256, file_name, format, size) VALUES (?, ?, ?, ?, ?)");
          PreparedStatement part =
              c.prepareStatement(
                  "INSERT INTO partitions (build_id, artifact_sha256, number, sha256) VALUES (?, ?, ?, ?)");
          PreparedStatement image =
              c.prepareStatement(
                  "INSERT INTO images (sha256, format, size, first_build_id) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (sha256) DO NOTHING")) {
        for (ManifestArtifact artifact : manifest.artifacts()) {
          a.setLong(1, id);
          a.setString(2, artifact.sha256());
          a.setString(3, artifact.file());
          a.setString(4, artifact.format());
          a.setLong(5, artifact.size());
          a.addBatch();
          image.setString(1, artifact.sha256());
          image.setString(2, artifact.format());
          image.setLong(3, artifact.size());
          image.setLong(4, id);
          image.addBatch();
          for (ManifestPartition partition : artifact.partitions()) {
            part.setLong(1, id);
            part.setString(2, artifact.sha256());
            part.setInt(3, partition.number());
            part.setString(4, partition.sha256());
            part.addBatch();
          }
        }
        a.executeBatch();
        part.executeBatch();
        image.executeBatch();
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO packages (build_id, name, version, architecture) VALUES (?, ?, ?, ?)")) {
        for (ManifestPackage pkg : manifest.packages()) {
          p.setLong(1, id);
          p.setString(2, pkg.name());
          p.setString(3, pkg.version());
          p.setString(4, pkg.architecture());
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
      return id;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  public Optional<IndexedBuild> byArtifact(String sha256) throws SQLException {
    return first(
        "SELECT "
            + BUILD_COLUMNS
            + " FROM builds b JOIN artifacts a ON a.build_id = b.id"
            + " WHERE a.sha256 = ? ORDER BY b.id DESC LIMIT 1",
        sha256);
  }

  public Optional<IndexedBuild> byPartition(String sha256) throws SQLException {
    return first(
        "SELECT "
            + BUILD_COLUMNS
            + " FROM builds b JOIN partitions p ON p.build_id = b.id"
            + " WHERE p.sha256 = ? ORDER BY b.id DESC LIMIT 1",
        sha256);
  }

  public List<IndexedBuild> bySpec(String specHash) throws SQLException {
    return builds(
        "SELECT " + BUILD_COLUMNS + " FROM builds b WHERE b.spec_hash = ? ORDER BY b.id", specHash);
  }

  public List<PackageMatch> imagesWithPackage(String name, String version) throws SQLException {
    String sql =
        "SELECT b.id, b.spec_hash, b.created_at, a.file_name, a.format, a.size, a.sha256,"
            + " p.name, p.version, p.architecture"
            + " FROM packages p JOIN builds b ON b.id = p.build_id JOIN artifacts a ON a.build_id = b.id"
            + " WHERE p.name = ?"
            + (version == null ? "" : " AND p.version = ?")
            + " ORDER BY b.id, a.file_name, p.architecture";
    List<PackageMatch> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, name);
      if (version != null) {
        p.setString(2, version);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          IndexedImage image =
              new IndexedImage(
                  rs.getLong(1),
                  rs.getString(2),
                  Instant.parse(rs.getString(3)),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getString(7));
          out.add(new PackageMatch(image, rs.getString(8), rs.getString(9), rs.getString(10)));
        }
      }
    }
    return out;
  }

  /** How many distinct artifacts (by sha256) the index knows. */
  public long imageCount() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM images")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public long buildCount() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM builds")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Optional<IndexedBuild> first(String sql, String arg) throws SQLException {
    List<IndexedBuild> list = builds(sql, arg);
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  private List<IndexedBuild> builds(String sql, String arg) throws SQLException {
    List<IndexedBuild> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, arg);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(
              new IndexedBuild(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  Instant.parse(rs.getString(5)),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8) == null ? null : java.nio.file.Path.of(rs.getString(8))));
        }
      }
    }
    return out;
  }
}
