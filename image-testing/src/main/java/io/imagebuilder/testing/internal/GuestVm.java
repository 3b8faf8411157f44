package io.imagebuilder.testing.internal;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingHostToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * A booted fixture's guest: the library's {@link BootCheck} boots the disk image in qemu (snapshot
 * mode: the image file is never written), forwards a free loopback port to the guest's SSH port,
 * and, once the login prompt appeared, this logs in over SSH and holds the guest up until {@link
 * #close()}. The boot runs on a thread of its own, so the tests run while the guest is up; the
 * serial console's lines are kept for failure reports.
 */
public final class GuestVm implements AutoCloseable {
  /** How long sshd may take to accept a login after the prompt (host keys are made first). */
  private static final Duration SSH_PATIENCE = Duration.ofMinutes(4);

  private static final Duration STOP_PATIENCE = Duration.ofMinutes(1);

  private final int port;
  private final List<String> console = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<GuestSsh> ready = new CompletableFuture<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile BootResult result;
  private volatile Throwable failure;

  private GuestVm(Path disk, Board board, String user, KeyPair key, Duration bootTimeout) {
    this.port = freePort();
    BootCheck check =
        BootCheck.of(disk, board)
            .timeout(bootTimeout)
            .forwardTcp(port, Board.QemuHints.SSH_PORT)
            .onConsoleLine(console::add)
            .whileRunning(
                () -> {
                  ready.complete(GuestSsh.connect(port, user, key, SSH_PATIENCE));
                  stop.await();
                });
    this.thread =
        new Thread(
            () -> {
              try {
                result = check.run();
              } catch (Throwable t) { // reported by boot(), on the test's thread
                failure = t;
              } finally {
                ready.completeExceptionally(new IllegalStateException("the guest stopped"));
              }
            },
            "booted-fixture-" + disk.getFileName());
    thread.setDaemon(true);
  }

  /**
   * Boots {@code disk} on {@code board} and logs in as {@code user} with {@code key}; returns once
   * the login worked.
   *
   * @throws MissingHostToolException when the host lacks qemu-system or the board's firmware
   * @throws ImageBuildException when the guest did not boot to a prompt within {@code bootTimeout}
   *     or sshd did not accept the key, with the boot's summary and the console's last lines
   */
  public static GuestVm boot(Path disk, Board board, String user, KeyPair key, Duration bootTimeout)
      throws ImageBuildException, InterruptedException {
    GuestVm vm = new GuestVm(disk, board, user, key, bootTimeout);
    vm.thread.start();
    try {
      vm.ready.get();
      return vm;
    } catch (ExecutionException e) {
      vm.close();
      Throwable cause = vm.failure != null ? vm.failure : e.getCause();
      if (cause instanceof MissingHostToolException missing) {
        throw missing;
      }
      throw new ImageBuildException(
          "the fixture "
              + disk.getFileName()
              + " did not come up for SSH: "
              + (cause == null ? "" : cause.getMessage())
              + (vm.result == null ? "" : "\n" + vm.result.summary(40)),
          cause);
    } catch (InterruptedException e) {
      vm.close();
      throw e;
    }
  }

  /** {@return the SSH session into the guest, or null before the login or after a failed one} */
  public GuestSsh ssh() {
    return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
  }

  /** {@return the loopback port forwarded to the guest's SSH port} */
  public int sshPort() {
    return port;
  }

  /** {@return the serial console's lines so far} */
  public List<String> consoleLines() {
    synchronized (console) {
      return List.copyOf(console);
    }
  }

  /** Ends the SSH session and the guest (qemu ended by the boot check), waiting for both. */
  @Override
  public void close() throws InterruptedException {
    GuestSsh ssh = ssh();
    stop.countDown();
    if (ssh != null) {
      try {
        ssh.close();
      } catch (IOException e) {
        // The guest goes down with qemu anyway.
      }
    }
    thread.join(STOP_PATIENCE.toMillis());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
