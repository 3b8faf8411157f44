package io.imagebuilder.testing;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.testing.internal.DeferredSkip;
import io.imagebuilder.testing.internal.FixturePreparation;
import io.imagebuilder.testing.internal.FixtureSettings;
import io.imagebuilder.testing.internal.FreshCopies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fixture image for JUnit 5 tests, declared in one line from an {@link ImageBuilder}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ImageFixture HELLO = ImageFixture.of(ImageBuilder.forSeries("bookworm").withPackages("hello"));
 *
 * @Test
 * void greets() throws Exception {
 *   assertEquals("Hello, world!\n", HELLO.exec("hello").stdout());
 * }
 * }</pre>
 *
 * <p>Before the class's first test the fixture is made ready: once per JVM, and once per test run
 * for every class and forked JVM that declares the same image (the same plan id). The JVMs of a run
 * share a run directory ({@code target/imagebuilder-fixtures}); a fixture's directory there, named
 * by its plan id, is locked while one JVM builds it, and the others wait, then reuse it. Across
 * runs the build comes from the library's stage cache: while the last build is younger than the
 * maximum age (a day by default) and every package its lock pins is still in the package cache (so
 * it could be made again exactly, offline), it is reused without asking the archive anything, even
 * after the archive moved on; after that, while every input it resolved (the archive's InRelease,
 * ...) is unchanged. An unchanged fixture is ready in about a second; its tarball is unpacked (with
 * the library's safe extraction) only when it differs from the tree already in the run directory.
 *
 * <p>A host that cannot build or run the fixture skips the class's tests with the reason (a JUnit
 * assumption): no execution strategy whose preflight passes for this user (not root and no rootless
 * strategy; a foreign architecture without a working qemu-user interpreter), or no connection to
 * the archive. A build that fails on a host that can build is a test error.
 *
 * <p>System properties:
 *
 * <ul>
 *   <li>{@code imagebuilder.testing.runDir}: the run directory (default {@code
 *       target/imagebuilder-fixtures} under the working directory);
 *   <li>{@code imagebuilder.testing.cacheDir}: the library's cache (default the user's, {@code
 *       ~/.cache/imagebuilder});
 *   <li>{@code imagebuilder.testing.refresh=true}: build every fixture again, not from the stage
 *       cache;
 *   <li>{@code imagebuilder.testing.failInsteadOfSkip=true}: a host that cannot build fails the
 *       tests instead of skipping them (for CI);
 *   <li>{@code imagebuilder.testing.lockTimeout}: how long a JVM waits for another that builds the
 *       same fixture (ISO-8601, default {@code PT1H});
 *   <li>{@code imagebuilder.testing.maxAge}: how long a fixture whose lock is at hand is reused
 *       without asking the archive (ISO-8601, default {@code P1D}; {@code PT0S} always asks);
 *   <li>{@code imagebuilder.testing.runId}: a name of the test run that each {@code builds.log}
 *       line carries (e.g. Maven's build timestamp), to tell runs apart in a kept run directory.
 * </ul>
 *
 * <p>Each fixture directory keeps {@code builds.log}, a line per JVM that made it ready, saying
 * whether it built or reused the image and how long that took.
 */
public final class ImageFixture
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private final ImageBuilder image;
  private final FreshCopies copies = new FreshCopies();
  private volatile FixturePreparation.Prepared prepared;
  private final DeferredSkip skip = new DeferredSkip();
  private volatile FixtureSettings settings;

  private ImageFixture(ImageBuilder image) {
    this.image = image;
  }

  /**
   * A fixture of the image {@code image} describes. The builder is read when the fixture is made
   * ready; do not change it afterwards.
   *
   * @param image what the fixture is, e.g. {@code
   *     ImageBuilder.forSeries("bookworm").withPackages("hello")}
   * @return the fixture, to register with {@code @RegisterExtension}
   */
  public static ImageFixture of(ImageBuilder image) {
    if (image == null) {
      throw new IllegalArgumentException("invalid image 'null' (expected an ImageBuilder)");
    }
    return new ImageFixture(image);
  }

  /**
   * Makes the fixture ready before the class's tests (built, or reused).
   *
   * @param context the test class's context
   * @throws Exception when the build fails; a host that cannot build aborts the tests instead
   */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    skip.run(this::ready);
  }

  /**
   * Makes the fixture ready if it is a per-test field rather than a static one.
   *
   * @param context the test's context
   * @throws Exception when the build fails
   */
  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    skip.check();
    ready();
  }

  /**
   * Deletes the fresh copies the test took.
   *
   * @param context the test's context
   * @throws Exception when a copy cannot be deleted
   */
  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    copies.deleteAll();
  }

  /**
   * Deletes the fresh copies taken outside a test (in {@code @BeforeAll}).
   *
   * @param context the test class's context
   * @throws Exception when a copy cannot be deleted
   */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    copies.deleteAll();
  }

  private void ready() throws ImageBuildException, IOException, InterruptedException {
    if (prepared == null) {
      synchronized (this) {
        if (prepared == null) {
          FixtureSettings read = FixtureSettings.fromSystemProperties();
          prepared = FixturePreparation.prepare(image, read);
          settings = read;
        }
      }
    }
  }

  private FixturePreparation.Prepared prepared() {
    FixturePreparation.Prepared p = prepared;
    if (p == null) {
      throw new IllegalStateException(
          "the fixture is not ready: register it with @RegisterExtension"
              + " (static final for the whole class) and use it from a test or @BeforeEach");
    }
    return p;
  }

  /**
   * The shared rootfs, unpacked once for the whole run. Read-only by convention: every test and
   * class that declares the same image sees it; a test that changes the image takes {@link
   * #freshRoot()}.
   *
   * @return the shared root
   */
  public FixtureRoot root() {
    FixturePreparation.Prepared p = prepared();
    return new FixtureRoot(
        p.rootfs(), p.result().spec().architecture(), p.strategy(), settings.lockTimeout());
  }

  /**
   * A copy of the rootfs of this test's own (reflinked where the filesystem can, else copied),
   * deleted when the test ends.
   *
   * @return the copy
   * @throws IOException when it cannot be copied
   * @throws InterruptedException when interrupted while copying
   */
  public FixtureRoot freshRoot() throws IOException, InterruptedException {
    FixturePreparation.Prepared p = prepared();
    return new FixtureRoot(
        copies.copyOf(p, settings.lockTimeout()),
        p.result().spec().architecture(),
        p.strategy(),
        settings.lockTimeout());
  }

  /**
   * Runs {@code argv} inside the shared root: {@code root().exec(argv)}.
   *
   * @param argv the program and its arguments
   * @return the exit code, stdout and stderr
   * @throws ImageBuildException when the command cannot be started or times out
   * @throws IOException when the root cannot be read or written
   * @throws InterruptedException when interrupted
   */
  public ExecResult exec(String... argv)
      throws ImageBuildException, IOException, InterruptedException {
    return root().exec(argv);
  }

  /**
   * The image's file at {@code imagePath} as UTF-8 text: {@code root().readString(imagePath)}.
   *
   * @param imagePath an absolute path in the image
   * @return its content
   * @throws IOException when it is missing or not a regular file
   */
  public String readString(String imagePath) throws IOException {
    return root().readString(imagePath);
  }

  /**
   * Copies the image's file at {@code imagePath} to {@code hostTarget}: {@code
   * root().copyFromImage(imagePath, hostTarget)}.
   *
   * @param imagePath an absolute path in the image
   * @param hostTarget a file on the host
   * @throws IOException when it is missing or cannot be written
   */
  public void copyFromImage(String imagePath, Path hostTarget) throws IOException {
    root().copyFromImage(imagePath, hostTarget);
  }

  /** {@return the fixture's rootfs tarball, as the library built it} */
  public Path tarball() {
    return prepared().tarball();
  }

  /**
   * {@return the build's result; {@link BuildResult#fromCache()} says it came from the stage cache}
   */
  public BuildResult result() {
    return prepared().result();
  }

  /**
   * {@return how long this JVM spent making the fixture ready (build or reuse, unpack), not
   * counting the wait for another JVM building it}
   */
  public Duration preparationTime() {
    return prepared().elapsed();
  }

  /** {@return the fixture's directory in the run directory, named by its plan id} */
  public Path directory() {
    return prepared().store().dir();
  }

  /**
   * {@return the lines of the fixture's {@code builds.log}: one per JVM that made it ready in this
   * run directory, saying "built" or "reused"}
   *
   * @throws IOException when the log cannot be read
   */
  public List<String> buildLog() throws IOException {
    return prepared().store().buildLog();
  }

  @Override
  public String toString() {
    FixturePreparation.Prepared p = prepared;
    return "ImageFixture["
        + (p == null ? image.spec().series() + ", not ready" : p.description() + ", " + p.rootfs())
        + "]";
  }
}
