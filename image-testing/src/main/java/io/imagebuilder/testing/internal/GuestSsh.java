package io.imagebuilder.testing.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * One SSH session (Apache MINA SSHD) into a booted fixture through the port qemu forwards on the
 * host's loopback address. The guest's host key is accepted unseen: the guest made it at its first
 * boot a minute ago and is reached only through the forward this JVM asked qemu for.
 */
public final class GuestSsh implements AutoCloseable {
  /** How long one connection attempt, and its authentication, may take. */
  private static final Duration ATTEMPT = Duration.ofSeconds(20);

  private static final Duration BETWEEN_ATTEMPTS = Duration.ofSeconds(2);

  private final SshClient client;
  private final ClientSession session;

  private GuestSsh(SshClient client, ClientSession session) {
    this.client = client;
    this.session = session;
  }

  /**
   * Logs in as {@code user} with {@code key} on 127.0.0.1:{@code port}, trying again until the
   * guest's sshd accepts (it may start after the login prompt) or {@code patience} is over.
   *
   * @throws IOException naming the port, the user and the last error when no attempt succeeded
   */
  public static GuestSsh connect(int port, String user, KeyPair key, Duration patience)
      throws IOException, InterruptedException {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    client.start();
    long deadline = System.nanoTime() + patience.toNanos();
    int attempts = 0;
    Exception last = null;
    try {
      while (true) {
        attempts++;
        try {
          ClientSession session =
              client.connect(user, "127.0.0.1", port).verify(ATTEMPT).getSession();
          try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(ATTEMPT);
            return new GuestSsh(client, session);
          } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
          }
        } catch (IOException | RuntimeException e) {
          last = e;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(
              "no SSH login as "
                  + user
                  + " on 127.0.0.1:"
                  + port
                  + " after "
                  + attempts
                  + " attempts in "
                  + patience.toSeconds()
                  + " s (expected the guest's sshd to accept the fixture's key): "
                  + last.getMessage(),
              last);
        }
        Thread.sleep(BETWEEN_ATTEMPTS.toMillis());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      client.stop();
      throw e;
    }
  }

  /**
   * How a command in the guest ended, its output as bytes.
   *
   * @param exitCode its exit status
   * @param stdout its standard output
   * @param stderr its standard error
   * @param duration how long it ran
   */
  public record Output(int exitCode, byte[] stdout, byte[] stderr, Duration duration) {}

  /**
   * Runs {@code argv} in the guest (its words quoted for the login shell), with {@code stdin} as
   * its standard input, waiting at most {@code timeout}.
   *
   * @throws IOException when the channel fails, or the command does not end within {@code timeout}
   */
  public Output run(List<String> argv, byte[] stdin, Duration timeout)
      throws IOException, InterruptedException {
    String command = argv.stream().map(GuestSsh::quote).collect(Collectors.joining(" "));
    long start = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(ATTEMPT);
      try (OutputStream in = channel.getInvertedIn()) {
        in.write(stdin); // closing it sends EOF: the command sees the end of its input
      }
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new IOException(
            "the command '" + command + "' did not end within " + timeout.toSeconds() + " s");
      }
      Integer status = channel.getExitStatus();
      if (status == null) {
        throw new IOException(
            "the command '" + command + "' ended without an exit status (the guest closed it)");
      }
      return new Output(
          status,
          out.toByteArray(),
          err.toByteArray(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** A word for a POSIX shell: single-quoted, each ' written as '\''. */
  static String quote(String word) {
    if (word.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid argument '" + word.replace("\0", "\\0") + "' (expected no NUL character)");
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  @Override
  public void close() throws IOException {
    try {
      session.close();
    } finally {
      client.stop();
    }
  }
}
