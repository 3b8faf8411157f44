package io.imagebuilder.rootfs.internal.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDateEpochClampTest {
  @TempDir Path tmp;

  @Test
  void clampsNewerMtimesIncludingSymlinksThemselves() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path newer = Files.writeString(root.resolve("new"), "n");
    Path older = Files.writeString(root.resolve("old"), "o");
    Files.setLastModifiedTime(older, FileTime.from(100, TimeUnit.SECONDS));
    Path link = Files.createSymbolicLink(root.resolve("link"), Path.of("old"));
    Path sub = Files.createDirectories(root.resolve("sub"));

    long changed = SourceDateEpochClamp.clamp(root, 5000);

    assertEquals(4, changed); // root, sub, new, link
    assertEquals(5000, seconds(newer));
    assertEquals(5000, seconds(sub));
    assertEquals(5000, seconds(root));
    assertEquals(
        5000, Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS));
    assertEquals(100, seconds(older)); // the symlink's target was not touched
  }

  private static long seconds(Path p) throws Exception {
    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS);
  }
}
