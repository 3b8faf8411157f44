package io.imagebuilder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bookworm fixture with {@code hello}: exec inside it, files read and copied, fresh copies.
 */
class HelloFixtureIT {
  static {
    ItCache.linkSharedPackages();
  }

  @RegisterExtension
  static final ImageFixture HELLO =
      ImageFixture.of(ImageBuilder.forSeries("bookworm").withPackages("hello"));

  @BeforeAll
  static void timing() {
    System.out.printf(
        "fixture %s: %s in %.1f s%n",
        HELLO.directory().getFileName(),
        HELLO.result().fromCache() ? "reused from the stage cache" : "built",
        HELLO.preparationTime().toMillis() / 1000.0);
  }

  @Test
  void helloGreetsTheWorld() throws Exception {
    ExecResult r = HELLO.exec("hello");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("Hello, world!\n", r.stdout());
    assertEquals("", r.stderr());
  }

  @Test
  void stdoutStderrAndTheExitCodeComeBackApart() throws Exception {
    ExecResult r = HELLO.exec("sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());

    ExecResult missing = HELLO.exec("no-such-tool");
    assertEquals(127, missing.exitCode());
    assertTrue(missing.stderr().contains("no-such-tool"), missing.stderr());
  }

  @Test
  void filesAreReadAndCopiedOutAsTheImageSeesThem(@TempDir Path dir) throws Exception {
    assertTrue(HELLO.readString("/etc/os-release").contains("VERSION_CODENAME=bookworm"));
    Path hello = dir.resolve("hello");
    // /bin is a link to usr/bin in a merged-/usr image: followed inside the image
    HELLO.copyFromImage("/bin/hello", hello);
    assertTrue(Files.size(hello) > 10_000, "the hello binary, " + Files.size(hello) + " bytes");
    assertTrue(
        HELLO.tarball().getFileName().toString().contains(".tar"), HELLO.tarball().toString());
  }

  @Test
  void aFreshRootIsTheTestsOwnAndGoneAfterIt(@TempDir Path dir) throws Exception {
    FixtureRoot mine = HELLO.freshRoot();
    Path motd = Files.writeString(dir.resolve("motd"), "changed by a test\n");
    mine.copyIntoImage(motd, "/etc/motd");
    assertEquals("changed by a test\n", mine.exec("cat", "/etc/motd").stdout());
    assertFalse(
        HELLO.readString("/etc/motd").contains("changed by a test"),
        "the shared root is unchanged");
    assertEquals("Hello, world!\n", mine.exec("hello").stdout());
    assertFalse(mine.path().equals(HELLO.root().path()));
  }
}
