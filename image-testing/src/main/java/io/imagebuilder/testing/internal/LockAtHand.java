package io.imagebuilder.testing.internal;

import io.imagebuilder.api.spec.Lock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a fixture's last build could be made again exactly from its lock without the network: the
 * output holds one {@code .lock} and every package it pins is in the package cache (which keeps
 * each .deb under its sha256 and checks it on the way in). Only then may a young cached result be
 * trusted without asking the archive whether it moved on.
 */
final class LockAtHand {
  private LockAtHand() {}

  /**
   * Empty when {@code output}'s lock is satisfiable from {@code packages}; else why not, for the
   * fixture's build log.
   */
  static Optional<String> missing(Path output, Path packages) {
    if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("no earlier build of it in the run directory");
    }
    List<Path> locks = new ArrayList<>();
    // not the output directory's own hidden lock file, only the build's <image>.lock
    try (DirectoryStream<Path> files = Files.newDirectoryStream(output, "[!.]*.lock")) {
      files.forEach(locks::add);
    } catch (IOException e) {
      return Optional.of("cannot list " + output + ": " + e.getMessage());
    }
    if (locks.size() != 1) {
      return Optional.of("no single lock in the last build's output (" + locks.size() + " found)");
    }
    Lock lock;
    try {
      lock = Lock.read(locks.get(0));
    } catch (IOException | RuntimeException e) {
      return Optional.of("cannot read the lock " + locks.get(0) + ": " + e.getMessage());
    }
    for (Lock.LockedPackage p : lock.packages()) {
      if (p.sha256() == null
          || !Files.isRegularFile(packages.resolve(p.sha256()), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(p.describe() + " is not in the package cache " + packages);
      }
    }
    return Optional.empty();
  }
}
