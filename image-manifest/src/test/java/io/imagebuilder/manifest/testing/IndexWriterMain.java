package io.imagebuilder.manifest.testing;

import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by the concurrency test: records {@code count} builds into the index at {@code
 * args[0]}, each with an artifact named after {@code args[1]} and its number.
 */
public final class IndexWriterMain {
  private IndexWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path index = Path.of(args[0]);
    String writer = args[1];
    int count = Integer.parseInt(args[2]);
    Path temp = Files.createTempDirectory("rootfs-" + writer);
    try {
      write(index, writer, count, Fixtures.rootfs(temp), Path.of(args[3]));
    } finally {
      SafeDelete.deleteTree(temp);
    }
  }

  private static void write(Path index, String writer, int count, Path root, Path go)
      throws Exception {
    // Wait for the go signal so both JVMs start writing at the same moment.
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    for (int i = 0; i < count; i++) {
      // A new connection each time as well: opening races with the other JVM's writes too.
      try (ImageIndex ix = ImageIndex.open(index)) {
        Manifest m =
            Fixtures.manifest(
                root, Fixtures.spec(), writer + "-" + i + ".tar.zst", writer + "/" + i);
        ix.record(m);
      }
    }
  }
}
