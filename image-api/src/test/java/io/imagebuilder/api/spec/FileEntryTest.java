package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileEntryTest {
  @Test
  void permissionBitsAreKept() {
    assertEquals(0755, FileEntry.of("/usr/local/bin/tool", 0755, new byte[0]).modeBits());
    assertEquals("0640", FileEntry.of("/etc/secret", 0640, new byte[0]).mode());
  }

  @Test
  void setuidSetgidAndStickyBitsAreRefusedNotSilentlyDropped() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FileEntry.of("/usr/local/bin/tool", 06777, "x".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "invalid mode '6777' of /usr/local/bin/tool (expected permission bits 0000 to 0777:"
            + " setuid, setgid and sticky bits are not supported)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FileEntry("/tmp/x", "1777", ""));
    assertThrows(IllegalArgumentException.class, () -> new FileEntry("/tmp/x", "04755", ""));
  }

  @Test
  void aLongBadPathIsQuotedAsAnExcerpt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FileEntry("relative/" + "a".repeat(10_000), "0644", ""));
    assertEquals(true, e.getMessage().length() < 250, e.getMessage());
  }
}
