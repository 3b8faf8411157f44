package io.imagebuilder.rootfs.internal.repo;

import java.time.Instant;
import java.util.List;

/**
 * A repository as read and verified at one moment: what the manifest records about it and all its
 * packages for the target architecture.
 *
 * @param source the source it was read from
 * @param release the parsed, verified Release
 * @param inReleaseSha256 SHA256 of the InRelease bytes used (of Release when there was no
 *     InRelease), lower-case hex
 * @param signedBy the fingerprint of the primary key that signed it, or null for an unsigned source
 * @param date the Release's Date, or null when it has none
 * @param packages every package of the requested components, in index order
 */
public record Repository(
    RepositorySource source,
    ReleaseFile release,
    String inReleaseSha256,
    String signedBy,
    Instant date,
    List<PackageRecord> packages) {

  public Repository {
    packages = List.copyOf(packages);
  }

  @Override
  public String toString() {
    return "Repository["
        + source.name()
        + " "
        + source.describe()
        + ", "
        + packages.size()
        + " packages, InRelease sha256 "
        + inReleaseSha256
        + "]";
  }
}
