package io.imagebuilder.manifest.testing;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.manifest.api.BuildInfo;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.ManifestPartition;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.api.StageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A hand-written rootfs and the facts a bootstrap would have recorded about it. */
public final class Fixtures {
  public static final String DEB_SHA_BASE_FILES = sha("base-files_12.4+deb12u5_amd64.deb");
  public static final String DEB_SHA_LIBC6 = sha("libc6_2.36-9+deb12u4_amd64.deb");
  public static final String DEB_SHA_OPENSSH = sha("openssh-server_9.2p1-2+deb12u2_amd64.deb");
  public static final String INRELEASE_SHA = sha("InRelease of bookworm");

  /** Six records: five installed (one of them Multi-Arch: same twice), one only config-files. */
  public static final String STATUS =
      String.join(
          "\n",
          "Package: tzdata",
          "Status: install ok installed",
          "Priority: required",
          "Architecture: all",
          "Multi-Arch: foreign",
          "Version: 2024a-0+deb12u1",
          "Description: time zone and daylight-saving time data",
          " This package contains data required for the implementation of",
          " standard local time for many representative locations.",
          "",
          "Package: base-files",
          "Essential: yes",
          "Status: install ok installed",
          "Architecture: amd64",
          "Multi-Arch: foreign",
          "Version: 12.4+deb12u5",
          "Conffiles:",
          " /etc/debian_version 3a4c2b0a9c4d2f1b5a3e8b1c2d3e4f50",
          "",
          "Package: libc6",
          "Status: install ok installed",
          "Architecture: amd64",
          "Multi-Arch: same",
          "Source: glibc",
          "Version: 2.36-9+deb12u4",
          "",
          "Package: libc6",
          "Status: install ok installed",
          "Architecture: i386",
          "Multi-Arch: same",
          "Source: glibc",
          "Version: 2.36-9+deb12u4",
          "",
          "Package: libssl3",
          "Status: install ok installed",
          "Architecture: amd64",
          "Multi-Arch: same",
          "Source: openssl (3.0.11-1~deb12u2)",
          "Version: 3.0.11-1~deb12u2+b1",
          "",
          "Package: old-tool",
          "Status: deinstall ok config-files",
          "Architecture: amd64",
          "Version: 1.0-1",
          "",
          "Package: openssh-server",
          "Status: install ok installed",
          "Architecture: amd64",
          "Multi-Arch: foreign",
          "Source: openssh",
          "Version: 1:9.2p1-2+deb12u2",
          "");

  private Fixtures() {}

  public static ImageSpec spec() {
    return ImageSpec.builder("bookworm")
        .architecture(Architecture.AMD64)
        .addPackage("openssh-server")
        .sourceDateEpoch(1_700_000_000L)
        .build();
  }

  public static ImageSpec otherSpec() {
    return ImageSpec.builder("bookworm").architecture(Architecture.AMD64).hostname("other").build();
  }

  /** A root filesystem with {@link #STATUS} as its dpkg database. */
  public static Path rootfs(Path dir) throws IOException {
    return rootfs(dir, STATUS);
  }

  public static Path rootfs(Path dir, String status) throws IOException {
    Path db = dir.resolve("var/lib/dpkg");
    Files.createDirectories(db);
    Files.writeString(db.resolve("status"), status, StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("usr/share/doc"));
    Files.writeString(dir.resolve("etc-hostname"), "debian\n");
    return dir;
  }

  public static List<UsedRepository> repositories() {
    return List.of(
        new UsedRepository(
            "debian",
            "http://deb.debian.org/debian",
            "bookworm",
            List.of("main"),
            "4CB50190207B4758A3F73A796ED0E7B82643E131",
            INRELEASE_SHA,
            "Sat, 11 Nov 2023 09:45:12 UTC"));
  }

  /** Origins of three packages; tzdata's names another version than the installed one. */
  public static Map<String, PackageOrigin> origins() {
    return Map.of(
        "base-files",
            new PackageOrigin("base-files", "12.4+deb12u5", "amd64", DEB_SHA_BASE_FILES, "debian"),
        "libc6", new PackageOrigin("libc6", "2.36-9+deb12u4", "amd64", DEB_SHA_LIBC6, "debian"),
        "openssh-server",
            new PackageOrigin(
                "openssh-server", "1:9.2p1-2+deb12u2", "amd64", DEB_SHA_OPENSSH, "debian"),
        "tzdata",
            new PackageOrigin("tzdata", "2023c-5", "all", sha("tzdata_2023c-5_all.deb"), "debian"));
  }

  public static BuildInfo build() {
    return new BuildInfo(
        "0.1.0-test",
        "native",
        "amd64",
        1_700_000_000L,
        List.of(
            new StageInfo(
                "rootfs.bootstrap", sha("stage 1"), 12_000L, "logs/01-rootfs.bootstrap.log"),
            new StageInfo("manifest.embed", sha("stage 2"), 40L)));
  }

  /**
   * The manifest of {@link #rootfs} with one artifact named {@code name} whose bytes are {@code
   * content}.
   */
  public static Manifest manifest(Path rootfsDir, ImageSpec spec, String name, String content)
      throws IOException {
    Manifest m = Manifests.fromRootfs(spec, rootfsDir, repositories(), origins(), build());
    return m.withArtifacts(
        List.of(new ManifestArtifact(name, "tar.zst", content.length(), sha(content), List.of())));
  }

  /**
   * A disk image manifest with two partitions whose hashes are of {@code name + "/p1"}, {@code
   * "/p2"}.
   */
  public static Manifest diskManifest(Path rootfsDir, ImageSpec spec, String name)
      throws IOException {
    Manifest m = Manifests.fromRootfs(spec, rootfsDir, repositories(), origins(), build());
    return m.withArtifacts(
        List.of(
            new ManifestArtifact(
                name,
                "img",
                4096,
                sha(name),
                List.of(
                    new ManifestPartition(
                        1,
                        "boot",
                        "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
                        "vfat",
                        1_048_576,
                        1024,
                        sha(name + "/p1")),
                    new ManifestPartition(
                        2, "rootfs", null, "ext4", 2_097_152, 2048, sha(name + "/p2"))))));
  }

  public static String sha(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
