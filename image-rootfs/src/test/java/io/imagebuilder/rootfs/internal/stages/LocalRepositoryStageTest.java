package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryStageTest {
  @TempDir Path temp;

  @Test
  void aDebByUrlIsDownloadedCheckedAndServedFromTheSideRepository() throws Exception {
    Path served = Files.createDirectories(temp.resolve("served"));
    Path deb = Debs.build(served, "tool", "1.0", "amd64", Map.of("/usr/share/tool/readme", "hi\n"));
    String sha = BaseImageStage.sha256Of(deb, "deb");
    try (DirectoryServer server = DirectoryServer.serve(served, "/pool")) {
      String url = server.uri() + "/" + deb.getFileName();
      ImageSpec spec =
          ImageSpec.builder("bookworm")
              .architecture(Architecture.AMD64)
              .addLocalPackage(new LocalPackage(url, sha))
              .build();
      Path root = Files.createDirectories(temp.resolve("root"));
      TestStageContext context = new TestStageContext(spec, root, temp);
      LocalRepositoryStage stage = new LocalRepositoryStage(LocalRepositoryStage.Options.of(spec));

      stage.verify(context); // nothing to check on the host for a URL
      stage.run(context);

      Path repo = root.resolve(LocalRepositoryStage.DIR.substring(1));
      try (Stream<Path> files = Files.walk(repo)) {
        assertTrue(
            files.anyMatch(p -> p.getFileName().toString().endsWith(".deb")),
            "the .deb is in the side repository");
      }
      assertTrue(
          Files.isRegularFile(temp.resolve("cache/packages/" + sha)),
          "kept in the package cache by its sha256");

      String other = "d".repeat(64);
      ImageSpec wrong =
          ImageSpec.builder("bookworm")
              .architecture(Architecture.AMD64)
              .addLocalPackage(new LocalPackage(url, other))
              .build();
      Path root2 = Files.createDirectories(temp.resolve("root2"));
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () ->
                  new LocalRepositoryStage(LocalRepositoryStage.Options.of(wrong))
                      .run(new TestStageContext(wrong, root2, temp)));
      assertEquals(
          "sha256 mismatch for " + url + ": expected " + other + ", got " + sha, e.getMessage());
    }
  }

  @Test
  void aHostileLocalDebFailsTheStageBeforeAnythingIsWrittenIntoTheImage() throws Exception {
    Path deb =
        Debs.rawDeb(
            temp.resolve("evil_1.0_amd64.deb"),
            "evil",
            List.of(Entry.dir("./"), Entry.file("./../../../../tmp/evil-marker", "pwned")));
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .addLocalPackage(new LocalPackage(deb.toString(), BaseImageStage.sha256Of(deb, "deb")))
            .build();
    Path root = Files.createDirectories(temp.resolve("root"));

    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () ->
                new LocalRepositoryStage(LocalRepositoryStage.Options.of(spec))
                    .run(new TestStageContext(spec, root, temp)));

    assertEquals("evil", e.packageName());
    assertEquals("1.0", e.version());
    assertEquals("./../../../../tmp/evil-marker", e.entry());
    try (Stream<Path> files = Files.list(root)) {
      assertEquals(List.of(), files.toList(), "no repository, key or source written");
    }
  }
}
