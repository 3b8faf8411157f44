package io.imagebuilder.manifest.internal;

import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a file beside the artifacts through {@link AtomicFiles}: never half a file under its name.
 */
public final class OutputFiles {
  private OutputFiles() {}

  public static void write(Path file, String text) throws IOException {
    AtomicFiles.writeString(file, text);
  }
}
