package io.imagebuilder.rootfs.internal.cache;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file to fetch into the {@link PackageCache}: where it comes from and what it must be.
 *
 * @param uri an {@code http:}, {@code https:} or {@code file:} URI
 * @param sha256 the expected SHA-256, 64 hex digits (stored lower case)
 * @param size the expected size in bytes, or -1 when the index does not give it
 */
public record Download(URI uri, String sha256, long size) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public Download {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "invalid sha256 '" + sha256 + "' for " + uri + " (expected 64 hex digits)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new IllegalArgumentException(
          "invalid download URI '" + uri + "' (expected an http:, https: or file: URI)");
    }
    if (size < -1) {
      throw new IllegalArgumentException(
          "invalid size " + size + " for " + uri + " (expected a byte count, or -1 if unknown)");
    }
  }
}
