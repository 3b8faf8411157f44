package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.api.stage.UsedRepository;
import java.util.List;

/**
 * A repository the build read packages from.
 *
 * @param name the source's name, e.g. {@code debian}
 * @param uri archive root
 * @param suite suite or code name
 * @param components components used
 * @param keyFingerprint fingerprint of the key the InRelease verified against; null if unsigned
 * @param inReleaseSha256 sha256 of the InRelease (or Release) bytes used
 * @param date the Release file's {@code Date} field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestRepository(
    String name,
    String uri,
    String suite,
    List<String> components,
    String keyFingerprint,
    String inReleaseSha256,
    String date) {
  /**
   * Copies the components; null is none.
   *
   * @param name the source's name, e.g. {@code debian}
   * @param uri archive root
   * @param suite suite or code name
   * @param components components used
   * @param keyFingerprint fingerprint of the key the InRelease verified against; null if unsigned
   * @param inReleaseSha256 sha256 of the InRelease (or Release) bytes used
   * @param date the Release file's {@code Date} field
   */
  public ManifestRepository {
    components = components == null ? List.of() : List.copyOf(components);
  }

  /**
   * The manifest's view of a repository the stages recorded.
   *
   * @param used a repository a stage read packages from
   * @return its name, location, components, key and InRelease
   */
  public static ManifestRepository of(UsedRepository used) {
    return new ManifestRepository(
        used.name(),
        used.uri(),
        used.suite(),
        used.components(),
        used.keyFingerprint(),
        used.inReleaseSha256(),
        used.date());
  }
}
