package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The merged-/usr layout ({@code /bin -> usr/bin} and friends), made before unpacking as
 * debootstrap and mmdebstrap do: Debian since bookworm and Ubuntu since 21.04 require it, and
 * packages that ship files in /bin must land in /usr/bin.
 */
final class MergedUsr {
  private static final List<String> UNMERGED_SERIES = List.of("buster", "bionic");

  private MergedUsr() {}

  static boolean applies(Series series) {
    return !UNMERGED_SERIES.contains(series.codename());
  }

  /** The top-level directories that become links into /usr for {@code arch}. */
  static List<String> directories(Architecture arch) {
    List<String> dirs = new ArrayList<>(List.of("bin", "sbin", "lib"));
    switch (arch) {
      case AMD64, PPC64EL, S390X -> dirs.add("lib64"); // their dynamic loaders live in /lib64
      default -> {}
    }
    return dirs;
  }

  static void create(Path rootfs, Architecture arch) throws IOException {
    for (String dir : directories(arch)) {
      Files.createDirectories(rootfs.resolve("usr").resolve(dir));
      Files.createSymbolicLink(rootfs.resolve(dir), Path.of("usr", dir));
    }
  }
}
