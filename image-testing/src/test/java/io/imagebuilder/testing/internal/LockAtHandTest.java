package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Lock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockAtHandTest {
  private static final String HELLO_SHA =
      "0b05dd79e6b3f4f2a2b4f3c7d7c0a4a5b0e4d7d8c3a1f2e3d4c5b6a7980a1b2c";
  private static final String LIBC_SHA =
      "1c05dd79e6b3f4f2a2b4f3c7d7c0a4a5b0e4d7d8c3a1f2e3d4c5b6a7980a1b2c";

  @TempDir Path temp;

  private Path output() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    Lock lock =
        Lock.of(
            List.of(
                new Lock.LockedPackage("hello", "2.10-3", "amd64", HELLO_SHA, null),
                new Lock.LockedPackage("libc6", "2.36-9+deb12u13", "amd64", LIBC_SHA, null)),
            List.of(),
            null,
            null);
    Files.writeString(out.resolve("rootfs.lock"), lock.toJson());
    Files.writeString(out.resolve(".imagebuilder-output.lock"), ""); // the directory's own lock
    return out;
  }

  @Test
  void aLockWhosePackagesAreAllCachedIsAtHand() throws Exception {
    Path out = output();
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Files.writeString(packages.resolve(HELLO_SHA), "deb");
    Files.writeString(packages.resolve(LIBC_SHA), "deb");
    assertEquals(Optional.empty(), LockAtHand.missing(out, packages));
  }

  @Test
  void aPackageGoneFromTheCacheIsNamed() throws Exception {
    Path out = output();
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Files.writeString(packages.resolve(HELLO_SHA), "deb");
    String why = LockAtHand.missing(out, packages).orElseThrow();
    assertTrue(why.contains("libc6") && why.contains("not in the package cache"), why);
  }

  @Test
  void aFixtureNeverBuiltInThisRunDirectoryHasNoLockAtHand() {
    String why = LockAtHand.missing(temp.resolve("out"), temp.resolve("packages")).orElseThrow();
    assertEquals("no earlier build of it in the run directory", why);
  }

  @Test
  void anOutputWithoutALockIsNotAtHand() throws Exception {
    Path out = Files.createDirectories(temp.resolve("empty"));
    String why = LockAtHand.missing(out, temp.resolve("packages")).orElseThrow();
    assertTrue(why.startsWith("no single lock"), why);
  }
}
