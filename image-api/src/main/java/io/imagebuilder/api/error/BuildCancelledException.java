package io.imagebuilder.api.error;

/**
 * The build was interrupted, cancelled or ran past its timeout; every started stage's cleanup has
 * run.
 */
public class BuildCancelledException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /**
   * Cancelled, as {@code message} says.
   *
   * @param message what was cancelled and why (interrupt, cancel handle, timeout)
   */
  public BuildCancelledException(String message) {
    super(message);
  }

  /**
   * Cancelled, as {@code message} says, noticed through {@code cause}.
   *
   * @param message what was cancelled and why
   * @param cause how the cancellation was noticed, e.g. an {@link InterruptedException}
   */
  public BuildCancelledException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A build cancelled where {@code state} says.
   *
   * @param message what was cancelled and why
   * @param cause how the cancellation was noticed, or null
   * @param state where the build stood, or null when not known
   */
  public BuildCancelledException(String message, Throwable cause, BuildState state) {
    super(message, cause, state);
  }
}
