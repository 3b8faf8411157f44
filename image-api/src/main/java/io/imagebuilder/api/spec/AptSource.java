package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An extra apt repository, written into the image as a deb822 {@code .sources} file.
 *
 * @param name identifies the source in file names and error messages, e.g. {@code vendor}
 * @param uri the archive root
 * @param suite the suite or code name, e.g. {@code bookworm}
 * @param components e.g. {@code [main]}
 * @param signedBy path to the OpenPGP key (armored or binary) the source's InRelease must verify
 *     against; only this key is trusted for this source
 * @param fingerprint optional: the primary key fingerprint that {@code signedBy} must contain
 * @param allowUnsigned explicit opt-in to an unsigned source; then {@code signedBy} stays empty
 * @param ignoreValidUntil true for snapshot mirrors whose Release has expired on purpose
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AptSource(
    String name,
    String uri,
    String suite,
    List<String> components,
    String signedBy,
    String fingerprint,
    boolean allowUnsigned,
    boolean ignoreValidUntil) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

  /**
   * Checks the name, URI, suite, components and key, and copies the components.
   *
   * @param name identifies the source in file names and error messages, e.g. {@code vendor}
   * @param uri the archive root
   * @param suite the suite or code name, e.g. {@code bookworm}
   * @param components e.g. {@code [main]}
   * @param signedBy path to the OpenPGP key (armored or binary) the source's InRelease must verify
   *     against; only this key is trusted for this source
   * @param fingerprint optional: the primary key fingerprint that {@code signedBy} must contain
   * @param allowUnsigned explicit opt-in to an unsigned source; then {@code signedBy} stays empty
   * @param ignoreValidUntil true for snapshot mirrors whose Release has expired on purpose
   * @throws IllegalArgumentException naming the bad value and what was expected
   */
  public AptSource {
    Checks.matches(name, NAME, "source name", "lower-case letters, digits, '.', '_' or '-'");
    uri = Checks.url(uri, "repository URI of source '" + name + "'");
    Checks.matches(suite, SUITE, "suite of source '" + name + "'", "a suite such as bookworm");
    components = Checks.distinctCopy(components, "components");
    if (components.isEmpty()) {
      throw new IllegalArgumentException(
          "source '" + name + "' has no components (expected at least one, such as main)");
    }
    for (String c : components) {
      Checks.matches(c, COMPONENT, "component of source '" + name + "'", "a name such as main");
    }
    if (fingerprint != null) {
      fingerprint = Checks.fingerprint(fingerprint);
    }
    if (allowUnsigned && signedBy != null) {
      throw new IllegalArgumentException(
          "source '" + name + "' is both unsigned and signed by '" + signedBy + "' (expected one)");
    }
    if (!allowUnsigned && (signedBy == null || signedBy.isBlank())) {
      throw new IllegalArgumentException(
          "source '"
              + name
              + "' has no key (expected signedBy, the path of its OpenPGP key,"
              + " or an explicit allowUnsigned)");
    }
  }

  /**
   * A signed source with one suite; Valid-Until is checked.
   *
   * @param name the source's name
   * @param uri the archive root
   * @param suite the suite or code name
   * @param components the components to use
   * @param keyFile the keyring its InRelease must verify against
   * @return the source
   */
  public static AptSource signed(
      String name, String uri, String suite, List<String> components, String keyFile) {
    return new AptSource(name, uri, suite, components, keyFile, null, false, false);
  }
}
