package io.imagebuilder.testing;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.testing.internal.DeferredSkip;
import io.imagebuilder.testing.internal.FixtureKey;
import io.imagebuilder.testing.internal.FixturePreparation;
import io.imagebuilder.testing.internal.FixtureSettings;
import io.imagebuilder.testing.internal.GuestSsh;
import io.imagebuilder.testing.internal.GuestVm;
import io.imagebuilder.testing.internal.Skips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A booted fixture for JUnit 5 tests: a board's disk image, built like an {@link ImageFixture}
 * (once per test run, reused across runs from the stage cache), booted in qemu before the class's
 * first test and stopped after its last, with commands and files over SSH:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BootedFixture VM =
 *     BootedFixture.of(ImageBuilder.forSeries("bookworm").forBoard("pc-amd64"));
 *
 * @Test
 * void runsX86() throws Exception {
 *   assertEquals("x86_64\n", VM.exec("uname", "-m").stdout());
 * }
 * }</pre>
 *
 * <p>The fixture adds to the description it is given the package openssh-server and the account
 * {@value #USER} holding the run's SSH key (kept in the run directory, so the image, and its plan,
 * stay the same from run to run), which may use sudo without a password (a test image's account,
 * {@value #SUDOERS}). Commands run as that account; {@link #execAsRoot} runs them through sudo. The
 * guest boots in qemu's snapshot mode: what the tests change goes to a temporary overlay, and the
 * disk image stays as built (its sha256 is {@link #diskSha256()}). KVM is used when the library's
 * probe shows it runs a guest, TCG otherwise. When a test fails, the serial console's last lines go
 * to the test report (a report entry) and to standard error.
 *
 * <p>A host that cannot build the image, or has no qemu-system for the board, skips the class's
 * tests with the reason, as {@link ImageFixture} does (and fails them with {@code
 * imagebuilder.testing.failInsteadOfSkip=true}); the same system properties apply.
 */
public final class BootedFixture
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, TestWatcher {
  /** The account the fixture logs in as. */
  public static final String USER = "tester";

  /** The sudoers file that lets {@value #USER} run commands as root without a password. */
  public static final String SUDOERS = "/etc/sudoers.d/90-imagebuilder-tester";

  /** How long a boot may take until the login prompt: TCG emulation is slow. */
  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(8);

  /** How long one command over SSH may run. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

  /** The console lines a failed test's report gets. */
  private static final int CONSOLE_TAIL = 60;

  private final ImageBuilder image;
  private final Board board;
  private volatile FixturePreparation.PreparedDisk prepared;
  private volatile GuestVm vm;
  private final DeferredSkip skip = new DeferredSkip();

  /** The test classes running on the guest now: a nested class shares its enclosing class's. */
  private int classes;

  private BootedFixture(ImageBuilder image, Board board) {
    this.image = image;
    this.board = board;
  }

  /**
   * A booted fixture of the disk image {@code image} describes.
   *
   * @param image what to boot: a description with a board qemu can run, e.g. {@code
   *     ImageBuilder.forSeries("bookworm").forBoard("pc-amd64")}; read when the class starts, do
   *     not change it afterwards
   * @return the fixture, to register with {@code @RegisterExtension} on a static field
   * @throws IllegalArgumentException when {@code image} is null or names no board qemu can boot
   */
  public static BootedFixture of(ImageBuilder image) {
    if (image == null) {
      throw new IllegalArgumentException("invalid image 'null' (expected an ImageBuilder)");
    }
    String boardId = image.spec().board();
    if (boardId == null) {
      throw new IllegalArgumentException(
          "invalid booted fixture of "
              + image.spec().series()
              + ": no board (expected a description with forBoard(...), e.g."
              + " forBoard(\"pc-amd64\"))");
    }
    Board board = Boards.find(boardId);
    if (board.qemu().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid booted fixture: board '"
              + board.id()
              + "' has no qemu machine (expected a board qemu boots, e.g. pc-amd64 or qemu-arm64)");
    }
    return new BootedFixture(image, board);
  }

  /**
   * Builds (or reuses) the disk image and boots it; returns once SSH answers.
   *
   * @param context the test class's context
   * @throws Exception when the build or the boot fails; a host that cannot aborts the tests
   */
  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (classes++ > 0) {
      return; // a nested class of the one that booted it
    }
    skip.run(this::buildAndBoot);
  }

  private void buildAndBoot() throws Exception {
    FixtureSettings settings = FixtureSettings.fromSystemProperties();
    FixtureKey key = FixtureKey.in(settings.runDir(), settings.lockTimeout());
    if (!image.spec().packages().contains("openssh-server")) {
      image.withPackages("openssh-server");
    }
    if (image.spec().users().stream().noneMatch(u -> u.name().equals(USER))) {
      image.withUser(new UserAccount(USER, List.of(), true, null, List.of(key.authorizedKey())));
      image.withFile(
          FileEntry.of(
              SUDOERS,
              0440,
              (USER + " ALL=(ALL:ALL) NOPASSWD: ALL\n").getBytes(StandardCharsets.US_ASCII)));
    }
    prepared = FixturePreparation.prepareDisk(image, settings);
    try {
      vm = GuestVm.boot(prepared.disk(), board, USER, key.keyPair(), BOOT_TIMEOUT);
    } catch (MissingHostToolException e) {
      Skips.cannot(
          "booted fixture " + prepared.description() + ": " + e.getMessage(),
          settings.failInsteadOfSkip());
    }
  }

  /**
   * Skips the test, with the reason, when the host could not build or boot the image.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    skip.check();
  }

  /**
   * Stops the guest.
   *
   * @param context the test class's context
   * @throws Exception when interrupted while waiting for qemu to end
   */
  @Override
  public synchronized void afterAll(ExtensionContext context) throws Exception {
    if (--classes > 0) {
      return; // an enclosing class still runs tests on it
    }
    GuestVm running = vm;
    vm = null;
    if (running != null) {
      running.close();
    }
  }

  /**
   * Puts the serial console's last lines into the failed test's report.
   *
   * @param context the failed test's context
   * @param cause why it failed
   */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    GuestVm running = vm;
    if (running == null) {
      return;
    }
    List<String> lines = running.consoleLines();
    String tail =
        String.join("\n", lines.subList(Math.max(0, lines.size() - CONSOLE_TAIL), lines.size()));
    context.publishReportEntry("serial console of " + prepared.disk().getFileName(), tail);
    System.err.println(
        "--- serial console of " + prepared.disk().getFileName() + " (last lines)\n" + tail);
  }

  private GuestVm running() {
    GuestVm running = vm;
    if (running == null) {
      throw new IllegalStateException(
          "the booted fixture is not running: register it with @RegisterExtension on a static"
              + " field and use it from a test");
    }
    return running;
  }

  /**
   * Runs {@code argv} in the guest over SSH as {@value #USER}; each word is passed as it is (quoted
   * for the guest's shell).
   *
   * @param argv the program and its arguments
   * @return the exit code, stdout and stderr
   * @throws IOException when the SSH channel fails or the command runs longer than 10 minutes
   * @throws InterruptedException when interrupted
   */
  public ExecResult exec(String... argv) throws IOException, InterruptedException {
    return decoded(running().ssh().run(List.of(argv), new byte[0], COMMAND_TIMEOUT));
  }

  /**
   * Runs {@code argv} in the guest as root ({@code sudo -n} over SSH as {@value #USER}); each word
   * is passed as it is.
   *
   * @param argv the program and its arguments
   * @return the exit code, stdout and stderr
   * @throws IOException when the SSH channel fails or the command runs longer than 10 minutes
   * @throws InterruptedException when interrupted
   */
  public ExecResult execAsRoot(String... argv) throws IOException, InterruptedException {
    List<String> sudo = new ArrayList<>(List.of("sudo", "-n", "--"));
    sudo.addAll(List.of(argv));
    return decoded(running().ssh().run(sudo, new byte[0], COMMAND_TIMEOUT));
  }

  /**
   * The guest's file at {@code imagePath} as UTF-8 text, read over SSH.
   *
   * @param imagePath an absolute path in the guest, readable by {@value #USER}
   * @return its content
   * @throws IOException when it cannot be read, with the guest's message
   * @throws InterruptedException when interrupted
   */
  public String readString(String imagePath) throws IOException, InterruptedException {
    return new String(read(imagePath), StandardCharsets.UTF_8);
  }

  /**
   * Copies the guest's file at {@code imagePath} to {@code hostTarget}.
   *
   * @param imagePath an absolute path in the guest, readable by {@value #USER}
   * @param hostTarget a file on the host, replaced
   * @throws IOException when it cannot be read or written
   * @throws InterruptedException when interrupted
   */
  public void copyFromImage(String imagePath, Path hostTarget)
      throws IOException, InterruptedException {
    Files.write(hostTarget, read(imagePath));
  }

  /**
   * Copies {@code hostFile} into the guest at {@code imagePath} (created or replaced, as {@value
   * #USER}).
   *
   * @param hostFile a file on the host
   * @param imagePath an absolute path in the guest that {@value #USER} may write
   * @throws IOException when it cannot be read or written, with the guest's message
   * @throws InterruptedException when interrupted
   */
  public void copyIntoImage(Path hostFile, String imagePath)
      throws IOException, InterruptedException {
    absolute(imagePath);
    GuestSsh.Output r =
        running()
            .ssh()
            .run(
                List.of("sh", "-c", "cat > \"$1\"", "sh", imagePath),
                Files.readAllBytes(hostFile),
                COMMAND_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IOException(
          "cannot write "
              + imagePath
              + " in the guest (exit "
              + r.exitCode()
              + "): "
              + decoded(r).stderr());
    }
  }

  private byte[] read(String imagePath) throws IOException, InterruptedException {
    absolute(imagePath);
    GuestSsh.Output r =
        running().ssh().run(List.of("cat", "--", imagePath), new byte[0], COMMAND_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IOException(
          "cannot read "
              + imagePath
              + " in the guest (exit "
              + r.exitCode()
              + "): "
              + decoded(r).stderr());
    }
    return r.stdout();
  }

  private static ExecResult decoded(GuestSsh.Output r) {
    return new ExecResult(
        r.exitCode(),
        new String(r.stdout(), StandardCharsets.UTF_8),
        new String(r.stderr(), StandardCharsets.UTF_8),
        r.duration());
  }

  private static void absolute(String imagePath) {
    if (imagePath == null || !imagePath.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid path in the guest '" + imagePath + "' (expected an absolute path)");
    }
  }

  /** {@return the serial console's lines since the boot began} */
  public List<String> consoleLines() {
    return running().consoleLines();
  }

  /** {@return the loopback port forwarded to the guest's SSH port} */
  public int sshPort() {
    return running().sshPort();
  }

  /** {@return the disk image the guest boots from, never written by it} */
  public Path diskImage() {
    return preparedDisk().disk();
  }

  /** {@return the disk image's sha256, as the build reported it} */
  public String diskSha256() {
    return preparedDisk().sha256();
  }

  /** {@return the build's result; {@link BuildResult#fromCache()} says it came from the cache} */
  public BuildResult result() {
    return preparedDisk().result();
  }

  private FixturePreparation.PreparedDisk preparedDisk() {
    FixturePreparation.PreparedDisk p = prepared;
    if (p == null) {
      throw new IllegalStateException(
          "the booted fixture is not ready: register it with @RegisterExtension on a static field");
    }
    return p;
  }

  @Override
  public String toString() {
    FixturePreparation.PreparedDisk p = prepared;
    return "BootedFixture["
        + (p == null ? image.spec().series() + " on " + board.id() + ", not ready" : p.disk())
        + (vm == null ? "" : ", ssh 127.0.0.1:" + vm.sshPort())
        + "]";
  }
}
