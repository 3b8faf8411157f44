package io.imagebuilder.rootfs.internal.stages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The apt command lines the installer's tests expect. */
final class AptCommands {
  private AptCommands() {}

  /** {@code apt-get install} as the installer runs it, then {@code rest}. */
  static List<String> aptInstall(String... rest) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "apt-get",
                "install",
                "--yes",
                "--no-install-recommends",
                "-o",
                "Dpkg::Options::=--force-unsafe-io"));
    argv.addAll(Arrays.asList(rest));
    return argv;
  }
}
