package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.samples.testing.TarListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hooks from the command line: a bookworm minbase amd64 tarball built with one {@code --hook} and
 * one {@code --network-hook} that both try to reach the Debian archive from inside the image and
 * leave a mark saying whether they could. Only the network hook gets through; the plain hook, like
 * every maintainer script, sees loopback alone.
 */
class NetworkHookIT {
  /** Leaves /var/local/NAME-connected or /var/local/NAME-refused in the image. */
  private static String probe(String name) {
    return "perl -MIO::Socket::INET -e 'exit(IO::Socket::INET->new("
        + "PeerAddr => \"deb.debian.org:80\", Timeout => 20) ? 0 : 1)'"
        + " && touch /var/local/"
        + name
        + "-connected || touch /var/local/"
        + name
        + "-refused";
  }

  @Test
  void onlyTheNetworkHookReachesTheNetwork() throws Exception {
    Path work = ItBuilds.freshWorkDir("network-hook");
    Path out = work.resolve("out");
    Path log = work.resolve("build.log");
    Process p =
        ItBuilds.startCli(
            log,
            "build",
            "--series=bookworm",
            "--variant=minbase",
            "--format=tar",
            "--cache=" + work.resolve("cache"),
            "--out=" + out,
            "--hook",
            "after-packages=" + probe("plain"),
            "--network-hook",
            "after-packages=" + probe("network"));
    assertEquals(0, ItBuilds.await(p, 15), ItBuilds.tail(log, 40));

    Path tarball;
    try (Stream<Path> files = Files.list(out)) {
      List<Path> tars = files.filter(f -> f.toString().endsWith(".tar")).toList();
      assertEquals(1, tars.size(), "one tarball in " + out + ": " + tars);
      tarball = tars.get(0);
    }
    Set<String> marks = new TreeSet<>();
    for (String entry : TarListing.of(tarball).keySet()) {
      if (entry.matches("(\\./)?var/local/(plain|network)-.*")) {
        marks.add(entry.replaceFirst("^(\\./)?var/local/", ""));
      }
    }
    assertEquals(Set.of("network-connected", "plain-refused"), marks, ItBuilds.tail(log, 40));
    ItBuilds.deleteTree(work);
  }
}
