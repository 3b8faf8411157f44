package io.imagebuilder.internal.engine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Forwards to {@link io.imagebuilder.internal.process.HostTools}, the one host tool lookup; kept
 * only while {@code Engine} (edited elsewhere) still names this class. Use the other one.
 */
public final class HostTools {
  private HostTools() {}

  /** {@link io.imagebuilder.internal.process.HostTools#find}. */
  public static Optional<Path> find(String tool) {
    return io.imagebuilder.internal.process.HostTools.find(tool);
  }
}
