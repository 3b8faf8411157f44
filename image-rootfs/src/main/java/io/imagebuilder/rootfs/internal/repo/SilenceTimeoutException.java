package io.imagebuilder.rootfs.internal.repo;

import java.net.http.HttpTimeoutException;

/** A server stayed silent longer than the limit; the message says who, how long and the setting. */
final class SilenceTimeoutException extends HttpTimeoutException {
  private static final long serialVersionUID = 1L;

  SilenceTimeoutException(String message) {
    super(message);
  }
}
