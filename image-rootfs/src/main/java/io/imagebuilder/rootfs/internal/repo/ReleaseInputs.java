package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.api.stage.InputCheck;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.internal.hash.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The inputs the rootfs stages resolve from outside the spec: each repository's release as read
 * ({@code apt-release}, keyed {@code URI SUITE}) and each key file copied into the image ({@code
 * file}). Registered as the {@link InputCheck} of {@code apt-release}: it fetches the release again
 * and hashes it as the stages did, so a cached result is reused only while the archive has not
 * moved on.
 */
public final class ReleaseInputs implements InputCheck {
  /** For ServiceLoader. */
  public ReleaseInputs() {}

  /** The release of {@code uri}'s {@code suite} with the sha256 its InRelease (or Release) had. */
  public static ResolvedInput release(String uri, String suite, String sha256) {
    return new ResolvedInput(ResolvedInput.APT_RELEASE, stripSlash(uri) + " " + suite, sha256);
  }

  /** A host file read by a stage, with its sha256 now. */
  public static ResolvedInput file(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    String sha = Sha256.ofFile(abs);
    return new ResolvedInput(ResolvedInput.FILE, abs.toString(), sha);
  }

  @Override
  public String kind() {
    return ResolvedInput.APT_RELEASE;
  }

  @Override
  public Optional<String> currentDigest(String key, Path cacheDir)
      throws ImageBuildException, InterruptedException {
    int space = key.lastIndexOf(' ');
    if (space <= 0) {
      return Optional.empty();
    }
    URI uri = URI.create(key.substring(0, space));
    String suite = key.substring(space + 1);
    try {
      // Only the bytes are compared: equal bytes are the release the cached build verified.
      RepositorySource source =
          RepositorySource.unsigned("cached-build", uri, suite, List.of("main"), "amd64");
      return Optional.of(
          new RepositoryClient().fetchRelease(source, ProgressListener.NONE).sha256());
    } catch (RepositoryException | RepositoryVerificationException e) {
      return Optional.empty(); // gone, expired or unreadable: build again, which says why
    }
  }

  private static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
