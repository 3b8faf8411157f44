package io.imagebuilder.internal.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds host programs on the PATH, plus the sbin directories a non-login root shell may lack. */
public final class HostTools {
  private HostTools() {}

  public static Optional<Path> find(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    String full = path + File.pathSeparator + "/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : full.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
