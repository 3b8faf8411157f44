package io.imagebuilder.samples.cli;

import io.imagebuilder.api.BuildCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagebuilder cache usage|gc}: what the build cache holds, and eviction by hand. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description =
        "Shows what the build cache holds (usage) or removes least recently used entries "
            + "until it fits a size (gc). Builds keep the cache under 20GiB themselves "
            + "(-Dimagebuilder.cache.maxBytes).",
    footerHeading = "%nExamples:%n",
    footer = {"  imagebuilder cache usage", "  imagebuilder cache gc --max-size 5GiB"})
final class CacheCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ACTION", description = "usage or gc.")
  String action;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "The cache directory (default: ~/.cache/imagebuilder, or $XDG_CACHE_HOME/imagebuilder).")
  Path cache;

  @Option(
      names = "--max-size",
      paramLabel = "SIZE",
      description =
          "With gc: the size to fit, e.g. 5GiB, 500MiB or 0 (default: the builds' cap, 20GiB).")
  String maxSize;

  @Override
  public Integer call() throws IOException {
    BuildCache c = cache == null ? BuildCache.atDefault() : BuildCache.at(cache);
    PrintWriter out = spec.commandLine().getOut();
    switch (action) {
      case "usage" -> {
        List<BuildCache.Area> areas = c.usage();
        out.println("Cache: " + c.dir());
        long total = 0;
        for (BuildCache.Area a : areas) {
          out.printf(
              Locale.ROOT,
              "  %-10s %8s in %d entries%n",
              a.name(),
              Sizes.human(a.bytes()),
              a.entries());
          total += a.bytes();
        }
        out.println("  total      " + Sizes.human(total));
      }
      case "gc" -> {
        long cap = maxSize == null ? BuildCache.configuredMaxBytes() : parseSize(maxSize);
        BuildCache.Collection done = c.collect(cap);
        if (done.skipped()) {
          spec.commandLine()
              .getErr()
              .println(
                  "imagebuilder: a build is using "
                      + c.dir()
                      + "; nothing removed (try again when it ends)");
          return ExitCodes.FAILED;
        }
        out.println(
            "Removed "
                + done.removedEntries()
                + " entries ("
                + Sizes.human(done.freedBytes())
                + "); "
                + Sizes.human(done.bytesLeft())
                + " left in "
                + c.dir());
      }
      default ->
          throw new ParameterException(
              spec.commandLine(), "invalid action '" + action + "' (expected usage or gc)");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private long parseSize(String value) {
    var m =
        java.util.regex.Pattern.compile("([0-9]{1,12})(KiB|MiB|GiB|TiB)?").matcher(value.strip());
    if (!m.matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "invalid --max-size '" + value + "' (expected a size such as 500MiB, 5GiB or 0)");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2)) {
              case "KiB" -> 10;
              case "MiB" -> 20;
              case "GiB" -> 30;
              default -> 40;
            };
    return n << shift;
  }
}
