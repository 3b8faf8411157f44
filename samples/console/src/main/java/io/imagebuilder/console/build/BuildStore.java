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

  /** The builds with {@code status}, the oldest first. */
  List<BuildView> withStatus(BuildStatus status);

  /**
   * Marks failed the builds that were running in this JVM when the console last stopped (their
   * threads are gone). Not in farm mode, where workers run the builds.
   */
  void failInterrupted();
}
