package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.tukaani.xz.XZInputStream;

/**
 * Decompresses xz data, with the host's {@code xz} (xz-utils, liblzma) when it is installed and in
 * the JVM (tukaani xz) otherwise. liblzma decodes the data.tar.xz of a bootstrap set in about half
 * the CPU time tukaani takes in a fresh JVM, and it runs natively on the host, never under
 * emulation; both check the integrity check of every block. The host's xz decodes the blocks of a
 * multi-block stream (what dpkg-deb's threaded compression writes) on every core where it can (xz
 * 5.4 and later; earlier ones take the option and decode on one): a kernel's 343 MB data.tar, the
 * longest repack of a board build, in 2.9 s instead of 4.0 s here.
 *
 * <p>A host decoder is a child process fed by a daemon thread. Its stream reports a corrupt input
 * as an {@link IOException} with xz's message when the output ends, never as a short, clean end of
 * data; closing the stream early kills the process.
 */
public final class XzDecoder {
  private static final Optional<Path> HOST_XZ = findHostXz();
  private static final int BUFFER = 128 * 1024;

  private final Optional<Path> xz;

  private XzDecoder(Optional<Path> xz) {
    this.xz = xz;
  }

  /** A decoder that uses the host's xz when there is one. */
  public static XzDecoder preferHost() {
    return new XzDecoder(HOST_XZ);
  }

  /** A decoder that always decodes in the JVM. */
  public static XzDecoder inJvm() {
    return new XzDecoder(Optional.empty());
  }

  /** Whether this decoder runs the host's xz. */
  public boolean usesHost() {
    return xz.isPresent();
  }

  private static Optional<Path> findHostXz() {
    if (Boolean.getBoolean("imagebuilder.xz.jvm")) {
      return Optional.empty(); // to compare or to rule the host tool out
    }
    return HostTools.find("xz");
  }

  /**
   * The decompressed bytes of {@code compressed}, which the returned stream owns: closing it closes
   * {@code compressed}.
   */
  public InputStream open(InputStream compressed) throws IOException {
    if (xz.isEmpty()) {
      return new XZInputStream(new BufferedInputStream(compressed, BUFFER));
    }
    Process p =
        HostProcess.of(xz.get().toString(), "--decompress", "--stdout", "--quiet", "--threads=0")
            .stdinPipe()
            .separateErrors()
            .start();
    Thread feeder = new Thread(() -> feed(compressed, p), "xz-feeder");
    feeder.setDaemon(true);
    feeder.start();
    return new HostStream(p, feeder, compressed);
  }

  private static void feed(InputStream compressed, Process p) {
    try (OutputStream stdin = p.getOutputStream();
        InputStream in = compressed) {
      in.transferTo(stdin);
    } catch (IOException e) {
      // xz exited early (corrupt data) or the reader closed: the reader sees xz's exit status.
      p.destroy();
    }
  }

  /** The output of one xz process; checks its exit status at the end of the data. */
  private static final class HostStream extends FilterInputStream {
    private final Process process;
    private final Thread feeder;
    private final InputStream compressed;
    private boolean checked;

    HostStream(Process process, Thread feeder, InputStream compressed) {
      super(new BufferedInputStream(process.getInputStream(), BUFFER));
      this.process = process;
      this.feeder = feeder;
      this.compressed = compressed;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        checkExit();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        checkExit();
      }
      return n;
    }

    private void checkExit() throws IOException {
      if (checked) {
        return;
      }
      try {
        int exit = process.waitFor();
        feeder.join();
        checked = true;
        if (exit != 0) {
          String err =
              new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
          throw new IOException(
              "xz failed (exit " + exit + "): " + (err.isEmpty() ? "no message" : err));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        HostProcess.kill(process);
        throw new java.io.InterruptedIOException("interrupted while waiting for xz");
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        if (!checked) {
          HostProcess.kill(process);
        }
        compressed.close();
        process.getErrorStream().close();
      }
    }
  }
}
