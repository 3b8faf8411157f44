package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import org.junit.jupiter.api.Test;

class HttpTest {
  private static final URI URI_WITH_PASSWORD = URI.create("https://ci:s3cret@mirror.example/debian/x");

  @Test
  void aConnectExceptionWithoutAMessageIsNamedWithHostPortAndCause() {
    ConnectException e = new ConnectException();
    e.initCause(new ConnectException("Connection refused"));
    assertEquals("cannot connect to mirror.example:443: refused or unreachable (java.net.ConnectException,"
        + " caused by java.net.ConnectException: Connection refused)", Http.describe(URI_WITH_PASSWORD, e));
  }

  @Test
  void timeoutsAndUnknownHostsSayWhatHappened() {
    assertEquals("connecting to h:8080 timed out (java.net.http.HttpConnectTimeoutException: HTTP connect timed out)",
        Http.describe(URI.create("http://h:8080/"), new HttpConnectTimeoutException("HTTP connect timed out")));
    assertEquals("unknown host nowhere.invalid (java.net.UnknownHostException: nowhere.invalid)",
        Http.describe(URI.create("http://nowhere.invalid/"), new UnknownHostException("nowhere.invalid")));
  }

  @Test
  void aCauseMentioningTheUrlHasItsPasswordMasked() {
    assertEquals("request to mirror.example:443 failed (java.io.IOException: bad https://ci:***@mirror.example/)",
        Http.describe(URI_WITH_PASSWORD, new java.io.IOException("bad https://ci:s3cret@mirror.example/")));
  }
}
