package io.imagebuilder.samples.testing;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.manifest.api.BuildInfo;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.api.StageInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Small real images for the index commands' unit tests: a rootfs tarball (tar.gz) holding only a
 * dpkg status file and the embedded manifest, its complete manifest, and an index to record it in.
 */
public final class IndexFixture {
  /** One image made by {@link #image}. */
  public record Image(ImageSpec spec, Path file, String sha256, Manifest manifest) {}

  private IndexFixture() {}

  public static ImageSpec spec(String hostname, String... packages) {
    ImageSpec.Builder b =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .hostname(hostname)
            .sourceDateEpoch(1_700_000_000L);
    for (String p : packages) {
      b.addPackage(p);
    }
    return b.build();
  }

  /**
   * Writes {@code dir/name} (a tar.gz) for {@code spec}, with base-files, libc6 and, when {@code
   * withSsh}, openssh-server installed. Not recorded anywhere.
   */
  public static Image image(Path dir, String name, ImageSpec spec, boolean withSsh)
      throws IOException {
    Path rootfs = Files.createDirectories(dir.resolve(name + ".rootfs"));
    Files.createDirectories(rootfs.resolve("var/lib/dpkg"));
    Files.writeString(
        rootfs.resolve("var/lib/dpkg/status"), status(withSsh), StandardCharsets.UTF_8);
    BuildInfo build =
        new BuildInfo(
            "0.1.0-test",
            "native",
            "amd64",
            1_700_000_000L,
            List.of(new StageInfo("manifest.embed", sha256("stage " + name), 5L)));
    Manifest base = Manifests.fromRootfs(spec, rootfs, List.of(), Map.of(), build);
    Path file = dir.resolve(name);
    writeTarball(
        file,
        Map.of(
            "var/lib/dpkg/status", status(withSsh),
            "usr/share/imagebuilder/manifest.json", base.embeddedCopy().toJson()));
    String sha256 = sha256(Files.readAllBytes(file));
    Manifest complete =
        base.withArtifacts(
            List.of(new ManifestArtifact(name, "tar.gz", Files.size(file), sha256, List.of())));
    return new Image(spec, file, sha256, complete);
  }

  /** Records the images in the index {@code cacheDir/index.db}, creating it. */
  public static void record(Path cacheDir, Image... images) throws Exception {
    try (ImageIndex index = ImageIndex.open(ImageIndex.fileIn(cacheDir))) {
      for (Image image : images) {
        index.record(image.manifest());
      }
    }
  }

  /** A tar.gz of regular files, in the order of their sorted names. */
  public static void writeTarball(Path file, Map<String, String> files) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(raw);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String name : files.keySet().stream().sorted().toList()) {
        byte[] bytes = files.get(name).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("./" + name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
  }

  private static String status(boolean withSsh) {
    String s =
        record("base-files", "12.4+deb12u5", "amd64", "foreign")
            + record("libc6", "2.36-9+deb12u4", "amd64", "same");
    return withSsh ? s + record("openssh-server", "1:9.2p1-2+deb12u2", "amd64", "foreign") : s;
  }

  private static String record(String name, String version, String arch, String multiArch) {
    return "Package: "
        + name
        + "\nStatus: install ok installed\nArchitecture: "
        + arch
        + "\nMulti-Arch: "
        + multiArch
        + "\nVersion: "
        + version
        + "\n\n";
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
