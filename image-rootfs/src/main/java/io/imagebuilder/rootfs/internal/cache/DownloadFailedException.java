package io.imagebuilder.rootfs.internal.cache;

import io.imagebuilder.api.error.ImageBuildException;

/** A file could not be fetched, or what was fetched is not what the index promised. */
public class DownloadFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  public DownloadFailedException(String message) {
    super(message);
  }

  public DownloadFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
