package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyserverClientTest {
  @TempDir Path temp;
  HttpServer server;
  URI keyserver;

  /** What the keyserver answers for each search value ("0x" + fingerprint); others get 404. */
  final Map<String, byte[]> answers = new ConcurrentHashMap<>();

  final List<String> queries = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/pks/lookup",
        exchange -> {
          String query = exchange.getRequestURI().getRawQuery();
          queries.add(query);
          String search = query.replaceFirst(".*search=", "");
          byte[] body = query.startsWith("op=get&options=mr&") ? answers.get(search) : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().add("Content-Type", "application/pgp-keys");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    keyserver = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private KeyserverClient client() {
    return new KeyserverClient(keyserver, temp.resolve("cache/keys"));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void fetchesTheRequestedKeyKeepsOnlyItAndServesItFromTheCacheOnceTheServerIsGone()
      throws Exception {
    ArchiveKey ppaKey = ArchiveKey.generate("Launchpad PPA for Team");
    ArchiveKey stranger = ArchiveKey.generate("someone else");
    // A keyserver may answer with more than was asked; only the requested key may be kept.
    answers.put(
        "0x" + ppaKey.fingerprint(),
        concat(stranger.armoredPublicKey(), ppaKey.armoredPublicKey()));

    Path key = client().fetch(ppaKey.fingerprint().toLowerCase());

    assertEquals(temp.resolve("cache/keys/" + ppaKey.fingerprint() + ".asc"), key);
    assertEquals(List.of(ppaKey.fingerprint()), Keyring.load(key).fingerprints());
    assertTrue(Files.readString(key).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assertEquals(List.of("op=get&options=mr&search=0x" + ppaKey.fingerprint()), queries);
    try (var files = Files.list(key.getParent())) {
      assertEquals(List.of(key), files.toList(), "no temporary file is left");
    }

    server.stop(0);
    Path again = client().fetch(ppaKey.fingerprint());
    assertEquals(key, again);
    assertEquals(1, queries.size(), "the second fetch asked no keyserver");
  }

  @Test
  void anAnswerWithAnotherKeyIsRefusedNamingTheFingerprintAndTheKeyserver() {
    ArchiveKey wanted = ArchiveKey.generate("wanted");
    ArchiveKey other = ArchiveKey.generate("impostor");
    answers.put("0x" + wanted.fingerprint(), other.armoredPublicKey());

    RepositoryException e =
        assertThrows(RepositoryException.class, () -> client().fetch(wanted.fingerprint()));

    assertTrue(e.getMessage().contains(wanted.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(other.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(keyserver.toString()), e.getMessage());
    assertTrue(
        Files.notExists(temp.resolve("cache/keys/" + wanted.fingerprint() + ".asc")),
        "nothing was cached");
  }

  @Test
  void anAnswerThatIsNoKeyIsRefused() {
    String fp = "0123456789ABCDEF0123456789ABCDEF01234567";
    answers.put("0x" + fp, "<html>Service unavailable</html>".getBytes(StandardCharsets.UTF_8));
    RepositoryException e = assertThrows(RepositoryException.class, () -> client().fetch(fp));
    assertTrue(
        e.getMessage().contains(fp) && e.getMessage().contains("no usable OpenPGP key"),
        e.getMessage());
  }

  @Test
  void aKeyTheKeyserverDoesNotHaveIsAClearError() {
    String fp = "0123456789ABCDEF0123456789ABCDEF01234567";
    RepositoryException e = assertThrows(RepositoryException.class, () -> client().fetch(fp));
    assertTrue(
        e.getMessage().startsWith("keyserver " + keyserver + " has no key " + fp), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void anUnreachableKeyserverIsAClearError() {
    server.stop(0);
    String fp = "0123456789ABCDEF0123456789ABCDEF01234567";
    RepositoryException e = assertThrows(RepositoryException.class, () -> client().fetch(fp));
    assertTrue(
        e.getMessage().startsWith("cannot fetch key " + fp + " from keyserver " + keyserver),
        e.getMessage());
    assertTrue(e.getMessage().contains(": cannot connect to 127.0.0.1:"), e.getMessage());
  }

  @Test
  void aCachedFileHoldingAnotherKeyIsNotTrusted() throws Exception {
    ArchiveKey wanted = ArchiveKey.generate("wanted");
    Path cached =
        Files.createDirectories(temp.resolve("cache/keys")).resolve(wanted.fingerprint() + ".asc");
    Files.write(cached, ArchiveKey.generate("planted").armoredPublicKey());
    answers.put("0x" + wanted.fingerprint(), wanted.armoredPublicKey());

    client().fetch(wanted.fingerprint());

    assertEquals(List.of(wanted.fingerprint()), Keyring.load(cached).fingerprints());
    assertEquals(1, queries.size());
  }

  @Test
  void aMalformedFingerprintIsRefusedNamingItAndTheExpectedForm() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> client().fetch("0xDEADBEEF"));
    assertEquals(
        "invalid key fingerprint '0xDEADBEEF' (expected the 40 hex digits of an OpenPGP v4 fingerprint)",
        e.getMessage());
    assertTrue(queries.isEmpty());
  }

  @Test
  void keyserverAddressesAreHttpBaseUris() {
    assertEquals(
        URI.create("https://keyserver.ubuntu.com"),
        KeyserverClient.keyserver("hkps://keyserver.ubuntu.com/"));
    assertEquals(
        URI.create("http://keys.example:11371"), KeyserverClient.keyserver("hkp://keys.example"));
    assertEquals(
        URI.create("http://keys.example:8080"),
        KeyserverClient.keyserver("hkp://keys.example:8080"));
    assertEquals(
        URI.create("https://keys.example/ks"),
        KeyserverClient.keyserver("https://keys.example/ks"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyserverClient.keyserver("ftp://x"));
    assertTrue(
        e.getMessage().startsWith("invalid keyserver 'ftp://x' (expected https://host"),
        e.getMessage());
    assertEquals(
        URI.create(
            "https://keys.example/ks/pks/lookup?op=get&options=mr&search=0x"
                + "0123456789ABCDEF0123456789ABCDEF01234567"),
        new KeyserverClient(URI.create("https://keys.example/ks"), temp)
            .lookupUri("01234567 89abcdef 01234567 89abcdef 01234567"));
  }
}
