package io.imagebuilder.api.error;

/** A host tool a stage needs is not installed; the message names the Debian package. */
public class MissingHostToolException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  public MissingHostToolException(String stageType, String tool, String debianPackage) {
    super(
        "stage "
            + stageType
            + " needs the host tool '"
            + tool
            + "', which is not installed (install it with: apt-get install "
            + debianPackage
            + ")");
  }
}
