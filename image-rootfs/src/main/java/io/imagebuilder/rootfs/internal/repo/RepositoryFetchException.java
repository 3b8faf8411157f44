package io.imagebuilder.rootfs.internal.repo;

/**
 * A file of a repository could not be fetched: a network error, an HTTP error status, a file that
 * does not exist. Unlike its parent's other cases it says nothing against the repository's
 * contents: nothing was read that failed a check.
 */
public class RepositoryFetchException extends RepositoryException {
  private static final long serialVersionUID = 1L;

  public RepositoryFetchException(String message) {
    super(message);
  }

  public RepositoryFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
