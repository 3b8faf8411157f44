package io.imagebuilder.console.build;

/** Told each time a build is stored changed (queued, started, a stage, ended). Must be fast. */
@FunctionalInterface
public interface BuildListener {
  /** {@code build} as it is now. */
  void changed(BuildView build);
}
