package io.imagebuilder.console.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to a limit, so an oversized one is refused before it is all read. */
final class Bodies {
  private Bodies() {}

  static byte[] read(InputStream in, long declaredLength, long limit) throws IOException {
    if (declaredLength > limit) {
      throw tooLarge(declaredLength, limit);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      total += n;
      if (total > limit) {
        throw tooLarge(total, limit);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ApiErrors.TooLarge tooLarge(long size, long limit) {
    return new ApiErrors.TooLarge(
        "request body of " + size + "+ bytes is too large (expected at most " + limit + " bytes)");
  }
}
