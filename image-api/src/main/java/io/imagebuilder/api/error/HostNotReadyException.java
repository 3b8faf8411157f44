package io.imagebuilder.api.error;

import java.util.Objects;

/**
 * The host cannot run this build as it is set up: the execution strategy checked it before any work
 * and found something missing (root, a binfmt_misc handler for the target's qemu, a static qemu
 * binary, mount support). Nothing was changed on the host; {@link #fix()} says what the
 * administrator runs or sets so the same build can run.
 */
public class HostNotReadyException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** See {@link #missing()}. */
  private final String missing;

  /** See {@link #fix()}. */
  private final String fix;

  /**
   * A host that lacks {@code missing}.
   *
   * @param missing what the host lacks, e.g. {@code a binfmt_misc handler for qemu-aarch64}; not
   *     null
   * @param fix the exact command or setting that provides it, e.g. {@code apt-get install
   *     qemu-user-static binfmt-support}; not null
   * @param message the full description, naming both
   */
  public HostNotReadyException(String missing, String fix, String message) {
    super(message);
    this.missing = Objects.requireNonNull(missing, "missing");
    this.fix = Objects.requireNonNull(fix, "fix");
  }

  /**
   * What the host lacks, e.g. {@code root} or {@code a binfmt_misc handler for qemu-aarch64}.
   *
   * @return a short description; never null
   */
  public String missing() {
    return missing;
  }

  /**
   * The exact command or setting that provides what is missing, to run on the host.
   *
   * @return the fix; never null
   */
  public String fix() {
    return fix;
  }
}
