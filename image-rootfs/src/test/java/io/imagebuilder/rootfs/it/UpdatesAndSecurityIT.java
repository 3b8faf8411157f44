package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.ManifestRepository;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import io.imagebuilder.rootfs.testing.ItEnvironment.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bookworm minbase tarball from the default sources (bookworm, bookworm-updates and
 * bookworm-security), checked the way a user would: refreshed with its own apt sources inside the
 * image, {@code apt-get -s upgrade} has nothing to upgrade, and its manifest lists the three
 * repositories with the sha256 of each one's InRelease. With the suites switched off only bookworm
 * is read, recorded and configured, and the packages that differ are exactly those the default
 * image took from the updates and security suites.
 */
class UpdatesAndSecurityIT {
  @TempDir static Path temp;

  /** The same spec as BootstrapIT's amd64 minbase: the shared stage cache serves either. */
  private static ImageBuilder bookworm() {
    return ImageBuilder.forSeries("bookworm").forArchitecture(Architecture.AMD64);
  }

  private static Manifest manifest(BuildResult result) throws Exception {
    return Manifests.read(result.manifest().orElseThrow());
  }

  /** Inside the image, with its own sources: refresh the lists, then simulate an upgrade. */
  private static String simulatedUpgrade(Path root) throws Exception {
    try (Target target = new Target(root, Architecture.AMD64)) {
      target.run("apt-get", "update");
      return target.run("apt-get", "-s", "upgrade");
    }
  }

  private static String sha256Now(ManifestRepository r) throws Exception {
    URI inRelease = URI.create(r.uri() + "/dists/" + r.suite() + "/InRelease");
    HttpResponse<byte[]> response =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(inRelease).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), inRelease.toString());
    return Sha256.of(response.body());
  }

  @Test
  void theDefaultImageHasEverySecurityAndUpdatesFixAndSwitchedOffOnlyBookworm() throws Exception {
    BuildResult current = bookworm().build(ItEnvironment.run(temp.resolve("default")));
    BuildResult plain =
        bookworm()
            .withoutUpdates()
            .withoutSecurity()
            .build(ItEnvironment.run(temp.resolve("plain")));

    // The manifest: three repositories, each with the sha256 of its own InRelease.
    Manifest withSuites = manifest(current);
    assertEquals(
        List.of(
            "debian http://deb.debian.org/debian bookworm",
            "debian-updates http://deb.debian.org/debian bookworm-updates",
            "debian-security http://deb.debian.org/debian-security bookworm-security"),
        withSuites.repositories().stream()
            .map(r -> r.name() + " " + r.uri() + " " + r.suite())
            .toList());
    for (ManifestRepository r : withSuites.repositories()) {
      assertEquals(sha256Now(r), r.inReleaseSha256(), r.suite() + "'s InRelease");
      assertTrue(
          r.keyFingerprint() != null && r.keyFingerprint().matches("[0-9A-F]{40}"), r.toString());
    }

    // The image's sources, as Debian writes them, and nothing for apt to upgrade with them.
    Path root =
        ItEnvironment.extract(current.artifacts().get(0).file(), temp.resolve("default-root"));
    String sources = Files.readString(root.resolve("etc/apt/sources.list.d/debian.sources"));
    assertTrue(
        sources.contains("URIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n"),
        sources);
    String security =
        Files.readString(root.resolve("etc/apt/sources.list.d/debian-security.sources"));
    assertTrue(
        security.contains(
            "URIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"),
        security);
    String upgrade = simulatedUpgrade(root);
    assertTrue(upgrade.contains("0 upgraded, 0 newly installed, 0 to remove"), upgrade);
    assertFalse(upgrade.lines().anyMatch(l -> l.startsWith("Inst ")), upgrade);

    // Switched off: bookworm alone, in the manifest and in the image's sources.
    Manifest bookwormOnly = manifest(plain);
    assertEquals(
        List.of("debian bookworm"),
        bookwormOnly.repositories().stream().map(r -> r.name() + " " + r.suite()).toList());
    Path plainRoot =
        ItEnvironment.extract(plain.artifacts().get(0).file(), temp.resolve("plain-root"));
    assertEquals(
        List.of("debian.sources"),
        Files.list(plainRoot.resolve("etc/apt/sources.list.d"))
            .map(p -> p.getFileName().toString())
            .toList());
    assertTrue(
        Files.readString(plainRoot.resolve("etc/apt/sources.list.d/debian.sources"))
            .contains("Suites: bookworm\n"));

    // What the suites changed: exactly the packages the default image took from them.
    Map<String, String> before = versions(bookwormOnly);
    Map<String, String> after = versions(withSuites);
    Map<String, String> changed = new TreeMap<>();
    after.forEach(
        (name, version) -> {
          if (!version.equals(before.get(name))) {
            changed.put(name, before.get(name) + " -> " + version);
          }
        });
    List<String> fromTheSuites =
        withSuites.packages().stream()
            .filter(p -> !"debian".equals(p.repository()))
            .map(ManifestPackage::name)
            .sorted()
            .toList();
    System.out.println(
        "bookworm minbase: "
            + after.size()
            + " packages, "
            + changed.size()
            + " newer than bookworm's alone:\n  "
            + changed.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n  ")));
    assertEquals(fromTheSuites, List.copyOf(changed.keySet()), "changed: " + changed);
  }

  private static Map<String, String> versions(Manifest m) {
    Map<String, String> out = new TreeMap<>();
    for (ManifestPackage p : m.packages()) {
      out.put(p.name(), p.version());
    }
    return out;
  }
}
