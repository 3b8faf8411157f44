package io.imagebuilder.rootfs.internal.repo;

import java.net.URI;
import java.util.List;

/**
 * One repository to read, as apt's deb822 sources describe it.
 *
 * @param name a short name used in messages and recorded on each package (e.g. {@code debian})
 * @param uri the archive root, e.g. {@code http://deb.debian.org/debian} or {@code file:/srv/repo}
 * @param suite the suite or codename under {@code dists/}, e.g. {@code bookworm}
 * @param components e.g. {@code [main]}
 * @param architecture the target architecture; {@code all} packages come in its Packages files
 * @param keyring the keys InRelease must be signed by; null only when {@code allowUnsigned}
 * @param allowUnsigned the explicit opt-in to read this source without any signature check
 * @param ignoreValidUntil accept a Release whose Valid-Until has passed (snapshot archives)
 */
public record RepositorySource(
    String name,
    URI uri,
    String suite,
    List<String> components,
    String architecture,
    Keyring keyring,
    boolean allowUnsigned,
    boolean ignoreValidUntil) {

  public RepositorySource {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a repository source needs a name");
    }
    if (uri == null
        || uri.getScheme() == null
        || !(uri.getScheme().equals("http")
            || uri.getScheme().equals("https")
            || uri.getScheme().equals("file"))) {
      throw new IllegalArgumentException(
          "invalid URI '" + uri + "' of source '" + name + "' (expected http:, https: or file:)");
    }
    if (suite == null || suite.isBlank() || suite.contains("..") || suite.startsWith("/")) {
      throw new IllegalArgumentException("invalid suite '" + suite + "' of source '" + name + "'");
    }
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("source '" + name + "' needs at least one component");
    }
    for (String c : components) {
      if (c.isBlank() || c.contains("..") || c.startsWith("/") || c.contains(" ")) {
        throw new IllegalArgumentException(
            "invalid component '" + c + "' of source '" + name + "'");
      }
    }
    if (architecture == null || !architecture.matches("[a-z0-9-]+") || architecture.equals("all")) {
      throw new IllegalArgumentException(
          "invalid architecture '"
              + architecture
              + "' of source '"
              + name
              + "' (expected e.g. amd64)");
    }
    if (keyring == null && !allowUnsigned) {
      throw new IllegalArgumentException(
          "source '"
              + name
              + "' has no keyring: pass the key it is signed with, or allow it to be unsigned explicitly");
    }
    if (keyring != null && allowUnsigned) {
      throw new IllegalArgumentException(
          "source '" + name + "' has a keyring and allowUnsigned: choose one");
    }
  }

  /** A signed source, Valid-Until enforced. */
  public static RepositorySource signed(
      String name,
      URI uri,
      String suite,
      List<String> components,
      String architecture,
      Keyring keyring) {
    return new RepositorySource(name, uri, suite, components, architecture, keyring, false, false);
  }

  /** A source read without any signature check (explicit opt-in; a local side repository, say). */
  public static RepositorySource unsigned(
      String name, URI uri, String suite, List<String> components, String architecture) {
    return new RepositorySource(name, uri, suite, components, architecture, null, true, false);
  }

  /** A copy that accepts an expired Release. */
  public RepositorySource withIgnoreValidUntil(boolean ignore) {
    return new RepositorySource(
        name, uri, suite, components, architecture, keyring, allowUnsigned, ignore);
  }

  /** {@code suite comp1 comp2}, e.g. {@code bookworm main}, for messages. */
  public String describe() {
    return suite + " " + String.join(" ", components);
  }
}
