package io.imagebuilder.manifest.internal.embedded;

import io.imagebuilder.manifest.api.EmbeddedManifestReader;
import io.imagebuilder.manifest.api.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link EmbeddedManifestReader}s on the classpath, asked in turn. */
public final class EmbeddedReaders {
  static final int HEAD_BYTES = 64 * 1024;

  private EmbeddedReaders() {}

  public static List<EmbeddedManifestReader> all() {
    List<EmbeddedManifestReader> readers = new ArrayList<>();
    ServiceLoader.load(EmbeddedManifestReader.class).forEach(readers::add);
    return readers;
  }

  /** The names of the readers on the classpath, for messages. */
  public static List<String> names() {
    return all().stream().map(EmbeddedManifestReader::name).toList();
  }

  /** The embedded manifest of {@code file} by the first reader that knows its kind. */
  public static Optional<Manifest> read(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD_BYTES);
    }
    for (EmbeddedManifestReader reader : all()) {
      if (!reader.canRead(file, head)) {
        continue;
      }
      Optional<String> json = reader.read(file);
      if (json.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Manifest.fromJson(json.get()));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "the embedded manifest of "
                + file
                + " (read as "
                + reader.name()
                + ") is damaged: "
                + e.getMessage(),
            e);
      }
    }
    return Optional.empty();
  }
}
