package io.imagebuilder.api.error;

/** The root of every checked failure of a build: the input was valid, the build did not succeed. */
public class ImageBuildException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
