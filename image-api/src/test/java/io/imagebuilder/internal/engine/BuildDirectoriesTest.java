package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildDirectoriesTest {
  @TempDir Path temp;

  private final List<Path> cleaned = new ArrayList<>();

  private BuildDirectories open(Path out) throws ImageBuildException {
    return BuildDirectories.open(out, temp.resolve("cache"), null, cleaned::add);
  }

  private static void assertRefused(String message, Path out, Path cache) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BuildDirectories.open(out, cache, null, p -> {}));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void aSecondBuildIntoTheSameOutputDirectoryFailsAtTheStart() throws Exception {
    Path out = temp.resolve("out");
    try (BuildDirectories first = open(out)) {
      ImageBuildException e = assertThrows(ImageBuildException.class, () -> open(out));
      assertEquals(
          "the output directory "
              + out
              + " is in use by another build (this process (pid "
              + ProcessHandle.current().pid()
              + ") holds "
              + out.resolve(".imagebuilder.lock")
              + "); wait for it to end or choose another directory",
          e.getMessage());
    }
    open(out).close(); // free again once the first build is over
  }

  @Test
  void eachBuildGetsAFreshLockedWorkDirectoryAfterTheStaleOnesAreCleared() throws Exception {
    Path stale = Files.createDirectories(temp.resolve("cache/work/dead-build/rootfs"));
    try (BuildDirectories a = open(temp.resolve("a"));
        BuildDirectories b = open(temp.resolve("b"))) {
      assertEquals(
          List.of(temp.resolve("cache/work"), temp.resolve("cache/work")),
          cleaned,
          "the executor's cleaner ran");
      assertTrue(Files.notExists(stale), "the dead build's work directory is gone");
      assertTrue(Files.isDirectory(a.workDir()) && Files.isDirectory(b.workDir()));
      assertTrue(!a.workDir().equals(b.workDir()));
      assertTrue(Files.exists(a.workDir().resolveSibling(a.workDir().getFileName() + ".lock")));
    }
    assertTrue(Files.exists(temp.resolve("cache/CACHEDIR.TAG")));
  }

  @Test
  void temporaryFilesOfADeadBuildAreRemovedFromTheOutputDirectory() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out/logs"));
    Path part = AtomicFiles.createTemporary(temp.resolve("out/debian.tar.zst"));
    Path logPart = AtomicFiles.createTemporary(out.resolve("01-rootfs.bootstrap.log"));
    open(temp.resolve("out")).close();
    assertTrue(Files.notExists(part) && Files.notExists(logPart));
  }

  @Test
  void refusesTheRootHostDirectoriesFilesAndForeignDirectories() throws Exception {
    Path cache = temp.resolve("cache");
    assertRefused("invalid output directory '/' (a host system directory", Path.of("/"), cache);
    assertRefused(
        "invalid output directory '/etc' (a host system directory", Path.of("/etc"), cache);
    assertRefused(
        "invalid output directory '/etc/logs' (inside the host system directory /etc",
        Path.of("/etc/logs"),
        cache);
    assertRefused(
        "invalid cache directory '/' (a host system directory", temp.resolve("out"), Path.of("/"));
    assertRefused(
        "invalid cache directory '/var' (a host system directory",
        temp.resolve("out"),
        Path.of("/var"));

    Path file = Files.writeString(temp.resolve("image.tar"), "not a directory");
    assertRefused("invalid output directory '" + file + "' (a file, not a directory", file, cache);
    assertRefused(
        "invalid output directory '" + file.resolve("sub") + "' (" + file + " is a file",
        file.resolve("sub"),
        cache);

    Path foreign = Files.createDirectories(temp.resolve("documents"));
    Files.writeString(foreign.resolve("thesis.odt"), "precious");
    assertRefused(
        "invalid output directory '"
            + foreign
            + "' (not empty and not ImageBuilder's: it holds 'thesis.odt'",
        foreign,
        cache);
    assertRefused(
        "invalid cache directory '"
            + foreign
            + "' (not empty and not ImageBuilder's: it holds 'thesis.odt'",
        temp.resolve("out"),
        foreign);
    assertEquals("precious", Files.readString(foreign.resolve("thesis.odt")));
  }

  @Test
  void acceptsDirectoriesEarlierBuildsWrote() throws Exception {
    Path old = Files.createDirectories(temp.resolve("old/logs"));
    Files.writeString(temp.resolve("old/debian-bookworm-amd64.tar.zst"), "x");
    Files.writeString(temp.resolve("old/debian-bookworm-amd64.manifest.json"), "{}");
    Path oldCache = Files.createDirectories(temp.resolve("old-cache/packages"));
    Files.createDirectories(temp.resolve("old-cache/results"));
    Files.writeString(temp.resolve("old-cache/index.db"), "");
    BuildDirectories.open(old.getParent(), oldCache.getParent(), null, p -> {}).close();

    // After one build the marker makes it ImageBuilder's, whatever else a user put beside it.
    Files.writeString(temp.resolve("old/README.txt"), "notes");
    BuildDirectories.open(old.getParent(), oldCache.getParent(), null, p -> {}).close();
  }
}
