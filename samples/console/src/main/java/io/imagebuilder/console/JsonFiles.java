package io.imagebuilder.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The console's stores write their JSON files whole or not at all: into a temporary file beside the
 * target, then renamed over it, so a crash never leaves half a file. (The library's own helper for
 * this is internal; the console uses the library's API only.)
 */
public final class JsonFiles {
  private JsonFiles() {}

  /**
   * Writes {@code value} as JSON to {@code file} atomically; {@code ownerOnly} makes the file
   * readable by this user only (mode 0600) from its creation on.
   */
  public static void write(ObjectMapper json, Path file, Object value, boolean ownerOnly)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    json.writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
