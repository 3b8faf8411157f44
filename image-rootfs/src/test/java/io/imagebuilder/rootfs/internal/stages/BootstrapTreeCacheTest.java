package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.rootfs.internal.deb.Ownership;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.rootfs.internal.tar.RootfsTarball;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTreeCacheTest {
  private static final long EPOCH = 1_700_000_000L;

  @TempDir Path tmp;

  private Path tree(String name) throws Exception {
    Path root = Files.createDirectories(tmp.resolve(name));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Path tool = Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\necho hi\n");
    chmod("4755", tool);
    Files.createLink(root.resolve("usr/bin/tool2"), tool);
    Path var = Files.createDirectories(root.resolve("var/mail"));
    chmod("2775", var);
    Files.writeString(root.resolve("etc-file"), "x");
    return root;
  }

  private static void chmod(String mode, Path p) throws Exception {
    assertEquals(0, new ProcessBuilder("chmod", mode, p.toString()).inheritIO().start().waitFor());
  }

  private byte[] tarOf(Path root, String name) throws Exception {
    Path out = tmp.resolve(name + ".tar");
    RootfsTarball.write(root, out, OutputFormat.TAR, EPOCH);
    return Files.readAllBytes(out);
  }

  @Test
  void aRestoredTreeIsTheStoredTree() throws Exception {
    Path original = tree("original");
    BootstrapTreeCache cache = new BootstrapTreeCache(tmp.resolve("trees"));
    String key = BootstrapTreeCache.key(List.of("package a 1 amd64 " + "ab".repeat(32)));
    Path restored = Files.createDirectories(tmp.resolve("restored"));
    assertFalse(cache.restore(key, restored, Ownership.forRoot(restored)), "nothing stored yet");
    cache.store(key, original, EPOCH);
    assertTrue(cache.restore(key, restored, Ownership.forRoot(restored)));
    assertArrayEquals(tarOf(original, "a"), tarOf(restored, "b"));
    assertTrue(Files.isSymbolicLink(restored.resolve("bin")));
    assertEquals(Files.getAttribute(restored.resolve("usr/bin/tool"), "unix:ino"),
        Files.getAttribute(restored.resolve("usr/bin/tool2"), "unix:ino"));
  }

  @Test
  void aDamagedTreeIsNotUsedAndIsDeleted() throws Exception {
    BootstrapTreeCache cache = new BootstrapTreeCache(tmp.resolve("trees"));
    String key = BootstrapTreeCache.key(List.of("x"));
    cache.store(key, tree("original"), EPOCH);
    Path file = cache.tree(key);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 5] ^= 1;
    Files.write(file, bytes);
    assertFalse(cache.restore(key, Files.createDirectories(tmp.resolve("restored")), Ownership.forRoot(tmp)));
    assertFalse(Files.exists(file));
  }

  @Test
  void theKeyDependsOnEveryInput() {
    String a = BootstrapTreeCache.key(List.of("architecture amd64", "package a 1 amd64 00"));
    assertEquals(a, BootstrapTreeCache.key(List.of("architecture amd64", "package a 1 amd64 00")));
    assertNotEquals(a, BootstrapTreeCache.key(List.of("architecture arm64", "package a 1 amd64 00")));
    assertNotEquals(a, BootstrapTreeCache.key(List.of("architecture amd64", "package a 1 amd64 01")));
    assertNotEquals(a, BootstrapTreeCache.key(List.of("architecture amd64package a 1 amd64 00")));
    assertThrows(IllegalArgumentException.class, () -> BootstrapTreeCache.key(List.of("a\nb")));
  }
}
