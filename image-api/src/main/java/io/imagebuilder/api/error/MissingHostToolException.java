package io.imagebuilder.api.error;

/**
 * A host tool a stage needs is not installed. It is found when the stage is planned or verified,
 * before any work; the message names the stage, the tool and the Debian package that provides it.
 */
public class MissingHostToolException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** See {@link #stageType()}. */
  private final String stageType;

  /** See {@link #tool()}. */
  private final String tool;

  /** See {@link #debianPackage()}. */
  private final String debianPackage;

  /**
   * A missing tool.
   *
   * @param stageType the type of the stage that needs it, e.g. {@code arm.disk}
   * @param tool the program's name as looked up on the PATH, e.g. {@code mkfs.vfat}
   * @param debianPackage the Debian package that installs it, e.g. {@code dosfstools}
   */
  public MissingHostToolException(String stageType, String tool, String debianPackage) {
    super(
        "stage "
            + stageType
            + " needs the host tool '"
            + tool
            + "', which is not installed (install it with: apt-get install "
            + debianPackage
            + ")");
    this.stageType = stageType;
    this.tool = tool;
    this.debianPackage = debianPackage;
  }

  /**
   * The type of the stage that needs the tool.
   *
   * @return the stage type, e.g. {@code arm.disk}
   */
  public String stageType() {
    return stageType;
  }

  /**
   * The missing program, as looked up on the PATH.
   *
   * @return the tool's name, e.g. {@code mkfs.vfat}
   */
  public String tool() {
    return tool;
  }

  /**
   * The Debian package that installs the tool: {@code apt-get install} it to fix the failure.
   *
   * @return the package name, e.g. {@code dosfstools}
   */
  public String debianPackage() {
    return debianPackage;
  }
}
