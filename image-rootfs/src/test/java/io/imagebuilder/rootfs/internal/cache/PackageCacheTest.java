package io.imagebuilder.rootfs.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.rootfs.internal.repo.Http;
import io.imagebuilder.rootfs.testing.StallingServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCacheTest {
  @TempDir Path tmp;
  HttpServer server;
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  /** Paths that answer 503 this many more times before serving. */
  final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  volatile long delayMillis;
  Path cacheDir;

  @BeforeEach
  void start() throws Exception {
    cacheDir = tmp.resolve("cache");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          AtomicInteger fail = failuresLeft.get(path);
          byte[] body = files.get(path);
          if (fail != null && fail.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
          } else if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
              int half = body.length / 2;
              os.write(body, 0, half);
              os.flush();
              sleep(delayMillis);
              os.write(body, half, body.length - half);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Download serve(String name, int size) {
    byte[] body = new byte[size];
    new Random(name.hashCode()).nextBytes(body);
    files.put("/" + name, body);
    return new Download(uri(name), sha256(body), size);
  }

  private URI uri(String name) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
  }

  @Test
  void fetchesVerifiesAndReusesWithoutDownloadingAgain() throws Exception {
    Download d = serve("a.deb", 300_000);
    PackageCache cache = new PackageCache(cacheDir);

    Path first = cache.fetch(d.uri(), d.sha256(), d.size());
    Path second = cache.fetch(d.uri(), d.sha256(), d.size());

    assertEquals(cacheDir.resolve(d.sha256()), first);
    assertEquals(first, second);
    assertArrayEquals(files.get("/a.deb"), Files.readAllBytes(first));
    assertEquals(1, requests.get("/a.deb").get());
    assertEquals(List.of(d.sha256(), d.sha256() + ".lock"), listCache());
  }

  @Test
  void hashMismatchNamesUriExpectedAndActualAndLeavesNothing() throws Exception {
    Download d = serve("b.deb", 1000);
    String wrong = "0".repeat(64);
    PackageCache cache = new PackageCache(cacheDir);

    DownloadFailedException e =
        assertThrows(DownloadFailedException.class, () -> cache.fetch(d.uri(), wrong, 1000));

    assertEquals(
        "sha256 mismatch for " + d.uri() + ": expected " + wrong + ", got " + d.sha256(),
        e.getMessage());
    assertEquals(List.of(wrong + ".lock"), listCache());
  }

  @Test
  void sizeMismatchIsAnError() throws Exception {
    Download d = serve("c.deb", 1000);
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () -> new PackageCache(cacheDir).fetch(d.uri(), d.sha256(), 999));
    assertTrue(e.getMessage().startsWith("size mismatch for " + d.uri()), e.getMessage());
  }

  @Test
  void corruptCacheEntryIsNotReused() throws Exception {
    Download d = serve("d.deb", 5000);
    PackageCache cache = new PackageCache(cacheDir);
    Path entry = cache.fetch(d.uri(), d.sha256(), d.size());
    byte[] damaged = Files.readAllBytes(entry);
    damaged[100] ^= 1;
    Files.write(entry, damaged);

    Path again = cache.fetch(d.uri(), d.sha256(), d.size());

    assertArrayEquals(files.get("/d.deb"), Files.readAllBytes(again));
    assertEquals(2, requests.get("/d.deb").get());
  }

  @Test
  void staleTemporaryFileAndLockFileDoNotBlock() throws Exception {
    Download d = serve("e.deb", 5000);
    Files.createDirectories(cacheDir);
    Path stalePart = Files.writeString(cacheDir.resolve("." + d.sha256() + ".123.part"), "half");
    Files.writeString(cacheDir.resolve(d.sha256() + ".lock"), "");

    Path entry = new PackageCache(cacheDir).fetch(d.uri(), d.sha256(), d.size());

    assertArrayEquals(files.get("/e.deb"), Files.readAllBytes(entry));
    assertTrue(Files.notExists(stalePart));
  }

  @Test
  void retriesTransientErrorsThreeTimesAtMost() throws Exception {
    Download ok = serve("flaky.deb", 100);
    failuresLeft.put("/flaky.deb", new AtomicInteger(2));
    Download broken = serve("broken.deb", 100);
    failuresLeft.put("/broken.deb", new AtomicInteger(3));
    PackageCache cache = new PackageCache(cacheDir);

    cache.fetch(ok.uri(), ok.sha256(), ok.size());
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () -> cache.fetch(broken.uri(), broken.sha256(), broken.size()));

    assertEquals(3, requests.get("/flaky.deb").get());
    assertEquals(3, requests.get("/broken.deb").get());
    assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
  }

  @Test
  void aMirrorThatStallsFailsTheDownloadWithinTheLimitNamingTheUrl() throws Exception {
    try (StallingServer stalling = new StallingServer(StallingServer.Stall.AFTER_HEADERS)) {
      URI uri = stalling.uri("pool/main/b/big/big_1.0_amd64.deb");
      PackageCache cache = new PackageCache(cacheDir, Http.newClient(), Duration.ofSeconds(1));
      long start = System.nanoTime();
      DownloadFailedException e =
          assertThrows(
              DownloadFailedException.class,
              () ->
                  cache.fetchAll(
                      List.of(new Download(uri, "2".repeat(64), 1_000_000)),
                      2,
                      ProgressCallback.NONE));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(
          "cannot download "
              + uri
              + ": no data from "
              + uri
              + " for 1 s (the limit of silence, set by -Dimagebuilder.http.stallTimeout)",
          e.getMessage());
      assertTrue(millis < 3000, millis + " ms, not retried");
      try (Stream<Path> left = Files.list(cacheDir)) {
        assertTrue(
            left.noneMatch(p -> p.toString().endsWith(".part")), "no partial download is left");
      }
    }
  }

  @Test
  void anInterruptEndsAStalledDownloadWithinFiveSeconds() throws Exception {
    try (StallingServer stalling = new StallingServer(StallingServer.Stall.AFTER_HEADERS)) {
      URI uri = stalling.uri("big.deb");
      PackageCache cache = new PackageCache(cacheDir, Http.newClient(), Duration.ofMinutes(10));
      java.util.concurrent.CompletableFuture<Throwable> ended =
          new java.util.concurrent.CompletableFuture<>();
      Thread build =
          new Thread(
              () -> {
                try {
                  cache.fetchAll(
                      List.of(new Download(uri, "3".repeat(64), 1_000_000)),
                      2,
                      ProgressCallback.NONE);
                  ended.complete(null);
                } catch (Throwable t) {
                  ended.complete(t);
                }
              });
      build.start();
      Thread.sleep(500);
      build.interrupt();
      Throwable t = ended.get(5, TimeUnit.SECONDS);
      assertTrue(t instanceof io.imagebuilder.api.error.BuildCancelledException, String.valueOf(t));
    }
  }

  @Test
  void notFoundIsNotRetried() {
    Download d = new Download(uri("missing.deb"), "1".repeat(64), 10);
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () -> new PackageCache(cacheDir).fetch(d.uri(), d.sha256(), d.size()));
    assertEquals("cannot download " + d.uri() + ": HTTP 404", e.getMessage());
    assertEquals(1, requests.get("/missing.deb").get());
  }

  @Test
  void twoThreadsFetchingTheSameEntryDownloadItOnce() throws Exception {
    Download d = serve("f.deb", 200_000);
    delayMillis = 300;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        PackageCache cache = new PackageCache(cacheDir); // separate instances, one directory
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return cache.fetch(d.uri(), d.sha256(), d.size());
                }));
      }
      go.countDown();
      assertEquals(results.get(0).get(), results.get(1).get());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, requests.get("/f.deb").get());
  }

  @Test
  void twoJvmsFetchingTheSameEntryDownloadItOnce() throws Exception {
    Download d = serve("g.deb", 200_000);
    delayMillis = 1500;
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  CacheFetchMain.class.getName(),
                  cacheDir.toString(),
                  d.uri().toString(),
                  d.sha256(),
                  String.valueOf(d.size()))
              .redirectErrorStream(true)
              .start());
    }
    for (Process p : processes) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains(cacheDir.resolve(d.sha256()).toString()), out);
    }
    assertEquals(1, requests.get("/g.deb").get());
  }

  @Test
  void fetchAllKeepsOrderDeduplicatesReportsProgressAndReadsFileUris() throws Exception {
    Download a = serve("h1.deb", 1_500_000);
    Download b = serve("h2.deb", 10);
    byte[] local = "local package".getBytes(StandardCharsets.UTF_8);
    Path localFile = Files.write(tmp.resolve("local.deb"), local);
    Download c = new Download(localFile.toUri(), sha256(local), local.length);
    List<long[]> reports = new CopyOnWriteArrayList<>();

    List<Path> paths =
        new PackageCache(cacheDir)
            .fetchAll(
                List.of(a, b, a, c), 3, (done, total) -> reports.add(new long[] {done, total}));

    assertEquals(
        List.of(
            cacheDir.resolve(a.sha256()), cacheDir.resolve(b.sha256()),
            cacheDir.resolve(a.sha256()), cacheDir.resolve(c.sha256())),
        paths);
    assertArrayEquals(local, Files.readAllBytes(paths.get(3)));
    assertEquals(1, requests.get("/h1.deb").get());
    long total = a.size() + b.size() + c.size();
    long[] last = reports.get(reports.size() - 1);
    assertArrayEquals(new long[] {total, total}, last);
    for (int i = 1; i < reports.size(); i++) {
      assertTrue(reports.get(i)[0] >= reports.get(i - 1)[0], "progress never goes back");
    }
  }

  @Test
  void fetchAllFailsWithTheFirstError() {
    Download ok = serve("i.deb", 10);
    Download missing = new Download(uri("nope.deb"), "2".repeat(64), 10);
    DownloadFailedException e =
        assertThrows(
            DownloadFailedException.class,
            () ->
                new PackageCache(cacheDir)
                    .fetchAll(List.of(ok, missing), 2, ProgressCallback.NONE));
    assertTrue(e.getMessage().contains("nope.deb"), e.getMessage());
  }

  @Test
  void rejectsABadHash() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Download(uri("x"), "abc", 1));
    assertTrue(e.getMessage().startsWith("invalid sha256 'abc'"), e.getMessage());
  }

  private List<String> listCache() throws Exception {
    try (Stream<Path> s = Files.list(cacheDir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
