package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.RepositoryVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseFileTest {

  private static final String RELEASE =
      "Origin: Debian\n"
          + "Label: Debian\n"
          + "Suite: stable\n"
          + "Version: 12.5\n"
          + "Codename: bookworm\n"
          + "Date: Sat, 10 Feb 2024 09:48:43 UTC\n"
          + "Valid-Until: Sat, 17 Feb 2024 09:48:43 UTC\n"
          + "Acquire-By-Hash: yes\n"
          + "Architectures: all amd64 arm64\n"
          + "Components: main contrib non-free-firmware\n"
          + "Description: Debian 12.5 Released 10 February 2024\n"
          + "MD5Sum:\n"
          + " 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 contrib/Contents-all\n"
          + "SHA256:\n"
          + " 2d2e3b1a3c6fb4de4a0f7ea3e9e2f0a7b3a8e2c6e1e5f2f4d2a1c7e9b3a6d4f1  8790000 main/binary-amd64/Packages.xz\n"
          + " 1111111111111111111111111111111111111111111111111111111111111111 46000000 main/binary-amd64/Packages\n";

  private static ReleaseFile parse(String text) throws RepositoryVerificationException {
    return ReleaseFile.parse("debian", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheFields() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertEquals("Debian", r.origin().orElseThrow());
    assertEquals("stable", r.suite().orElseThrow());
    assertEquals("bookworm", r.codename().orElseThrow());
    assertEquals(Instant.parse("2024-02-10T09:48:43Z"), r.date().orElseThrow());
    assertEquals(Instant.parse("2024-02-17T09:48:43Z"), r.validUntil().orElseThrow());
    assertEquals(List.of("all", "amd64", "arm64"), r.architectures());
    assertEquals(List.of("main", "contrib", "non-free-firmware"), r.components());
    assertTrue(r.acquireByHash());
  }

  @Test
  void readsSha256Entries() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertEquals(2, r.sha256Entries().size());
    ReleaseFile.IndexEntry xz = r.entry("main/binary-amd64/Packages.xz").orElseThrow();
    assertEquals(8790000L, xz.size());
    assertEquals("2d2e3b1a3c6fb4de4a0f7ea3e9e2f0a7b3a8e2c6e1e5f2f4d2a1c7e9b3a6d4f1", xz.sha256());
    assertFalse(r.entry("contrib/Contents-all").isPresent(), "MD5Sum entries are not used");
  }

  @Test
  void anIndexIsDownloadedXzThenGzThenPlain() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertEquals(
        "main/binary-amd64/Packages.xz",
        r.download("main/binary-amd64/Packages").orElseThrow().path());
    ReleaseFile plainOnly = parse(RELEASE.replace("Packages.xz", "Packages.bz2"));
    assertEquals(
        "main/binary-amd64/Packages",
        plainOnly.download("main/binary-amd64/Packages").orElseThrow().path());
    ReleaseFile gz = parse(RELEASE.replace("Packages.xz", "Packages.gz"));
    assertEquals(
        "main/binary-amd64/Packages.gz",
        gz.download("main/binary-amd64/Packages").orElseThrow().path());
    assertTrue(r.download("main/binary-arm64/Packages").isEmpty());
  }

  @Test
  void suiteMatchesSuiteOrCodename() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertDoesNotThrow(() -> r.checkSuite("bookworm"));
    assertDoesNotThrow(() -> r.checkSuite("stable"));
    RepositoryVerificationException e =
        assertThrows(RepositoryVerificationException.class, () -> r.checkSuite("trixie"));
    assertEquals(RepositoryVerificationException.Reason.WRONG_SUITE, e.reason(), e.getMessage());
    assertEquals(
        "Release of source 'debian' is not for suite 'trixie' (Suite: stable, Codename: bookworm)",
        e.getMessage());
  }

  @Test
  void validUntilIsEnforced() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertDoesNotThrow(() -> r.checkValidUntil(Instant.parse("2024-02-12T00:00:00Z")));
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () -> r.checkValidUntil(Instant.parse("2024-03-01T00:00:00Z")));
    assertEquals(RepositoryVerificationException.Reason.EXPIRED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("source 'debian'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("Valid-Until Sat, 17 Feb 2024 09:48:43 UTC"), e.getMessage());
    assertTrue(e.getMessage().contains("2024-03-01T00:00:00Z"), e.getMessage());
  }

  @Test
  void aReleaseDatedInTheFutureIsNotValidYet() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertDoesNotThrow(() -> r.checkDate(Instant.parse("2024-02-10T09:48:43Z")));
    assertDoesNotThrow(
        () -> r.checkDate(Instant.parse("2024-02-10T09:40:00Z")), "a few minutes of clock skew");
    RepositoryVerificationException e =
        assertThrows(
            RepositoryVerificationException.class,
            () -> r.checkDate(Instant.parse("2023-01-06T00:00:00Z")));
    assertEquals(RepositoryVerificationException.Reason.NOT_YET_VALID, e.reason(), e.getMessage());
    assertEquals(
        "Release of source 'debian' is not valid yet: Date Sat, 10 Feb 2024 09:48:43 UTC is 400 days"
            + " after now (2023-01-06T00:00:00Z; at most 10 minutes of clock skew are accepted); the mirror or this"
            + " host's clock is wrong",
        e.getMessage());
  }

  @Test
  void checksArchitectureAndComponents() throws Exception {
    ReleaseFile r = parse(RELEASE);
    assertDoesNotThrow(() -> r.checkCoverage(List.of("main"), "arm64"));
    RepositoryException arch =
        assertThrows(RepositoryException.class, () -> r.checkCoverage(List.of("main"), "riscv64"));
    assertTrue(
        arch.getMessage().contains("'riscv64' (Architectures: all amd64 arm64)"),
        arch.getMessage());
    RepositoryException comp =
        assertThrows(
            RepositoryException.class, () -> r.checkCoverage(List.of("non-free"), "amd64"));
    assertTrue(
        comp.getMessage().contains("'non-free' (Components: main contrib non-free-firmware)"),
        comp.getMessage());
  }

  @Test
  void securityStyleComponentsMatchTheirLastPart() throws Exception {
    ReleaseFile r = parse("Suite: bookworm-security\nComponents: updates/main updates/contrib\n");
    assertDoesNotThrow(() -> r.checkCoverage(List.of("main"), "amd64"));
  }

  @Test
  void rejectsBadDatesAndSha256Lines() {
    RepositoryVerificationException date =
        assertThrows(
            RepositoryVerificationException.class, () -> parse("Suite: x\nDate: yesterday\n"));
    assertEquals(
        RepositoryVerificationException.Reason.MALFORMED, date.reason(), date.getMessage());
    assertTrue(date.getMessage().contains("Date 'yesterday'"), date.getMessage());
    RepositoryVerificationException sha =
        assertThrows(
            RepositoryVerificationException.class,
            () -> parse("Suite: x\nSHA256:\n abc 12 main/Packages\n"));
    assertEquals(RepositoryVerificationException.Reason.MALFORMED, sha.reason(), sha.getMessage());
    assertTrue(sha.getMessage().contains("'abc 12 main/Packages'"), sha.getMessage());
  }

  @Test
  void parsesDateVariants() {
    assertEquals(
        Instant.parse("2023-06-01T08:00:00Z"),
        ReleaseFile.parseDate("Thu, 1 Jun 2023 08:00:00 UTC"));
    assertEquals(
        Instant.parse("2023-06-01T06:00:00Z"),
        ReleaseFile.parseDate("Thu, 01 Jun 2023 08:00:00 +0200"));
    assertEquals(
        Instant.parse("2023-06-01T08:00:00Z"), ReleaseFile.parseDate("01 Jun 2023 08:00:00 GMT"));
  }
}
