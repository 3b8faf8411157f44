package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.ImageBuildException;

/**
 * A repository could not be used for a reason other than verification: not reachable, a file
 * missing or not parsing, no such architecture or component, an unsatisfiable package request, a
 * key that cannot be fetched. The message names the source, the file and the values involved. A
 * repository that fails verification (signature, hashes, validity) is the public {@link
 * io.imagebuilder.api.error.RepositoryVerificationException} instead.
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
