package io.imagebuilder.api.error;

import java.util.List;

/**
 * A build given a lock ({@code withLock}) cannot obtain some of the locked packages: the .deb with
 * the locked sha256 is neither in the package cache nor listed by a current index of its repository
 * (the repository moved on and the cache no longer holds it). Thrown before anything is installed;
 * the message names every such package and why.
 *
 * <p>A caller that keeps locks (a test harness reusing a fixture's lock, say) can tell this apart
 * from other failures and build again without the lock.
 */
public class LockedPackagesMissingException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** One line per missing package: its name, version and architecture and why it is missing. */
  private final List<String> missing;

  /**
   * The locked packages that cannot be obtained.
   *
   * @param missing one line per package, e.g. {@code hello 2.10-3 amd64: not in the package cache,
   *     and no current index of debian lists that .deb}; not empty
   */
  public LockedPackagesMissingException(List<String> missing) {
    super(describe(missing));
    this.missing = List.copyOf(missing);
  }

  private static String describe(List<String> missing) {
    if (missing.isEmpty()) {
      throw new IllegalArgumentException("no missing package (expected at least one)");
    }
    return "cannot obtain "
        + missing.size()
        + (missing.size() == 1 ? " locked package" : " locked packages")
        + " (expected each .deb with its locked sha256 in the package cache or in its"
        + " repository): "
        + String.join("; ", missing);
  }

  /** {@return one line per missing package, as the message lists them} */
  public List<String> missing() {
    return missing;
  }
}
