package io.imagebuilder.rootfs.internal.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as a stream that gives up on silence: a read that waits longer than the
 * allowed silence for the next bytes fails with an {@link HttpTimeoutException} naming the URL, and
 * a read on an interrupted thread (a cancelled build) fails at once with an {@link
 * InterruptedIOException}, the thread's interrupt status kept. Either way, and on {@link #close()},
 * the download is cancelled. At most two buffers of the server's are held.
 */
final class WatchedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final URI uri;
  private final Duration silence;
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
  private ByteBuffer current;
  private boolean ended;
  private IOException failed;
  private volatile boolean closed;

  WatchedBody(URI uri, Duration silence) {
    this.uri = uri;
    this.silence = silence;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    arrived.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    arrived.add(error);
  }

  @Override
  public void onComplete() {
    arrived.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the body of " + uri + " is closed");
    }
    if (failed != null) {
      throw failed; // a body that failed once never looks complete
    }
    if (len == 0) {
      return 0;
    }
    while (current == null || !current.hasRemaining()) {
      if (ended) {
        return -1;
      }
      if (pending.hasNext()) {
        current = pending.next();
        continue;
      }
      next();
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  /** Waits for the server's next buffers, the end, or its error; at most the allowed silence. */
  private void next() throws IOException {
    try {
      waitForData();
    } catch (IOException e) {
      failed = e;
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private void waitForData() throws IOException {
    Object next;
    try {
      next = arrived.poll(silence.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new InterruptedIOException("download of " + uri + " interrupted");
    }
    if (next == null) {
      cancel();
      throw new SilenceTimeoutException(
          "no data from "
              + uri
              + " for "
              + Http.seconds(silence)
              + " (the limit of silence, set by -D"
              + Http.SILENCE.property()
              + ")");
    }
    if (next == END) {
      ended = true;
    } else if (next instanceof Throwable t) {
      throw t instanceof IOException io
          ? new IOException(io.getMessage(), io)
          : new IOException(t.toString(), t);
    } else {
      pending = ((List<ByteBuffer>) next).iterator();
      subscription.request(1);
    }
  }

  @Override
  public void close() {
    closed = true;
    cancel();
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
