package io.imagebuilder.api.error;

/** The build was interrupted or cancelled; every started stage's cleanup has run. */
public class BuildCancelledException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  public BuildCancelledException(String message) {
    super(message);
  }

  public BuildCancelledException(String message, Throwable cause) {
    super(message, cause);
  }
}
