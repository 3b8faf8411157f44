package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.ImageBuildException;

/**
 * A repository could not be used: not reachable, not signed by the expected key, an index that
 * does not match its Release, an unsatisfiable package request. The message names the source, the
 * file and the values involved.
 */
public class RepositoryException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  public RepositoryException(String message) {
    super(message);
  }

  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
