package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepackedDebsTest {
  @TempDir Path temp;

  @Test
  void aCacheEntryIsRepackedOnceAndItsKeptCopyGivesTheSameBytesAndListing() throws Exception {
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Path entry = cacheEntry(packages, "tool", Debs.Entry.file("./usr/bin/tool", "#!/bin/sh\n"));
    RepackedDebs kept = new RepackedDebs(packages);

    Path first = temp.resolve("first.deb");
    List<DebRepacker.Listed> made = kept.copyTo(entry, true, first, check(entry));
    assertTrue(kept.isKept(entry, true));
    assertFalse(kept.isKept(entry, false), "a copy per data encoding");

    Path second = temp.resolve("second.deb");
    List<DebRepacker.Listed> reused = kept.copyTo(entry, true, second, check(entry));
    Path direct = temp.resolve("direct.deb");
    List<DebRepacker.Listed> repacked = DebRepacker.repack(entry, direct, true, check(entry));
    assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(second));
    assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(first));
    assertEquals(repacked, reused);
    assertEquals(repacked, made);
    assertTrue(reused.contains(new DebRepacker.Listed("/usr/bin/tool", false, null)), "" + reused);
  }

  @Test
  void aDamagedKeptCopyIsNotUsedAndIsMadeAgain() throws Exception {
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Path entry = cacheEntry(packages, "tool", Debs.Entry.file("./usr/bin/tool", "#!/bin/sh\n"));
    RepackedDebs kept = new RepackedDebs(packages);
    kept.prepare(entry, false);
    Path copy = onlyKeptDeb(packages);
    byte[] bytes = Files.readAllBytes(copy);
    bytes[bytes.length - 3] ^= 1; // inside the data.tar's end blocks: still a readable .deb
    Files.write(copy, bytes);

    Path out = temp.resolve("out.deb");
    kept.copyTo(entry, false, out, check(entry));
    Path direct = temp.resolve("direct.deb");
    DebRepacker.repack(entry, direct, false, null);
    assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(out));
    assertArrayEquals(
        Files.readAllBytes(direct), Files.readAllBytes(copy), "the kept copy is whole again");
  }

  @Test
  void anUnsafePackageIsRefusedAndNothingIsKept() throws Exception {
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Path entry = cacheEntry(packages, "evil", Debs.Entry.file("./usr/../../tmp/x", "escaped"));
    RepackedDebs kept = new RepackedDebs(packages);
    UnsafePackageException e =
        assertThrows(UnsafePackageException.class, () -> kept.prepare(entry, true));
    assertTrue(e.getMessage().contains("evil"), e.getMessage());
    assertThrows(
        UnsafePackageException.class,
        () -> kept.copyTo(entry, true, temp.resolve("out.deb"), check(entry)));
    try (Stream<Path> files = Files.list(packages)) {
      assertEquals(List.of(entry), files.toList(), "nothing but the original");
    }
  }

  @Test
  void aDebOutsideThePackageCacheIsRepackedButNotKept() throws Exception {
    Path packages = Files.createDirectories(temp.resolve("packages"));
    Path local =
        Debs.rawDeb(
            temp.resolve("tool_1.0_amd64.deb"),
            "tool",
            List.of(Debs.Entry.dir("./"), Debs.Entry.file("./usr/bin/tool", "x")));
    RepackedDebs kept = new RepackedDebs(packages);
    kept.copyTo(local, true, temp.resolve("out.deb"), check(local));
    kept.prepare(local, true);
    try (Stream<Path> files = Files.list(packages)) {
      assertEquals(0, files.count());
    }
  }

  private static DebCheck.DataEntries check(Path deb) throws Exception {
    return DebCheck.dataEntries(DebFile.open(deb));
  }

  /** A .deb with the given entries, stored as the package cache stores one: named by its sha256. */
  private Path cacheEntry(Path packages, String name, Debs.Entry entry) throws Exception {
    Path deb =
        Debs.rawDeb(
            temp.resolve(name + "_1.0_amd64.deb"),
            name,
            List.of(Debs.Entry.dir("./"), Debs.Entry.dir("./usr/"), entry));
    Path stored = packages.resolve(Sha256.ofFile(deb));
    Files.move(deb, stored, StandardCopyOption.REPLACE_EXISTING);
    return stored;
  }

  private static Path onlyKeptDeb(Path packages) throws Exception {
    try (Stream<Path> files = Files.list(packages)) {
      List<Path> kept = files.filter(p -> p.toString().endsWith(".deb")).toList();
      assertEquals(1, kept.size(), "" + kept);
      return kept.get(0);
    }
  }
}
