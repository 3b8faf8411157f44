package io.imagebuilder.internal.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void thePasswordOfEveryUrlInATextIsMasked() {
    assertEquals(
        "cannot fetch https://ci:***@mirror.example/debian/dists/bookworm/InRelease and"
            + " http://u:***@10.0.0.1:8080/x: refused",
        Secrets.redact(
            "cannot fetch https://ci:s3cret@mirror.example/debian/dists/bookworm/InRelease and"
                + " http://u:p%40ss@10.0.0.1:8080/x: refused"));
  }

  @Test
  void textWithoutAPasswordIsUnchanged() {
    String plain =
        "https://deb.debian.org/debian user@example.org http://host/a@b ftp://user@host/";
    assertEquals(plain, Secrets.redact(plain));
    assertNull(Secrets.redact((String) null));
  }

  @Test
  void aUriObjectIsRedactedToo() {
    assertEquals("http://a:***@h/p", Secrets.redact(URI.create("http://a:b@h/p")));
  }
}
