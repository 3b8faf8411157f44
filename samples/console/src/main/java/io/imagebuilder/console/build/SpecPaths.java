package io.imagebuilder.console.build;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.Ppa;
import java.util.regex.Pattern;

/**
 * An ImageSpec sent to the console comes from someone else: like a request under the library's
 * default {@code RequestPolicy}, it may name no file of the console's host (a base image, a key, a
 * .deb), only URLs.
 */
final class SpecPaths {
  private static final Pattern URL = Pattern.compile("(?i)https?://.+");

  private SpecPaths() {}

  static void refuseHostPaths(ImageSpec spec) {
    if (spec.baseImage() != null && !URL.matcher(spec.baseImage()).matches()) {
      throw refused("baseImage", spec.baseImage());
    }
    if (spec.mirrorKey() != null) {
      throw refused("mirrorKey", spec.mirrorKey());
    }
    for (Ppa p : spec.ppas()) {
      if (p.keyFile() != null) {
        throw refused("ppas[].keyFile", p.keyFile());
      }
    }
    for (AptSource r : spec.repositories()) {
      if (r.signedBy() != null) {
        throw refused("repositories[].signedBy", r.signedBy());
      }
    }
    for (LocalPackage p : spec.localPackages()) {
      if (!URL.matcher(p.path()).matches()) {
        throw refused("localPackages[].path", p.path());
      }
    }
  }

  private static IllegalArgumentException refused(String field, String value) {
    return new IllegalArgumentException(
        "local path '"
            + BuildIds.excerpt(value)
            + "' in "
            + field
            + " is not allowed in a build request (expected a URL or inline content: the"
            + " console's host files are not for requests)");
  }
}
