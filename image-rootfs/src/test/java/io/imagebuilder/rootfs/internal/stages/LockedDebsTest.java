package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.LockedPackagesMissingException;
import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockedDebsTest {
  @TempDir Path temp;

  private PackageCache cacheWith(byte[]... debs) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("packages"));
    for (byte[] deb : debs) {
      Files.write(dir.resolve(Sha256.of(deb)), deb);
    }
    return new PackageCache(dir);
  }

  @Test
  void cachedDebsAreUsedWithoutReadingAnyIndex() throws Exception {
    byte[] deb = "a .deb".getBytes();
    PackageCache cache = cacheWith(deb);
    LockedPackage p = new LockedPackage("ib-p", "1.0", "all", Sha256.of(deb), "side");
    AtomicInteger reads = new AtomicInteger();
    LockedDebs.Found found =
        LockedDebs.find(
            List.of(p),
            cache,
            Set.of(),
            () -> {
              reads.incrementAndGet();
              return List.of();
            });
    assertEquals(Map.of(p, cache.directory().resolve(Sha256.of(deb))), found.cached());
    assertEquals(0, reads.get(), "no index is read when every .deb is cached");
  }

  @Test
  void failsNamingEveryPackageItCannotObtain() throws Exception {
    byte[] kept = "kept".getBytes();
    PackageCache cache = cacheWith(kept);
    String gone1 = "1".repeat(64);
    String gone2 = "2".repeat(64);
    LockedPackagesMissingException e =
        assertThrows(
            LockedPackagesMissingException.class,
            () ->
                LockedDebs.find(
                    List.of(
                        new LockedPackage("kept", "1", "amd64", Sha256.of(kept), "debian"),
                        new LockedPackage("ib-p", "1.0", "all", gone1, "side"),
                        new LockedPackage("libq", "1:2.0-1", "amd64", gone2, "debian"),
                        new LockedPackage("hooked", "3", "amd64", null, null)),
                    cache,
                    Set.of(),
                    List::of));
    String m = e.getMessage();
    assertTrue(m.contains("cannot obtain 3 locked packages"), m);
    assertTrue(m.contains("ib-p 1.0 (all, .deb sha256 " + gone1 + ", from side)"), m);
    assertTrue(m.contains("libq 1:2.0-1 (amd64, .deb sha256 " + gone2 + ", from debian)"), m);
    assertTrue(m.contains("hooked 3 (amd64, no .deb sha256): the lock records no .deb"), m);
    assertTrue(!m.contains("kept 1"), m);
    assertEquals(3, e.missing().size(), "a caller gets each missing package");
  }

  @Test
  void localPackagesComeFromTheLocalRepository() throws Exception {
    String sha = "3".repeat(64);
    LockedPackage local = new LockedPackage("mine", "0.1", "all", sha, "imagebuilder-local");
    LockedDebs.Found found = LockedDebs.find(List.of(local), cacheWith(), Set.of(sha), List::of);
    assertEquals(List.of(local), found.local());
  }
}
