package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes a small APT repository into a directory, the way dak lays one out: Packages indexes per
 * component and architecture (plain, .gz, .xz), a Release listing their sizes and SHA256, an
 * InRelease and a Release.gpg signed by a {@link ArchiveKey}.
 */
public final class TestRepository {

  private final Path root;
  private final String suite;
  private final String codename;
  private final Map<String, StringBuilder> packages = new LinkedHashMap<>();
  private final List<String> compressions = new ArrayList<>(List.of("", ".gz", ".xz"));
  private String extraReleaseFields = "";

  public TestRepository(Path root, String suite, String codename) {
    this.root = root;
    this.suite = suite;
    this.codename = codename;
  }

  /** Adds a package stanza (without trailing blank line) to {@code component/binary-arch}. */
  public TestRepository add(String component, String arch, String stanza) {
    StringBuilder sb =
        packages.computeIfAbsent(component + "/binary-" + arch, k -> new StringBuilder());
    if (sb.length() > 0) {
      sb.append('\n');
    }
    sb.append(stanza.endsWith("\n") ? stanza : stanza + "\n");
    return this;
  }

  /** A minimal package stanza with a fake .deb hash. */
  public static String stanza(String name, String version, String arch, String... extraFields) {
    StringBuilder sb = new StringBuilder();
    sb.append("Package: ")
        .append(name)
        .append('\n')
        .append("Version: ")
        .append(version)
        .append('\n')
        .append("Architecture: ")
        .append(arch)
        .append('\n');
    for (String f : extraFields) {
      sb.append(f).append('\n');
    }
    sb.append("Filename: pool/main/")
        .append(name.charAt(0))
        .append('/')
        .append(name)
        .append('/')
        .append(name)
        .append('_')
        .append(version.replace(':', '%'))
        .append('_')
        .append(arch)
        .append(".deb\n")
        .append("Size: 1234\n")
        .append("SHA256: ")
        .append(sha256((name + version).getBytes(StandardCharsets.UTF_8)))
        .append('\n');
    return sb.toString();
  }

  /** Which index compressions to write ("" is plain, ".gz", ".xz"). */
  public TestRepository compressions(String... kinds) {
    compressions.clear();
    compressions.addAll(List.of(kinds));
    return this;
  }

  /** Extra lines for the Release, e.g. {@code Valid-Until: ...}. */
  public TestRepository releaseFields(String lines) {
    extraReleaseFields = lines.endsWith("\n") ? lines : lines + "\n";
    return this;
  }

  /**
   * Writes indexes and Release; signs with {@code key} unless it is null. Returns the Release text.
   */
  public String write(ArchiveKey key) throws IOException {
    Path dists = root.resolve("dists").resolve(suite);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, StringBuilder> e : packages.entrySet()) {
      byte[] plain = e.getValue().toString().getBytes(StandardCharsets.UTF_8);
      for (String c : compressions) {
        files.put(e.getKey() + "/Packages" + c, compress(c, plain));
      }
    }
    StringBuilder release =
        new StringBuilder()
            .append("Origin: Test\nLabel: Test\nSuite: ")
            .append(suite)
            .append('\n')
            .append("Codename: ")
            .append(codename)
            .append('\n')
            .append("Date: Sat, 10 Jun 2023 08:54:40 UTC\n")
            .append("Architectures: ")
            .append(String.join(" ", archs()))
            .append('\n')
            .append("Components: ")
            .append(String.join(" ", components()))
            .append('\n')
            .append("Description: a test repository\n")
            .append(extraReleaseFields)
            .append("SHA256:\n");
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      release
          .append(' ')
          .append(sha256(f.getValue()))
          .append(' ')
          .append(String.format("%8d", f.getValue().length))
          .append(' ')
          .append(f.getKey())
          .append('\n');
      Path p = dists.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, f.getValue());
    }
    Files.createDirectories(dists);
    byte[] releaseBytes = release.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(dists.resolve("Release"), releaseBytes);
    Path alias = root.resolve("dists").resolve(codename);
    if (!codename.equals(suite) && !Files.exists(alias, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // Like the Debian archive: dists/<codename> is a link to dists/<suite>.
      Files.createSymbolicLink(alias, Path.of(suite));
    }
    if (key != null) {
      Files.write(dists.resolve("InRelease"), key.clearsign(release.toString()));
      Files.write(dists.resolve("Release.gpg"), key.detachedSignature(releaseBytes));
    }
    return release.toString();
  }

  /** The directory of {@code dists/<suite>}. */
  public Path dists() {
    return root.resolve("dists").resolve(suite);
  }

  private List<String> archs() {
    return packages.keySet().stream()
        .map(k -> k.substring(k.indexOf("/binary-") + 8))
        .distinct()
        .toList();
  }

  private List<String> components() {
    return packages.keySet().stream()
        .map(k -> k.substring(0, k.indexOf("/binary-")))
        .distinct()
        .toList();
  }

  private static byte[] compress(String kind, byte[] plain) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      OutputStream out =
          switch (kind) {
            case ".gz" -> new GZIPOutputStream(bytes);
            case ".xz" -> new XZOutputStream(bytes, new LZMA2Options());
            default -> bytes;
          };
      try (out) {
        out.write(plain);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
