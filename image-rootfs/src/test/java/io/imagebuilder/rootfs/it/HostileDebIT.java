package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real bookworm builds, each given one hostile local .deb: every one fails before any stage runs,
 * naming the package and the entry, and afterwards the host is as before: the marker file the
 * package aims at is absent, no work directory and no mount are left.
 */
class HostileDebIT {
  /** A file outside every target that each hostile package tries to create. */
  private static final Path MARKER = Path.of("/tmp/ib-hostile-" + UUID.randomUUID());

  @TempDir static Path temp;
  private static Path cache;

  @BeforeAll
  static void sharedPackages() throws IOException {
    cache = Files.createDirectories(temp.resolve("cache"));
    Files.createSymbolicLink(
        cache.resolve("packages"),
        Files.createDirectories(ItEnvironment.cacheDir().resolve("packages")));
  }

  @AfterAll
  static void noMarker() throws IOException {
    Files.deleteIfExists(MARKER); // only if a test failed already
  }

  static Stream<Arguments> hostile() {
    String m = MARKER.toString();
    return Stream.of(
        Arguments.of(
            "evil-dotdot",
            List.of(),
            List.of(Entry.dir("./"), Entry.file("./../../../../../.." + m, "pwned")),
            "./../../../../../.." + m,
            "'..'"),
        Arguments.of(
            "evil-absolute",
            List.of(),
            List.of(Entry.dir("./"), Entry.file(m, "pwned")),
            m,
            "absolute"),
        Arguments.of(
            "evil-symlink",
            List.of(),
            List.of(
                Entry.dir("./"),
                Entry.dir("./usr/"),
                Entry.symlink("./usr/evil", "../../../../../.." + MARKER.getParent())),
            "./usr/evil",
            "climbs above the root"),
        Arguments.of(
            "evil-through-link",
            List.of(),
            List.of(
                Entry.dir("./"),
                Entry.symlink("./evil", MARKER.getParent().toString()),
                Entry.file("./evil/" + MARKER.getFileName(), "pwned")),
            "./evil/" + MARKER.getFileName(),
            "symlink"),
        Arguments.of(
            "evil-device",
            List.of(),
            List.of(Entry.dir("./"), Entry.special("./evil-sda", TarConstants.LF_BLK)),
            "./evil-sda",
            "device node"),
        Arguments.of(
            "evil-hardlink",
            List.of(),
            List.of(Entry.dir("./"), Entry.hardLink("./evil-shadow", "/etc/shadow")),
            "./evil-shadow",
            "hard link"),
        Arguments.of(
            "evil-control",
            List.of(Entry.symlink("./postinst", m)),
            List.of(Entry.dir("./"), Entry.file("./a", "a")),
            "./postinst",
            "symlink"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void aHostileLocalDebFailsTheBuildNamingPackageAndEntryAndTheHostIsUntouched(
      String name, List<Entry> control, List<Entry> data, String entry, String reason)
      throws Exception {
    Path deb =
        Debs.rawDeb(
            Files.createDirectories(temp.resolve("debs")).resolve(name + "_1.0_amd64.deb"),
            name,
            control,
            data);

    StageFailedException e =
        assertThrows(
            StageFailedException.class,
            () ->
                ImageBuilder.forSeries("bookworm")
                    .forArchitecture(Architecture.AMD64)
                    .withLocalPackages(deb)
                    .build(RunConfiguration.into(temp.resolve("out-" + name)).withCacheDir(cache)));

    UnsafePackageException unsafe = cause(e);
    assertEquals(name, unsafe.packageName());
    assertEquals("1.0", unsafe.version());
    assertEquals(entry, unsafe.entry());
    assertTrue(unsafe.reason().contains(reason), unsafe.reason());
    assertTrue(
        e.getMessage().contains("'" + name + "'") && e.getMessage().contains("'" + entry + "'"),
        e.getMessage());
    System.out.println(name + ": " + e.getMessage());
    assertEquals(
        List.of(),
        e.buildState().orElseThrow().completedStages(),
        "refused before any work: no bootstrap for a package that cannot be installed");

    assertFalse(
        Files.exists(MARKER, java.nio.file.LinkOption.NOFOLLOW_LINKS), MARKER + " was written");
    try (Stream<Path> work = Files.list(Files.createDirectories(cache.resolve("work")))) {
      assertEquals(List.of(), work.toList(), "no work directory left");
    }
    assertEquals(List.of(), mountsUnder(temp), "no mount left under the build's directories");
  }

  /** Mount points under {@code dir}: other builds on the host may mount elsewhere meanwhile. */
  private static List<String> mountsUnder(Path dir) throws IOException {
    String real = dir.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(real))
        .toList();
  }

  private static UnsafePackageException cause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnsafePackageException u) {
        return u;
      }
    }
    throw new AssertionError("no UnsafePackageException in the causes of " + t, t);
  }
}
