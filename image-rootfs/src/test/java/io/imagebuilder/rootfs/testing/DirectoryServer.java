package io.imagebuilder.rootfs.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves the files of a directory over HTTP on loopback under a path prefix, as an archive or a
 * side repository would, for tests: a missing file (or one outside the directory) is a 404. It
 * records the paths asked for and can answer every request with a given error status.
 */
public final class DirectoryServer implements AutoCloseable {
  private final HttpServer server;
  private final String prefix;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int failWith;

  private DirectoryServer(Path dir, String prefix) throws IOException {
    this.prefix = prefix;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        prefix + "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath().substring(prefix.length() + 1);
          requests.add(path);
          Path file = dir.resolve(path).normalize();
          if (failWith != 0) {
            exchange.sendResponseHeaders(failWith, -1);
          } else if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
              Files.copy(file, out);
            }
          }
          exchange.close();
        });
    server.start();
  }

  /** Serves {@code dir} under {@code prefix} ("" or a path such as "/repo"), started. */
  public static DirectoryServer serve(Path dir, String prefix) throws IOException {
    return new DirectoryServer(dir, prefix);
  }

  /** {@code http://127.0.0.1:<port><prefix>}. */
  public String uri() {
    return "http://127.0.0.1:" + port() + prefix;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The paths asked for, relative to the prefix, in order. */
  public List<String> requests() {
    return requests;
  }

  /** Answers every request with {@code status} from now on; 0 serves files again. */
  public void failWith(int status) {
    failWith = status;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
