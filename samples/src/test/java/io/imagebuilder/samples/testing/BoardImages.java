package io.imagebuilder.samples.testing;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.testing.DiskImageFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The board disk images the samples' ITs check, declared as image-testing fixtures: every IT class
 * that declares the same board, series and packages shares one build per run (a kernel installed
 * under qemu-user spends minutes in initramfs generation), and all of them build in one cache (the
 * pom's {@code imagebuilder.testing.cacheDir}, its packages linked to the run's shared package
 * cache), so boards of one series and architecture bootstrap once. An image with openssh-server
 * also gets the account {@link SshLogin#USER} holding the run's public key, so the boot checks can
 * log in over the network.
 */
public final class BoardImages {
  /**
   * The board whose build also rebuilds its initramfs fully emulated ({@link
   * EmulatedInitramfsCheck}), to prove the native helpers change nothing (about a minute, so one
   * board only).
   */
  public static final String INITRAMFS_CHECKED_BOARD = "qemu-arm64";

  private BoardImages() {}

  /**
   * The fixture of this board's raw disk image.
   *
   * @param board a board id, e.g. pc-amd64
   * @param series e.g. bookworm
   * @param packages packages added to the board's own
   * @return the fixture, to register with {@code @RegisterExtension} on a static field
   */
  public static DiskImageFixture of(String board, String series, String... packages) {
    linkSharedPackages();
    return DiskImageFixture.of(builder(board, series, packages));
  }

  /** The description {@link #of} builds: for a test that builds the same image another way. */
  public static ImageBuilder builder(String board, String series, String... packages) {
    ImageBuilder builder = ImageBuilder.forSeries(series).forBoard(board).withPackages(packages);
    if (List.of(packages).contains("openssh-server")) {
      builder.withUser(
          new UserAccount(SshLogin.USER, List.of(), false, null, List.of(publicKey())));
    }
    if (board.equals(INITRAMFS_CHECKED_BOARD)) {
      builder.withPlanTransform(
          plan -> plan.insertAfter("board.boot", new EmulatedInitramfsCheck()));
    }
    return builder;
  }

  /** The fixtures' cache, for tests that read its index. */
  public static Path cacheDir() {
    String dir = System.getProperty("imagebuilder.testing.cacheDir");
    if (dir == null) {
      throw new IllegalStateException(
          "imagebuilder.testing.cacheDir is not set (expected the pom's failsafe configuration)");
    }
    return Path.of(dir).toAbsolutePath();
  }

  private static String publicKey() {
    try {
      return SshLogin.publicKey();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the SSH key", e);
    }
  }

  /** Links the fixtures' package cache to the run's shared one, once. */
  private static synchronized void linkSharedPackages() {
    try {
      Path packages = Files.createDirectories(ItBuilds.sharedCache().resolve("packages"));
      Path cache = Files.createDirectories(cacheDir());
      Files.createSymbolicLink(cache.resolve("packages"), packages);
    } catch (FileAlreadyExistsException e) {
      // linked by an earlier declaration
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
