package io.imagebuilder.manifest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The ImageBuilder version, from a resource Maven fills in when it builds this module. */
public final class LibraryVersion {
  private static final String RESOURCE = "/io/imagebuilder/manifest/version.properties";
  private static final String VERSION = load();

  private LibraryVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + RESOURCE + " (the image-manifest jar is incomplete)");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
