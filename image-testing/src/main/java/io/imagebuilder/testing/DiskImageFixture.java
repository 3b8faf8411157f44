package io.imagebuilder.testing;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.testing.internal.DeferredSkip;
import io.imagebuilder.testing.internal.FixturePreparation;
import io.imagebuilder.testing.internal.FixtureSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A board's disk image as a fixture for JUnit 5 tests that check the image itself (its partitions,
 * its files, their own boots of it): built like an {@link ImageFixture}, once per test run for
 * every class and forked JVM that declares the same image, and reused across runs from the stage
 * cache while nothing it was built from has changed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DiskImageFixture PC =
 *     DiskImageFixture.of(ImageBuilder.forSeries("bookworm").forBoard("pc-amd64"));
 *
 * @Test
 * void hasAnEfiPartition() throws Exception {
 *   Path image = PC.diskImage();
 *   ...
 * }
 * }</pre>
 *
 * <p>Unlike {@link BootedFixture} it adds nothing to the description and boots nothing. The disk
 * image is shared by every test that declares it: copy it before writing to it. A host that cannot
 * build the image skips the class's tests with the reason (or fails them with {@code
 * imagebuilder.testing.failInsteadOfSkip=true}); the same system properties as {@link ImageFixture}
 * apply.
 */
public final class DiskImageFixture implements BeforeAllCallback, BeforeEachCallback {
  private final ImageBuilder image;
  private final DeferredSkip skip = new DeferredSkip();
  private volatile FixturePreparation.PreparedDisk prepared;

  private DiskImageFixture(ImageBuilder image) {
    this.image = image;
  }

  /**
   * A fixture of the disk image {@code image} describes.
   *
   * @param image what to build: a description with a board, e.g. {@code
   *     ImageBuilder.forSeries("bookworm").forBoard("pc-amd64")}; read when the class starts, do
   *     not change it afterwards
   * @return the fixture, to register with {@code @RegisterExtension} on a static field
   * @throws IllegalArgumentException when {@code image} is null or names no board
   */
  public static DiskImageFixture of(ImageBuilder image) {
    if (image == null) {
      throw new IllegalArgumentException("invalid image 'null' (expected an ImageBuilder)");
    }
    if (image.spec().board() == null) {
      throw new IllegalArgumentException(
          "invalid disk image fixture of "
              + image.spec().series()
              + ": no board (expected a description with forBoard(...), e.g."
              + " forBoard(\"pc-amd64\"))");
    }
    return new DiskImageFixture(image);
  }

  /**
   * Builds the disk image, or reuses this run's or the stage cache's.
   *
   * @param context the test class's context
   * @throws Exception when the build fails; a host that cannot build aborts the tests
   */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (prepared == null) {
      skip.run(
          () ->
              prepared =
                  FixturePreparation.prepareDisk(image, FixtureSettings.fromSystemProperties()));
    }
  }

  /**
   * Skips the test, with the reason, when the host could not build the image.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    skip.check();
  }

  /** {@return the disk image (raw if the build wrote one, else qcow2), shared: do not write it} */
  public Path diskImage() {
    return ready().disk();
  }

  /** {@return the disk image's sha256, as the build reported it} */
  public String diskSha256() {
    return ready().sha256();
  }

  /** {@return the build's result; {@link BuildResult#fromCache()} says it came from the cache} */
  public BuildResult result() {
    return ready().result();
  }

  /** {@return how long this JVM spent making the fixture ready, not counting lock waits} */
  public Duration preparationTime() {
    return ready().elapsed();
  }

  /**
   * The fixture directory's {@code builds.log}: a line per JVM that made it ready.
   *
   * @return its lines
   * @throws IOException when it cannot be read
   */
  public List<String> buildLog() throws IOException {
    return ready().store().buildLog();
  }

  private FixturePreparation.PreparedDisk ready() {
    FixturePreparation.PreparedDisk p = prepared;
    if (p == null) {
      throw new IllegalStateException(
          "the disk image fixture is not ready: register it with @RegisterExtension on a static"
              + " field");
    }
    return p;
  }

  @Override
  public String toString() {
    FixturePreparation.PreparedDisk p = prepared;
    return "DiskImageFixture["
        + (p == null
            ? image.spec().series() + " on " + image.spec().board() + ", not ready"
            : p.disk())
        + "]";
  }
}
