package io.imagebuilder.rootfs.internal.cache;

import java.net.URI;
import java.nio.file.Path;

/** Fetches one entry into a cache from a separate JVM (PackageCacheTest starts two at once). */
public final class CacheFetchMain {
  private CacheFetchMain() {}

  public static void main(String[] args) throws Exception {
    Path p =
        new PackageCache(Path.of(args[0]))
            .fetch(URI.create(args[1]), args[2], Long.parseLong(args[3]));
    System.out.println(p);
  }
}
