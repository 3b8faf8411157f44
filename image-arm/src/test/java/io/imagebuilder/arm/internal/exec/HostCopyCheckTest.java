package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCopyCheckTest {
  @TempDir Path root;
  @TempDir Path helpers;

  private HostCopyCheck check() throws Exception {
    Path cp = Files.write(helpers.resolve("cp"), "host cp bytes".getBytes());
    return new HostCopyCheck(List.of(cp));
  }

  @Test
  void aNewCopyOfAHelperIsNamedWithTheWayOut() throws Exception {
    HostCopyCheck check = check();
    FileTime start = FileTime.from(Instant.now().minusSeconds(5));
    Files.createDirectories(root.resolve("usr/lib/initramfs"));
    Files.write(root.resolve("usr/lib/initramfs/cp"), "host cp bytes".getBytes());
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> check.check(root, start));
    assertEquals(
        "/usr/lib/initramfs/cp is a copy of the host's cp, made by a command run with native helpers"
            + " (build again with -Dimagebuilder.nativeHelpers=false)",
        e.getMessage());
  }

  @Test
  void otherBytesOlderFilesAndRunAreLeftAlone() throws Exception {
    HostCopyCheck check = check();
    FileTime start = FileTime.from(Instant.now().minusSeconds(5));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.write(root.resolve("usr/bin/same-size"), "host cp BYTES".getBytes());
    Files.createDirectories(root.resolve("run/ib-native/bin"));
    Files.write(root.resolve("run/ib-native/bin/cp"), "host cp bytes".getBytes());
    assertDoesNotThrow(() -> check.check(root, start));

    Files.write(root.resolve("usr/bin/cp-old"), "host cp bytes".getBytes());
    assertDoesNotThrow(
        () -> check.check(root, FileTime.from(Instant.now().plusSeconds(60))),
        "a file unchanged since the command started was there before it");
  }
}
