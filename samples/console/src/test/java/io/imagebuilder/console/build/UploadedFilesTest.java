package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's upload is stored only under a plain name and only with the sha256 it declared. */
class UploadedFilesTest {
  @TempDir Path temp;

  /** The upload directory, inside the test's own, so a file escaping it lands where we look. */
  private Path dir;

  @BeforeEach
  void uploads() throws Exception {
    dir = Files.createDirectory(temp.resolve("uploads"));
  }

  private static ByteArrayInputStream body(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void storesAFileWhoseSha256MatchesTheDeclaredOne() throws Exception {
    String sha = Sha256.of("content".getBytes(StandardCharsets.UTF_8));
    assertEquals(7, UploadedFiles.store(body("content"), dir, "a.tar.zst", sha));
    assertEquals("content", Files.readString(dir.resolve("a.tar.zst")));
  }

  @Test
  void refusesContentThatDoesNotMatchAndLeavesNothing() throws Exception {
    String sha = Sha256.of("content".getBytes(StandardCharsets.UTF_8));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UploadedFiles.store(body("tampered"), dir, "a.tar.zst", sha));
    assertTrue(e.getMessage().contains("expected " + sha), e.getMessage());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count(), "no file, no temporary file");
    }
  }

  @Test
  void refusesPathsHiddenNamesAndBadHashes() {
    String sha = Sha256.of(new byte[0]);
    for (String name : new String[] {"../x", "/etc/passwd", "a/b", ".hidden", "", "a\0b"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> UploadedFiles.store(body(""), dir, name, sha),
              name);
      assertTrue(e.getMessage().contains("expected a plain file name"), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> UploadedFiles.store(body(""), dir, "a", "ABC"));
    assertTrue(e.getMessage().contains("X-Content-SHA256"), e.getMessage());
    assertFalse(Files.exists(dir.getParent().resolve("x")));
  }
}
