package io.imagebuilder.api.stage;

import java.util.List;

/**
 * A repository a build read packages from, as the manifest records it.
 *
 * @param name the source's name, e.g. {@code debian} or {@code vendor}
 * @param uri archive root
 * @param suite suite or code name
 * @param components components used
 * @param keyFingerprint fingerprint of the key its InRelease verified against, or null if unsigned
 * @param inReleaseSha256 sha256 of the InRelease (or Release) bytes used
 * @param date the Release's Date field
 */
public record UsedRepository(
    String name,
    String uri,
    String suite,
    List<String> components,
    String keyFingerprint,
    String inReleaseSha256,
    String date) {
  /**
   * Copies the components.
   *
   * @param name the source's name, e.g. {@code debian} or {@code vendor}
   * @param uri archive root
   * @param suite suite or code name
   * @param components components used
   * @param keyFingerprint fingerprint of the key its InRelease verified against, or null if
   *     unsigned
   * @param inReleaseSha256 sha256 of the InRelease (or Release) bytes used
   * @param date the Release's Date field
   */
  public UsedRepository {
    components = List.copyOf(components);
  }
}
