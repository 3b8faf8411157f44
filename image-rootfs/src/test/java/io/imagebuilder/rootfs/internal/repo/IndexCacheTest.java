package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCacheTest {
  private static final String SHA = "0123456789abcdef".repeat(4);

  private static String[] stanza(String name, String depends) {
    String[] s = new String[PackageRecord.FIELDS.size()];
    s[0] = name;
    s[1] = "1.0-1";
    s[2] = "amd64";
    s[7] = depends;
    s[10] = "pool/" + name + ".deb";
    s[11] = "12";
    s[12] = "ab".repeat(32);
    return s;
  }

  @Test
  void storedStanzasLoadBackExactly(@TempDir Path dir) {
    IndexCache cache = new IndexCache(dir.resolve("indexes"));
    assertTrue(cache.load(SHA).isEmpty());
    List<String[]> stanzas = List.of(stanza("a", "b (>= 1), c | d"), stanza("ü-not-ascii", null));
    cache.store(SHA, stanzas);
    List<String[]> back = cache.load(SHA).orElseThrow();
    assertEquals(2, back.size());
    assertArrayEquals(stanzas.get(0), back.get(0));
    assertArrayEquals(stanzas.get(1), back.get(1));
    try (var files = Files.list(dir.resolve("indexes"))) {
      assertEquals(List.of(SHA + ".bin"), files.map(p -> p.getFileName().toString()).toList());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDamagedEntryIsAMissAndIsDeleted(@TempDir Path dir) throws Exception {
    IndexCache cache = new IndexCache(dir);
    cache.store(SHA, List.<String[]>of(stanza("a", "b")));
    Path file = cache.file(SHA);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertEquals(Optional.empty(), cache.load(SHA));
    assertFalse(Files.exists(file));
    Files.write(file, new byte[] {1, 2, 3}); // truncated or foreign
    assertEquals(Optional.empty(), cache.load(SHA));
  }

  @Test
  void aKeptIndexFileLoadsBackOnlyWhileItMatchesItsHashAndSize(@TempDir Path dir) throws Exception {
    IndexCache cache = new IndexCache(dir);
    byte[] data = "Package: a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha = Sha256.of(data);
    assertTrue(cache.loadFile(sha, data.length).isEmpty());
    cache.storeFile(sha, data);
    assertArrayEquals(data, cache.loadFile(sha, data.length).orElseThrow());
    assertTrue(cache.loadFile(sha, data.length + 1).isEmpty(), "another size is another file");
    assertFalse(Files.exists(dir.resolve(sha + ".raw")), "and the kept one is dropped");
    cache.storeFile(sha, data);
    Files.write(
        dir.resolve(sha + ".raw"),
        "Package: b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(cache.loadFile(sha, data.length).isEmpty(), "a changed file is a miss");
    assertFalse(Files.exists(dir.resolve(sha + ".raw")));
  }

  @Test
  void rejectsAKeyThatIsNotASha256(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new IndexCache(dir).load("../../etc/passwd"));
    assertEquals(
        "invalid SHA256 '../../etc/passwd' (expected 64 lower-case hex digits)", e.getMessage());
  }
}
