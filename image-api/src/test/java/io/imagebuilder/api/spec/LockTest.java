package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.api.spec.Lock.LockedRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);
  private static final String SHA_C = "c".repeat(64);

  private static Lock sample() {
    return Lock.of(
        List.of(
            new LockedPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64", SHA_A, "debian"),
            new LockedPackage("hello", "2.10-3", "amd64", SHA_B, "debian"),
            new LockedPackage("ib-p", "1.0", "all", SHA_C, "side")),
        List.of(
            new LockedRepository(
                "debian",
                "http://deb.debian.org/debian",
                "bookworm",
                List.of("main"),
                "4CB50190207B4758A3F73A796ED0E7B82643E131",
                SHA_A,
                "Sat, 11 Nov 2023 09:45:12 UTC")),
        1_700_000_000L,
        SHA_B);
  }

  @Test
  void jsonRoundTripGivesTheSameLock() {
    Lock lock = sample();
    Lock read = Lock.fromJson(lock.toJson());
    assertEquals(lock, read);
    assertEquals(lock.toJson(), read.toJson());
  }

  @Test
  void packagesAreSortedAndKeysInAStableOrder() {
    Lock lock = sample();
    assertEquals(
        List.of("hello", "ib-p", "zlib1g"),
        lock.packages().stream().map(LockedPackage::name).toList());
    String json = lock.toJson();
    int base = json.indexOf("\"baseImageSha256\"");
    int format = json.indexOf("\"formatVersion\"");
    int packages = json.indexOf("\"packages\"");
    int repositories = json.indexOf("\"repositories\"");
    int epoch = json.indexOf("\"sourceDateEpoch\"");
    assertTrue(
        base < format && format < packages && packages < repositories && repositories < epoch,
        json);
    assertTrue(json.contains("\"formatVersion\" : 1"), json);
    // written the same way whatever order the packages came in
    Lock reversed =
        Lock.of(
            reversed(lock.packages()),
            lock.repositories(),
            lock.sourceDateEpoch(),
            lock.baseImageSha256());
    assertEquals(json, reversed.toJson());
  }

  @Test
  void readsAFileAndNamesItWhenItIsBad(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("image.lock");
    Files.writeString(good, sample().toJson());
    assertEquals(sample(), Lock.read(good));
    Path bad = dir.resolve("bad.lock");
    Files.writeString(bad, sample().toJson().replace(SHA_C, "nothex"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lock.read(bad));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'nothex'"), e.getMessage());
    assertTrue(e.getMessage().contains("package ib-p"), e.getMessage());
  }

  @Test
  void badValuesAreNamedWithWhatWasExpected() {
    assertMessage(
        () -> new LockedPackage("Hello World", "1.0", "amd64", SHA_A, null),
        "'Hello World'",
        "expected a Debian package name");
    assertMessage(
        () -> new LockedPackage("hello", "not a version", "amd64", SHA_A, null),
        "'not a version'",
        "expected a Debian version");
    assertMessage(
        () -> new LockedPackage("hello", "1.0", "AMD64", SHA_A, null),
        "'AMD64'",
        "expected a Debian architecture");
    assertMessage(
        () ->
            Lock.fromJson(
                sample().toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 7")),
        "version 7",
        "expected 1");
    assertMessage(
        () -> Lock.fromJson(sample().toJson().replace("\"packages\"", "\"pakages\"")),
        "'pakages'",
        "expected one of");
    assertMessage(
        () ->
            Lock.of(
                List.of(
                    new LockedPackage("hello", "1.0", "amd64", SHA_A, null),
                    new LockedPackage("hello", "2.0", "amd64", SHA_B, null)),
                List.of(),
                null,
                null),
        "hello:amd64 is locked twice",
        "expected one version");
    assertMessage(() -> Lock.fromJson("[]"), "lock", "");
  }

  @Test
  void readsTheEntriesOfManifestsWrittenBeforePackagesCarriedTheirDeb() {
    Lock old =
        Lock.fromJson(
            "{\"packages\":[\"tzdata:all=2024a-0+deb12u1\",\"libc6:amd64=2.36-9\"],"
                + "\"repositories\":[],\"sourceDateEpoch\":1700000000}");
    assertEquals(Lock.FORMAT_VERSION, old.formatVersion());
    assertEquals("libc6:amd64=2.36-9", old.packages().get(0).entry());
    assertNull(old.packages().get(1).sha256());
    assertMessage(() -> LockedPackage.parse("tzdata"), "'tzdata'", "expected name:arch=version");
  }

  @Test
  void theLockIsPartOfTheSpecsIdentity() {
    ImageSpec plain =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .baseImage("/srv/base.tar.zst")
            .build();
    ImageSpec locked = plain.toBuilder().lock(sample()).build();
    assertNotEquals(plain.specHash(), locked.specHash());
    assertTrue(!plain.toCanonicalJson().contains("\"lock\""), plain.toCanonicalJson());
    assertEquals(locked, ImageSpec.fromJson(locked.toJson()));
    assertEquals(sample(), ImageSpec.fromJson(locked.toCanonicalJson()).lock());
  }

  private static List<LockedPackage> reversed(List<LockedPackage> packages) {
    List<LockedPackage> out = new java.util.ArrayList<>(packages);
    java.util.Collections.reverse(out);
    return out;
  }

  /** A lock and a spec agree on having a base image: the lock pins the one it was made from. */
  @Test
  void aLockAndASpecMustAgreeOnHavingABaseImage() {
    Lock fromBase = sample();
    assertMessage(
        () -> ImageSpec.builder("bookworm").architecture(Architecture.AMD64).lock(fromBase).build(),
        "the lock was made from a base image (sha256 " + SHA_B + ") but the spec names none");
    Lock fromArchive = Lock.of(fromBase.packages(), fromBase.repositories(), null, null);
    assertMessage(
        () ->
            ImageSpec.builder("bookworm")
                .architecture(Architecture.AMD64)
                .baseImage("/srv/base.tar.zst")
                .lock(fromArchive)
                .build(),
        "the spec builds from base image '/srv/base.tar.zst' but the lock was made without one");
    ImageSpec.builder("bookworm")
        .architecture(Architecture.AMD64)
        .baseImage("/srv/base.tar.zst")
        .lock(fromBase)
        .build();
  }

  private static void assertMessage(Runnable action, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
