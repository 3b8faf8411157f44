package io.imagebuilder.api;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.internal.validate.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which host files a {@link BuildRequest} may name. A request comes from someone else (a queue, a
 * web form), so by default it may name none: its {@code image} must be a URL and its keys and
 * packages must come by URL or inline. A service that keeps base images, keys or .debs in known
 * directories allows those with {@link #allowingPathsUnder(List)}; a path is then accepted only
 * when it is absolute and, with every symbolic link resolved, lies inside one of them.
 *
 * <p>The fluent {@link ImageBuilder} is the trusted caller's API and takes any path; this policy
 * applies where {@link ImageTypes#builderFor(BuildRequest)} turns a request into a builder.
 * Immutable and thread-safe.
 */
public final class RequestPolicy {
  private static final RequestPolicy NO_LOCAL_PATHS = new RequestPolicy(List.of());
  private static final Pattern URL = Pattern.compile("(?i)https?://.+");

  private final List<Path> allowed;

  private RequestPolicy(List<Path> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * The default: a request may name no host path at all.
   *
   * @return the policy
   */
  public static RequestPolicy noLocalPaths() {
    return NO_LOCAL_PATHS;
  }

  /**
   * A policy that lets requests name files inside {@code directories} (and their sub-directories).
   *
   * @throws IllegalArgumentException for a directory that does not exist
   * @param directories existing host directories
   * @return the policy
   */
  public static RequestPolicy allowingPathsUnder(List<Path> directories) {
    List<Path> real = new ArrayList<>();
    for (Path dir : Checks.distinctCopy(directories, "allowed directories")) {
      try {
        Path r = dir.toRealPath();
        if (!Files.isDirectory(r)) {
          throw new IOException("not a directory");
        }
        real.add(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "invalid allowed directory '"
                + Checks.excerpt(dir)
                + "' (expected an existing directory: "
                + e.getMessage()
                + ")",
            e);
      }
    }
    return new RequestPolicy(real);
  }

  /**
   * The directories requests may name files in, with their links resolved; empty for none.
   *
   * @return an unmodifiable list of real paths
   */
  public List<Path> allowedDirectories() {
    return allowed;
  }

  /**
   * The file a request names at {@code path}, if this policy allows it: absolute, inside an allowed
   * directory once every link is resolved, a readable regular file.
   *
   * @param path the path as the request gives it
   * @param what what the file is for, in the message, e.g. {@code image} or {@code key file of
   *     ppa:owner/name}
   * @return the file's real path
   * @throws IllegalArgumentException naming the path and what is allowed when it is refused
   */
  public Path localFile(String path, String what) {
    String quoted = "'" + Checks.excerpt(path) + "'";
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException(
          "local path "
              + quoted
              + " for "
              + what
              + " is not allowed in a build request (expected a URL"
              + " or inline content: no directory is allowed for local files of requests)");
    }
    Path p = path == null || path.indexOf('\0') >= 0 ? null : Path.of(path);
    if (p == null || !p.isAbsolute()) {
      throw new IllegalArgumentException(
          "invalid local path "
              + quoted
              + " for "
              + what
              + " (expected an absolute path under "
              + describe()
              + ")");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      if (!inside(p.normalize())) {
        throw refused(quoted, what);
      }
      throw new IllegalArgumentException(
          "invalid local path "
              + quoted
              + " for "
              + what
              + " (no such file; expected a readable file under "
              + describe()
              + ")",
          e);
    }
    if (!inside(real)) {
      throw refused(quoted, what); // a link out of the allowed directories is refused the same way
    }
    if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
      throw new IllegalArgumentException(
          "invalid local path "
              + quoted
              + " for "
              + what
              + " (expected a readable file under "
              + describe()
              + ")");
    }
    return real;
  }

  /**
   * Checks every host file a whole {@link ImageSpec} names (a service that takes specs as JSON from
   * others): the base image and local packages unless they are URLs, the mirror key, PPA key files
   * and repositories' {@code signedBy} keys must each be allowed by {@link #localFile}.
   *
   * @param spec a spec from someone else
   * @throws IllegalArgumentException naming the first refused path, its field and what is allowed
   */
  public void checkSpec(ImageSpec spec) {
    if (spec.baseImage() != null && !URL.matcher(spec.baseImage()).matches()) {
      localFile(spec.baseImage(), "baseImage");
    }
    if (spec.mirrorKey() != null) {
      localFile(spec.mirrorKey(), "mirrorKey");
    }
    for (Ppa p : spec.ppas()) {
      if (p.keyFile() != null) {
        localFile(p.keyFile(), "ppas[].keyFile of " + p.ppa());
      }
    }
    for (AptSource r : spec.repositories()) {
      if (r.signedBy() != null) {
        localFile(r.signedBy(), "repositories[].signedBy of '" + r.name() + "'");
      }
    }
    for (LocalPackage p : spec.localPackages()) {
      if (!URL.matcher(p.path()).matches()) {
        localFile(p.path(), "localPackages[].path");
      }
    }
  }

  private IllegalArgumentException refused(String quoted, String what) {
    return new IllegalArgumentException(
        "local path "
            + quoted
            + " for "
            + what
            + " is not allowed in a build request (expected a"
            + " file under "
            + describe()
            + ")");
  }

  private boolean inside(Path p) {
    return allowed.stream().anyMatch(p::startsWith);
  }

  private String describe() {
    return allowed.stream().map(Path::toString).collect(Collectors.joining(" or "));
  }

  @Override
  public String toString() {
    return allowed.isEmpty()
        ? "RequestPolicy[no local paths]"
        : "RequestPolicy[paths under " + describe() + "]";
  }
}
