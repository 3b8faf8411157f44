package io.imagebuilder.internal.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Forwards to {@link io.imagebuilder.internal.io.SafeDelete}, the one tree deletion; kept only
 * while {@code Engine} (edited elsewhere) still names this class. Use the other one.
 */
public final class SafeDelete {
  private SafeDelete() {}

  /** {@link io.imagebuilder.internal.io.SafeDelete#deleteTree}. */
  public static List<Path> deleteTree(Path root) throws IOException {
    return io.imagebuilder.internal.io.SafeDelete.deleteTree(root);
  }
}
