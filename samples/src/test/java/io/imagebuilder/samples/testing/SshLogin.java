package io.imagebuilder.samples.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Logs in to a booted image over SSH the way a user would: the host's OpenSSH client with a key
 * pair made for the tests, through a port qemu forwards from the host's loopback address.
 */
public final class SshLogin {
  /** The account the board images get, holding the run's public key. */
  public static final String USER = "tester";

  private static Path key;

  private SshLogin() {}

  /**
   * The private key (ed25519, no passphrase) of every test JVM of this module, made beside the IT
   * caches by the first that needs it and kept: the test classes run in two JVMs, and a fixture one
   * JVM built with the public key must let the other log in. Made under a file lock, so a JVM never
   * reads a pair another one is writing.
   */
  public static synchronized Path privateKey() throws IOException, InterruptedException {
    if (key == null) {
      Path dir = Files.createDirectories(Path.of("target", "it-ssh").toAbsolutePath());
      Path k = dir.resolve("id_ed25519");
      Path pub = dir.resolve("id_ed25519.pub");
      try (FileChannel lockFile =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lockFile.lock()) {
        if (!Files.isRegularFile(k) || !Files.isRegularFile(pub)) {
          Files.deleteIfExists(k); // a pair half made by a JVM that died
          Files.deleteIfExists(pub);
          ItBuilds.host(
              "ssh-keygen",
              "-q",
              "-t",
              "ed25519",
              "-N",
              "",
              "-C",
              USER + "@it",
              "-f",
              k.toString());
        }
      }
      key = k;
    }
    return key;
  }

  /** The authorized_keys line of {@link #privateKey()}. */
  public static String publicKey() throws IOException, InterruptedException {
    Path k = privateKey();
    return Files.readString(k.resolveSibling(k.getFileName() + ".pub")).strip();
  }

  /** A TCP port that is free on the loopback address now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one login printed, and how long it took until the guest first answered. */
  public record Answer(String output, int attempts, Duration untilAnswered) {}

  /**
   * Runs {@code command} as {@link #USER} on 127.0.0.1:{@code port}, trying again until the guest's
   * SSH server accepts the key or {@code patience} is over (sshd may start after the login prompt).
   *
   * @throws AssertionError with the last attempt's output when no login succeeded
   */
  public static Answer run(int port, String command, Duration patience)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + patience.toNanos();
    List<String> argv =
        new ArrayList<>(
            List.of(
                "ssh",
                "-i",
                privateKey().toString(),
                "-p",
                Integer.toString(port),
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "ConnectTimeout=20",
                "-o",
                "LogLevel=ERROR",
                USER + "@127.0.0.1",
                command));
    String last = "";
    int attempts = 0;
    while (true) {
      attempts++;
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      boolean done = p.waitFor(3, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
      }
      last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (done && p.exitValue() == 0) {
        return new Answer(last, attempts, Duration.ofNanos(System.nanoTime() - start));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no SSH login as "
                + USER
                + " on port "
                + port
                + " after "
                + attempts
                + " attempts; the last one ("
                + (done ? "exit " + p.exitValue() : "timed out")
                + ") said:\n"
                + last);
      }
      Thread.sleep(5000);
    }
  }
}
