package io.imagebuilder.rootfs.internal.repo;

/**
 * A package request cannot be satisfied from the repositories; the message names the dependency
 * chain from the request to the missing piece.
 */
public class ResolutionException extends RepositoryException {
  private static final long serialVersionUID = 1L;

  public ResolutionException(String message) {
    super(message);
  }
}
