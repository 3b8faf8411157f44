package io.imagebuilder.api.error;

/**
 * A part of the build needs an implementation that is not on the classpath; the message names
 * the Maven module to add. A caller's configuration problem, so unchecked.
 */
public class MissingModuleException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public MissingModuleException(String what, String module) {
    super(what + ": add io.imagebuilder:" + module + " to the classpath");
  }
}
