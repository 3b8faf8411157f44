package io.imagebuilder.api.stage;

/**
 * Something a stage read that its options do not pin down, with the digest it had when read: a
 * repository's InRelease (it moves on as the archive changes), a base image or key file on the
 * host. Stages record these with {@link StageContext#recordInput}; a cached result is reused only
 * while every recorded input still has its digest (checked by an {@link InputCheck} of the input's
 * kind).
 *
 * @param kind what sort of input, e.g. {@code file} (a host file by absolute path) or {@code
 *     apt-release} (a repository's signed release, by {@code URI SUITE})
 * @param key which input of that kind
 * @param digest its sha256 when the stage read it, 64 hex digits
 */
public record ResolvedInput(String kind, String key, String digest) {
  /** A host file the stage read, by absolute path. */
  public static final String FILE = "file";

  /** A repository's InRelease (or Release), by {@code URI SUITE}. */
  public static final String APT_RELEASE = "apt-release";

  /**
   * Checks the values.
   *
   * @param kind the input's kind, e.g. {@link #APT_RELEASE}; not blank
   * @param key what was resolved within that kind, e.g. {@code URI SUITE}; one line, not blank
   * @param digest the digest the stage saw, e.g. the InRelease's sha256
   * @throws IllegalArgumentException naming the bad value
   */
  public ResolvedInput {
    if (kind == null || kind.isBlank() || key == null || key.isBlank() || key.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "invalid resolved input '" + kind + " " + key + "' (expected a kind and a one-line key)");
    }
    if (digest == null || !digest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "invalid digest '"
              + digest
              + "' of input "
              + key
              + " (expected 64 lower-case hex digits)");
    }
  }
}
