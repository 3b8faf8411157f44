package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.hash.Sha256;

/**
 * A repository's Release as fetched and checked: the bytes apt keeps in its lists and what they
 * say. The arrays are the client's own, not copies: callers only write them out.
 *
 * @param fileName {@code InRelease} (clearsigned) or {@code Release}
 * @param bytes the file as the archive served it
 * @param detachedSignature {@code Release.gpg} as served when {@code fileName} is {@code Release}
 *     and the archive has one, else null
 * @param release the parsed, verified Release
 * @param signedBy the fingerprint of the primary key that signed it, or null for an unsigned source
 */
public record SignedRelease(
    String fileName, byte[] bytes, byte[] detachedSignature, ReleaseFile release, String signedBy) {

  /** SHA256 of {@link #bytes}, lower-case hex. */
  public String sha256() {
    return Sha256.of(bytes);
  }
}
