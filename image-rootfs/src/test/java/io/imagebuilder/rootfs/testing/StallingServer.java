package io.imagebuilder.rootfs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that goes silent, as a broken mirror does: it either sends the headers of
 * a 200 answer and the first bytes of its body and then nothing more, or never answers at all.
 * Connections stay open until the server is closed.
 */
public final class StallingServer implements AutoCloseable {
  /** How the server goes silent. */
  public enum Stall {
    AFTER_HEADERS,
    BEFORE_HEADERS
  }

  private final ServerSocket socket;
  private final Stall stall;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public StallingServer(Stall stall) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.stall = stall;
    this.acceptor = new Thread(this::serve, "stalling-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The URL of {@code path} on this server. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/" + path);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        readRequest(s.getInputStream());
        if (stall == Stall.AFTER_HEADERS) {
          OutputStream out = s.getOutputStream();
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nContent-Type: application/octet-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(new byte[1000]);
          out.flush();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
