package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;

/** A .deb file is not a well-formed Debian binary package. */
public class DebFormatException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  public DebFormatException(String message) {
    super(message);
  }

  public DebFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
