package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.rootfs.testing.ItEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link AptListNames} with the host's apt: {@code apt-get update --print-uris} prints the
 * URI and the list file name of everything it would fetch for a sources.list of tricky entries,
 * without fetching anything.
 */
class AptListNamesAptIT {
  /** One-line entries: URI and suite, each a word that apt %-decodes. */
  private static final List<String[]> ENTRIES =
      List.of(
          new String[] {"http://deb.debian.org/debian", "bookworm"},
          new String[] {"http://127.0.0.1:8080/repo_x/~me/", "my~suite+1"},
          new String[] {"http://user:p%40ss@host.example:080/a%20b", "local"},
          new String[] {"file:/var/lib/imagebuilder/local-repository", "local"},
          new String[] {"file:///srv/repo", "stable"},
          new String[] {"http://[::1]:8080/debian", "bookworm"},
          new String[] {"https://ppa.launchpadcontent.net/owner/ppa~x/ubuntu", "noble"},
          new String[] {"http://host.example/a=b!c@d$f^g&h*i{j}k|l", "s_1"},
          new String[] {"http://host.example/x/", "./"});

  @TempDir Path dir;

  @Test
  void namesEveryFileAsAptDoes() throws Exception {
    StringBuilder sources = new StringBuilder();
    Map<String, String> expected = new TreeMap<>();
    for (String[] e : ENTRIES) {
      boolean flat = e[1].endsWith("/");
      sources
          .append("deb [trusted=yes] ")
          .append(e[0])
          .append(' ')
          .append(e[1])
          .append(flat ? "\n" : " main\n");
      String archive = AptListNames.archiveUri(AptListNames.unescape(e[0]));
      String release = AptListNames.releaseUri(archive, e[1], "InRelease");
      expected.put(release, AptListNames.fileName(release));
      for (String arch : List.of("arm64", "all")) {
        String index =
            AptListNames.indexUri(
                archive, e[1], flat ? "Packages" : "main/binary-" + arch + "/Packages");
        expected.put(index + ".xz", AptListNames.fileName(index));
      }
    }
    Path list = Files.writeString(dir.resolve("sources.list"), sources);
    Files.createDirectories(dir.resolve("lists/partial"));
    Files.createDirectories(dir.resolve("parts"));
    String out =
        ItEnvironment.host(
            List.of(
                "apt-get",
                "-o",
                "Dir::Etc::sourcelist=" + list,
                "-o",
                "Dir::Etc::sourceparts=" + dir.resolve("parts"),
                "-o",
                "Dir::State::lists=" + dir.resolve("lists"),
                "-o",
                "Dir::Cache=" + dir.resolve("cache"),
                "-o",
                "APT::Architecture=arm64",
                "-o",
                "APT::Architectures::=arm64",
                "-o",
                "Acquire::Languages=none",
                "-o",
                "Debug::NoLocking=1",
                "-o",
                "Acquire::IndexTargets::deb::Packages::CompressionTypes=xz",
                "update",
                "--print-uris"));
    Map<String, String> printed = new TreeMap<>();
    for (String line : out.split("\n")) {
      int end = line.indexOf("' ");
      if (line.startsWith("'") && end > 0) {
        printed.put(line.substring(1, end), line.substring(end + 2).split(" ")[0]);
      }
    }
    List<String> missing = new ArrayList<>(expected.keySet());
    missing.removeAll(printed.keySet());
    assertEquals(List.of(), missing, "URIs apt does not print; it printed:\n" + out);
    printed.keySet().retainAll(expected.keySet());
    assertEquals(expected, printed);
  }
}
