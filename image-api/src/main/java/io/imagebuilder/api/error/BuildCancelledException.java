package io.imagebuilder.api.error;

/**
 * The build was interrupted, cancelled or ran past its timeout; every started stage's cleanup has
 * run.
 */
public class BuildCancelledException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** Cancelled, as {@code message} says. */
  public BuildCancelledException(String message) {
    super(message);
  }

  /** Cancelled, as {@code message} says, noticed through {@code cause}. */
  public BuildCancelledException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A build cancelled where {@code state} says. */
  public BuildCancelledException(String message, Throwable cause, BuildState state) {
    super(message, cause, state);
  }
}
