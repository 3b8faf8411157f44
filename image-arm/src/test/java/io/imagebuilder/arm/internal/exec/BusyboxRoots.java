package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.spec.Architecture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Small real target roots for integration tests: Debian bookworm's busybox-static for an
 * architecture, unpacked with dpkg-deb, with applet links. Downloads are cached (default {@code
 * target/it-cache}, or {@code -Dimagebuilder.it.cache=DIR}).
 */
final class BusyboxRoots {
  private static final String MIRROR = "http://deb.debian.org/debian/";
  private static final List<String> APPLETS =
      List.of(
          "sh", "uname", "sleep", "echo", "cat", "env", "true", "false", "ls", "mkdir", "touch",
          "pwd");

  private BusyboxRoots() {}

  static Path cacheDir() throws IOException {
    return Files.createDirectories(
        Path.of(System.getProperty("imagebuilder.it.cache", "target/it-cache")).toAbsolutePath());
  }

  /** Makes a root for {@code arch} at {@code root} (which must not exist yet). */
  static Path create(Architecture arch, Path root) throws Exception {
    Path deb = download(arch);
    Files.createDirectories(root);
    run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
    for (String d : List.of("usr/sbin", "usr/bin", "tmp", "root", "proc", "sys", "dev", "run")) {
      Files.createDirectories(root.resolve(d));
    }
    for (String a : APPLETS) {
      Path link = root.resolve("bin").resolve(a);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    // an invoke-rc.d that, like Debian's, asks policy-rc.d before starting anything
    Path invoke = root.resolve("usr/sbin/invoke-rc.d");
    Files.writeString(
        invoke,
        "#!/bin/sh\n"
            + "if [ -x /usr/sbin/policy-rc.d ]; then /usr/sbin/policy-rc.d \"$1\" \"$2\"; rc=$?;"
            + " if [ $rc = 101 ]; then echo \"invoke-rc.d: policy-rc.d denied execution of $2.\"; exit 0; fi; fi\n"
            + "sleep 600 </dev/null >/dev/null 2>&1 &\n"
            + "echo \"$1 started as $!\"\n");
    Files.setPosixFilePermissions(invoke, PosixFilePermissions.fromString("rwxr-xr-x"));
    return root;
  }

  private static synchronized Path download(Architecture arch) throws Exception {
    Path cache = cacheDir();
    Path deb = cache.resolve("busybox-static_bookworm_" + arch.debianName() + ".deb");
    if (Files.exists(deb)) {
      return deb;
    }
    HttpClient http = HttpClient.newHttpClient();
    Path index = cache.resolve("Packages-bookworm-" + arch.debianName() + ".xz");
    fetch(http, MIRROR + "dists/bookworm/main/binary-" + arch.debianName() + "/Packages.xz", index);
    Process xz =
        new ProcessBuilder("xz", "-dc", index.toString()).redirectErrorStream(false).start();
    String filename = null;
    boolean inStanza = false;
    try (InputStream in = xz.getInputStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.equals("Package: busybox-static")) {
          inStanza = true;
        } else if (line.isEmpty()) {
          inStanza = false;
        } else if (inStanza && line.startsWith("Filename: ")) {
          filename = line.substring("Filename: ".length()).strip();
          break;
        }
      }
    }
    xz.waitFor();
    if (filename == null) {
      throw new IOException("busybox-static not found in " + index);
    }
    fetch(http, MIRROR + filename, deb);
    return deb;
  }

  private static void fetch(HttpClient http, String url, Path to) throws Exception {
    Path tmp = to.resolveSibling(to.getFileName() + ".part");
    HttpResponse<Path> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(tmp));
    if (r.statusCode() != 200) {
      throw new IOException("GET " + url + " -> " + r.statusCode());
    }
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(argv + " failed: " + out);
    }
  }
}
