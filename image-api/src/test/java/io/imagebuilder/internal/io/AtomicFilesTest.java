package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path temp;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(temp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheFileAndLeavesNoTemporary() throws Exception {
    Path target = temp.resolve("a.tar.zst");
    AtomicFiles.writeString(target, "one");
    AtomicFiles.writeString(target, "two");
    assertEquals("two", Files.readString(target));
    assertEquals(List.of("a.tar.zst"), names());
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndRemovesItsTemporary() throws Exception {
    Path target = Files.writeString(temp.resolve("a.img"), "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half".getBytes());
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("a.img"), names());
  }

  @Test
  void newFilesGetTheUsualPermissionsNotPrivateOnes() throws Exception {
    Path target = temp.resolve("a.img");
    AtomicFiles.writeString(target, "x");
    Path plain = Files.writeString(temp.resolve("plain"), "x");
    assertEquals(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void concurrentWritersOfOneTargetNeverMixTheirBytes() throws Exception {
    Path target = temp.resolve("a.tar");
    int writers = 4;
    byte[][] contents = new byte[writers][];
    for (int i = 0; i < writers; i++) {
      contents[i] = new byte[256 * 1024];
      Arrays.fill(contents[i], (byte) ('a' + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 10; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          byte[] mine = contents[i];
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    AtomicFiles.write(
                        target,
                        out -> {
                          for (int off = 0; off < mine.length; off += 4096) {
                            out.write(mine, off, 4096);
                            Thread.yield();
                          }
                        });
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
        byte[] result = Files.readAllBytes(target);
        assertTrue(
            Arrays.stream(contents).anyMatch(c -> Arrays.equals(c, result)),
            "round " + round + ": the file is not one writer's whole output");
        assertEquals(List.of("a.tar"), names());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void leftoversOfDeadWritersAreDeletedButNothingElse() throws Exception {
    Path left = AtomicFiles.createTemporary(temp.resolve("a.img"));
    Files.writeString(temp.resolve("a.img"), "done");
    Files.writeString(temp.resolve("notes.part"), "not a temporary of ours");
    assertEquals(1, AtomicFiles.deleteLeftovers(temp));
    assertTrue(Files.notExists(left));
    assertEquals(List.of("a.img", "notes.part"), names());
  }

  @Test
  void temporaryNamesStayWithinTheFileNameLimit() {
    String name = AtomicFiles.temporaryName("x".repeat(255));
    assertTrue(name.length() <= 255, name.length() + " characters");
    assertTrue(AtomicFiles.isTemporary(name));
    assertArrayEquals(
        new boolean[] {false, true},
        new boolean[] {AtomicFiles.isTemporary("a.part"), AtomicFiles.isTemporary(".a.1234.part")});
  }
}
