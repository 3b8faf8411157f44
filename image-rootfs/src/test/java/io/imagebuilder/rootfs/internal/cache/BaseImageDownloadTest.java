package io.imagebuilder.rootfs.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImageDownloadTest {
  private static final byte[] IMAGE =
      "a rootfs tarball, as far as this test cares".getBytes(StandardCharsets.UTF_8);

  @TempDir Path cache;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/base.tar",
        x -> {
          requests.incrementAndGet();
          x.sendResponseHeaders(200, IMAGE.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(IMAGE);
          }
        });
    server.createContext(
        "/chunked.tar",
        x -> {
          x.sendResponseHeaders(200, 0); // no Content-Length: the cap is enforced while reading
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 64; i++) {
              out.write(new byte[1024]);
            }
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void aReferenceIsAUrlWithAnOptionalSha256() {
    String sha = "0".repeat(64);
    BaseImageDownload.Reference r =
        BaseImageDownload.Reference.parse("https://h.example/b.tar.zst#sha256=" + sha);
    assertEquals(URI.create("https://h.example/b.tar.zst"), r.url());
    assertEquals(sha, r.sha256());
    assertNull(BaseImageDownload.Reference.parse("http://h.example/b.tar").sha256());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BaseImageDownload.Reference.parse("https://u:secret@h.example/b.tar#md5=x"));
    assertEquals(
        "invalid base image URL 'https://u:***@h.example/b.tar#md5=x' (expected http(s)://HOST/PATH,"
            + " optionally with #sha256= and 64 lower-case hex digits)",
        e.getMessage());
  }

  @Test
  void aVerifiedDownloadIsKeptUnderItsSha256AndServedFromTheCacheNextTime() throws Exception {
    String sha = sha256(IMAGE);
    BaseImageDownload d = new BaseImageDownload(cache, 1 << 20);
    Path file =
        d.fetch(
            BaseImageDownload.Reference.parse(base + "/base.tar#sha256=" + sha),
            ProgressCallback.NONE);
    assertEquals(cache.resolve(sha), file);
    assertArrayEquals(IMAGE, Files.readAllBytes(file));
    assertEquals(
        file,
        d.fetch(
            BaseImageDownload.Reference.parse(base + "/base.tar#sha256=" + sha),
            ProgressCallback.NONE));
    assertEquals(1, requests.get(), "the second fetch is served by the cache");
    try (Stream<Path> files = Files.list(cache)) {
      assertEquals(1, files.count(), "no .part left");
    }
  }

  @Test
  void otherBytesThanTheRequestGivesAreRefusedAndNotKept() throws Exception {
    String wrong = "f".repeat(64);
    BaseImageDownload d = new BaseImageDownload(cache, 1 << 20);
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () ->
                d.fetch(
                    BaseImageDownload.Reference.parse(base + "/base.tar#sha256=" + wrong),
                    ProgressCallback.NONE));
    assertEquals(
        "base image "
            + base
            + "/base.tar has sha256 "
            + sha256(IMAGE)
            + " (expected "
            + wrong
            + ", as the request or the lock gives)",
        e.getMessage());
    try (Stream<Path> files = Files.list(cache)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void theSizeCapHoldsWithAndWithoutContentLength() {
    BaseImageDownload d = new BaseImageDownload(cache, 16);
    DownloadFailedException byHeader =
        assertThrows(
            DownloadFailedException.class,
            () ->
                d.fetch(
                    BaseImageDownload.Reference.parse(base + "/base.tar"), ProgressCallback.NONE));
    assertEquals(
        "base image "
            + base
            + "/base.tar has "
            + IMAGE.length
            + " bytes (Content-Length), more than the cap of 16 bytes",
        byHeader.getMessage());
    BaseImageDownload small = new BaseImageDownload(cache, 10_000);
    DownloadFailedException whileReading =
        assertThrows(
            DownloadFailedException.class,
            () ->
                small.fetch(
                    BaseImageDownload.Reference.parse(base + "/chunked.tar"),
                    ProgressCallback.NONE));
    assertTrue(
        whileReading
            .getMessage()
            .endsWith("is larger than the cap of 10000 bytes (stopped reading there)"),
        whileReading.getMessage());
  }

  @Test
  void aMissingImageNamesTheStatusAndNoPassword() {
    BaseImageDownload d = new BaseImageDownload(cache, 1 << 20);
    String withPassword = base.replace("http://", "http://ci:s3cret@") + "/missing.tar";
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () -> d.fetch(BaseImageDownload.Reference.parse(withPassword), ProgressCallback.NONE));
    assertEquals(
        "cannot download base image "
            + base.replace("http://", "http://ci:***@")
            + "/missing.tar: HTTP 404",
        e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"));
  }
}
