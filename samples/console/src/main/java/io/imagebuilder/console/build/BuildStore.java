package io.imagebuilder.console.build;

import java.util.List;
import java.util.Optional;

/**
 * Where the console keeps its builds. The embedded default is {@link FileBuildStore} (one JSON file
 * per build under the data directory); a farm keeps them in a database.
 */
public interface BuildStore {
  /** Stores a build, new or changed. */
  void save(BuildView build);

  /** The build with this id. */
  Optional<BuildView> find(String id);

  /** Every build, the newest first. */
  List<BuildView> all();
}
