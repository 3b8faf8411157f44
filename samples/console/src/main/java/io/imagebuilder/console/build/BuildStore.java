package io.imagebuilder.console.build;

import java.util.List;
import java.util.Optional;

/**
 * Where the console keeps its builds: {@link JdbcBuildStore}, in the console's database (SQLite on
 * one machine, PostgreSQL in a farm).
 */
public interface BuildStore {
  /** Stores a build, new or changed. */
  void save(BuildView build);

  /** The build with this id. */
  Optional<BuildView> find(String id);

  /** Every build, the newest first. */
  List<BuildView> all();
}
