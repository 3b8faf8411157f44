package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PackageQueryTest {
  @Test
  void parsesNameAndOptionalVersion() {
    assertEquals(new PackageQuery("openssh-server", null), PackageQuery.parse("openssh-server"));
    assertEquals(
        new PackageQuery("openssh-server", "1:9.2p1-2"),
        PackageQuery.parse("openssh-server=1:9.2p1-2"));
  }

  @Test
  void rejectsBadNamesQuotingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PackageQuery.parse("Foo Bar"));
    assertEquals(
        "invalid package name 'Foo Bar' (expected a Debian package name such as openssh-server)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PackageQuery.parse("ssh="));
  }
}
