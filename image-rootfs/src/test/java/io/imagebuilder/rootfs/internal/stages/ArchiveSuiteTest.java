package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suites read beside a series, per distribution, series, architecture and mirror. */
class ArchiveSuiteTest {
  private static List<ArchiveSuite> besides(ImageSpec.Builder spec) {
    return ArchiveOptions.of(spec.build()).besides();
  }

  private static ImageSpec.Builder spec(String series, Architecture arch) {
    return ImageSpec.builder(series).architecture(arch);
  }

  @Test
  void bookwormHasItsUpdatesOnTheMirrorAndItsSecurityOnDebiansSecurityArchive() {
    assertEquals(
        List.of(
            new ArchiveSuite(
                "debian-updates", "http://deb.debian.org/debian", "bookworm-updates", null, false),
            new ArchiveSuite(
                "debian-security",
                "http://deb.debian.org/debian-security",
                "bookworm-security",
                null,
                true)),
        besides(spec("bookworm", Architecture.ARM64)));
  }

  @Test
  void trixieHasBothSidHasNeither() {
    assertEquals(
        List.of("trixie-updates", "trixie-security"),
        besides(spec("trixie", Architecture.AMD64)).stream().map(ArchiveSuite::suite).toList());
    assertEquals(List.of(), besides(spec("sid", Architecture.AMD64)));
  }

  @Test
  void busterKeepsTheOldSecuritySuiteName() {
    assertEquals(
        List.of("buster-updates", "buster/updates"),
        besides(spec("buster", Architecture.AMD64)).stream().map(ArchiveSuite::suite).toList());
  }

  @Test
  void anotherDebianMirrorServesUpdatesWithItsKeyWhileSecurityStaysOnDebians() {
    List<ArchiveSuite> suites =
        besides(
            spec("bookworm", Architecture.AMD64)
                .mirror("https://mirror.example.org/debian")
                .mirrorKey("/keys/mirror.asc"));
    assertEquals(
        List.of(
            new ArchiveSuite(
                "debian-updates",
                "https://mirror.example.org/debian",
                "bookworm-updates",
                "/keys/mirror.asc",
                false),
            new ArchiveSuite(
                "debian-security",
                "http://deb.debian.org/debian-security",
                "bookworm-security",
                null,
                true)),
        suites);
  }

  @Test
  void nobleOnAmd64TakesSecurityFromSecurityUbuntuComAndOnArm64FromPorts() {
    assertEquals(
        List.of(
            new ArchiveSuite(
                "ubuntu-updates", "http://archive.ubuntu.com/ubuntu", "noble-updates", null, false),
            new ArchiveSuite(
                "ubuntu-security",
                "http://security.ubuntu.com/ubuntu",
                "noble-security",
                null,
                true)),
        besides(spec("noble", Architecture.AMD64)));
    assertEquals(
        List.of(
            new ArchiveSuite(
                "ubuntu-updates",
                "http://ports.ubuntu.com/ubuntu-ports",
                "noble-updates",
                null,
                false),
            new ArchiveSuite(
                "ubuntu-security",
                "http://ports.ubuntu.com/ubuntu-ports",
                "noble-security",
                null,
                true)),
        besides(spec("noble", Architecture.ARM64)));
  }

  @Test
  void anUbuntuMirrorServesAllSuitesWithItsKey() {
    List<ArchiveSuite> suites =
        besides(
            spec("jammy", Architecture.AMD64)
                .mirror("http://mirror.example.org/ubuntu")
                .mirrorKey("/keys/ubuntu.gpg"));
    assertEquals(
        List.of(
            new ArchiveSuite(
                "ubuntu-updates",
                "http://mirror.example.org/ubuntu",
                "jammy-updates",
                "/keys/ubuntu.gpg",
                false),
            new ArchiveSuite(
                "ubuntu-security",
                "http://mirror.example.org/ubuntu",
                "jammy-security",
                "/keys/ubuntu.gpg",
                true)),
        suites);
  }

  @Test
  void eachSuiteIsSwitchedOffOnItsOwn() {
    assertEquals(
        List.of("bookworm-security"),
        besides(spec("bookworm", Architecture.AMD64).updates(false)).stream()
            .map(ArchiveSuite::suite)
            .toList());
    assertEquals(
        List.of("noble-updates"),
        besides(spec("noble", Architecture.AMD64).security(false)).stream()
            .map(ArchiveSuite::suite)
            .toList());
    assertEquals(
        List.of(), besides(spec("bookworm", Architecture.AMD64).updates(false).security(false)));
  }

  @Test
  void theSeriesComesFirstNamedAfterTheDistribution() {
    List<ArchiveSuite> all =
        ArchiveOptions.of(spec("bookworm", Architecture.AMD64).build()).suites();
    assertEquals(
        List.of("debian", "debian-updates", "debian-security"),
        all.stream().map(ArchiveSuite::name).toList());
    assertEquals("bookworm", all.get(0).suite());
  }
}
