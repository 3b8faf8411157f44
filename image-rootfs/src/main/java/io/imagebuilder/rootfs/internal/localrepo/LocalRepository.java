package io.imagebuilder.rootfs.internal.localrepo;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an apt repository of local .deb files into a directory: {@code pool/}, {@code
 * dists/<suite>/main/binary-<arch>/Packages}, a Release listing its SHA256, and an InRelease signed
 * with an {@link ArchiveKey}. Generated in Java, so no dpkg-scanpackages is needed.
 */
public final class LocalRepository {
  public static final String SUITE = "local";
  public static final String COMPONENT = "main";

  private LocalRepository() {}

  /**
   * Writes the repository for {@code debs} (architecture {@code arch} and {@code all}) into {@code
   * root}, which must not exist yet: everything below it is then made here, so no link planted
   * beforehand (say by a base image) can redirect a write.
   *
   * @param date the Release's Date (SOURCE_DATE_EPOCH, for reproducible output)
   */
  public static void write(
      Path root, List<Path> debs, String arch, ArchiveKey key, java.time.Instant date)
      throws ImageBuildException {
    try {
      TreeMap<String, String> stanzas = new TreeMap<>();
      Map<String, Path> sources = new HashMap<>();
      Files.createDirectories(root.getParent());
      Files.createDirectory(root);
      Path pool = Files.createDirectory(root.resolve("pool")).toAbsolutePath().normalize();
      for (Path deb : debs) {
        DebFile file = DebFile.open(deb);
        String name = LocalPackageFields.poolName(file);
        String debArch = file.architecture();
        if (!debArch.equals(arch) && !debArch.equals("all")) {
          throw new ImageBuildException(
              "local package " + deb + " is for " + debArch + " (expected " + arch + " or all)");
        }
        Path target = pool.resolve(name).normalize();
        if (!pool.equals(target.getParent())) { // poolName allows no separator; this is the proof
          throw new ImageBuildException(
              "local package " + deb + " would be written outside the repository as " + target);
        }
        if (stanzas.containsKey(name)) {
          throw new ImageBuildException(
              "local packages "
                  + sources.get(name)
                  + " and "
                  + deb
                  + " are both "
                  + name
                  + " (expected each package version once)");
        }
        sources.put(name, deb);
        Files.copy(deb, target, StandardCopyOption.REPLACE_EXISTING);
        stanzas.put(name, stanza(file, "pool/" + name, Files.size(target), sha256(target)));
      }
      byte[] packages = String.join("\n", stanzas.values()).getBytes(StandardCharsets.UTF_8);
      String index = COMPONENT + "/binary-" + arch + "/Packages";
      Path dists = root.resolve("dists").resolve(SUITE);
      Files.createDirectories(dists.resolve(index).getParent());
      Files.write(dists.resolve(index), packages);
      String release = release(arch, date, index, packages);
      Files.writeString(dists.resolve("Release"), release);
      Files.write(dists.resolve("InRelease"), key.clearsign(release));
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the local repository in " + root + ": " + e.getMessage(), e);
    }
  }

  /** The package's control fields, then where the file is and its size and hash. */
  static String stanza(DebFile deb, String filename, long size, String sha256) {
    String control = deb.controlText().strip();
    return control + "\nFilename: " + filename + "\nSize: " + size + "\nSHA256: " + sha256 + "\n";
  }

  static String release(String arch, java.time.Instant date, String index, byte[] packages) {
    return "Origin: ImageBuilder\n"
        + "Label: local packages\n"
        + "Suite: "
        + SUITE
        + "\n"
        + "Codename: "
        + SUITE
        + "\n"
        + "Date: "
        + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            date.atZone(java.time.ZoneOffset.UTC))
        + "\n"
        + "Architectures: "
        + arch
        + "\n"
        + "Components: "
        + COMPONENT
        + "\n"
        + "SHA256:\n"
        + " "
        + sha256(packages)
        + " "
        + packages.length
        + " "
        + index
        + "\n";
  }

  /** Streamed, so a large package is never held in memory. */
  private static String sha256(Path file) throws IOException {
    return Sha256.ofFile(file);
  }

  static String sha256(byte[] data) {
    return Sha256.of(data);
  }
}
