package io.imagebuilder.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of the jar this runs from, as Maven recorded it in the jar's pom.properties. */
final class VersionProvider implements IVersionProvider {
  static final String POM_PROPERTIES = "/META-INF/maven/io.imagebuilder/samples/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
      "imagebuilder " + version(),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + "), "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
    };
  }

  /** The version, or {@code unknown} when not run from a built jar (e.g. from an IDE). */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: a version is not worth failing for
    }
    String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : "unknown";
  }
}
