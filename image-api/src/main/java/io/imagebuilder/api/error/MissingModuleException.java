package io.imagebuilder.api.error;

/**
 * A part of the build needs an implementation that is not on the classpath; the message names the
 * Maven module to add. A caller's configuration problem, so unchecked.
 */
public class MissingModuleException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** See {@link #what()}. */
  private final String what;

  /** See {@link #module()}. */
  private final String module;

  /**
   * A missing module.
   *
   * @param what what needed it, e.g. {@code no executor for arm64}
   * @param module the artifactId of the io.imagebuilder module to add, e.g. {@code image-arm}
   */
  public MissingModuleException(String what, String module) {
    super(what + ": add io.imagebuilder:" + module + " to the classpath");
    this.what = what;
    this.module = module;
  }

  /**
   * What needed the missing implementation.
   *
   * @return a short description, e.g. {@code no executor for arm64}
   */
  public String what() {
    return what;
  }

  /**
   * The module to add to the classpath, as its Maven artifactId in group {@code io.imagebuilder}.
   *
   * @return the artifactId, e.g. {@code image-arm}
   */
  public String module() {
    return module;
  }
}
