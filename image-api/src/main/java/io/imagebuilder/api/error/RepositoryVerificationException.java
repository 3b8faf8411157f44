package io.imagebuilder.api.error;

import java.util.Objects;

/**
 * A repository did not pass verification: its Release is not signed, is signed by no key of the
 * keyring given for that source, has a bad signature, has expired or is not valid yet, is for
 * another suite or is malformed, or an index does not match the size and SHA256 its Release lists.
 * Nothing from that source has been used when this is thrown.
 *
 * <p>A failed build reports it inside a {@link StageFailedException}; reach it with {@code
 * e.findCause(RepositoryVerificationException.class)}. The message names the source, the file and
 * the values that did not match.
 */
public class RepositoryVerificationException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** Why a repository failed verification. */
  public enum Reason {
    /** Neither a signed InRelease nor a Release.gpg exists, or the file holds no signature. */
    NOT_SIGNED,
    /** Signed, but by no key of the keyring given for the source (the key is missing). */
    UNKNOWN_KEY,
    /**
     * A signature by a key of the keyring does not verify: the content changed after signing, or
     * the key was expired or revoked, or it used a weak hash algorithm.
     */
    BAD_SIGNATURE,
    /** An index's size or SHA256 differs from what the verified Release lists. */
    HASH_MISMATCH,
    /** The Release's Valid-Until lies before now. */
    EXPIRED,
    /** The Release's Date lies in the future beyond the accepted clock skew. */
    NOT_YET_VALID,
    /**
     * The Release is for another suite than the one requested (neither Suite nor Codename match).
     */
    WRONG_SUITE,
    /** The signed file or the Release does not parse (framing, stanzas, dates, SHA256 lines). */
    MALFORMED
  }

  /** See {@link #source()}. */
  private final String source;

  /** See {@link #reason()}. */
  private final Reason reason;

  /**
   * A verification failure.
   *
   * @param source what failed, as the message names it: the repository source and the file, e.g.
   *     {@code InRelease of source 'debian'} or an index's URL; not null
   * @param reason why it failed; not null
   * @param message the full description: source, file and the values that did not match
   */
  public RepositoryVerificationException(String source, Reason reason, String message) {
    this(source, reason, message, null);
  }

  /**
   * A verification failure found through {@code cause}.
   *
   * @param source what failed, as the message names it; not null
   * @param reason why it failed; not null
   * @param message the full description
   * @param cause the underlying error, or null
   */
  public RepositoryVerificationException(
      String source, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.source = Objects.requireNonNull(source, "source");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * What failed verification: the repository source and its file as the message names them, e.g.
   * {@code InRelease of source 'debian'}, {@code Release of source 'ppa'} or the URL of a Packages
   * index. Never null.
   *
   * @return the source and file that failed
   */
  public String source() {
    return source;
  }

  /**
   * Why verification failed.
   *
   * @return the reason; never null
   */
  public Reason reason() {
    return reason;
  }
}
