package io.imagebuilder.manifest.api;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Path;

/**
 * The image index could not be used: the file (or database) is not an index (not SQLite, or SQLite
 * without the index's marker), is damaged, was written by a newer version, or cannot be written.
 * The message names the file; a file that is not an index is never changed.
 */
public class ImageIndexException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * An index failure.
   *
   * @param file the index file concerned, or null for an index in a database
   * @param message what went wrong, naming the file
   */
  public ImageIndexException(Path file, String message) {
    super(message);
    this.file = file;
  }

  /**
   * An index failure with its cause.
   *
   * @param file the index file concerned, or null for an index in a database
   * @param message what went wrong, naming the file
   * @param cause the underlying error (SQL, I/O)
   */
  public ImageIndexException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /**
   * The index file concerned.
   *
   * @return the file, or null for an index in a database
   */
  public Path file() {
    return file;
  }
}
