package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.IndexedImage;
import io.imagebuilder.manifest.api.PackageMatch;
import io.imagebuilder.manifest.api.PackageQuery;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imagebuilder images --package NAME[=VERSION]}: the indexed images that contain a package.
 */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lists the images in the image index that contain a package (at a version, if given), one "
          + "per line: sha256, file, package version, architecture, spec hash, when it was built."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  imagebuilder images --package openssh-server",
      "  imagebuilder images --package libc6=2.36-9+deb12u10"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:at least one image found",
      "1:none found, or the index cannot be read",
      "2:usage error"
    })
final class ImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexOption index;

  @Option(
      names = {"-p", "--package"},
      paramLabel = "NAME[=VERSION]",
      required = true,
      description = "The package, optionally at an exact version (with its epoch, if any).")
  String packageQuery;

  @Override
  public Integer call() throws ImageBuildException {
    PackageQuery query = PackageQuery.parse(packageQuery);
    List<PackageMatch> matches = List.of();
    Optional<ImageIndex> opened = index.openIfExists();
    if (opened.isPresent()) {
      try (ImageIndex idx = opened.get()) {
        matches = idx.imagesWithPackage(query);
      }
    }
    if (matches.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("imagebuilder: no image contains " + query + " " + index.where());
      err.flush();
      return ExitCodes.FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    lines(matches).forEach(out::println);
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code sha256 file version arch spec-hash created}, columns aligned. */
  static List<String> lines(List<PackageMatch> matches) {
    int fileWidth = matches.stream().mapToInt(m -> m.image().file().length()).max().orElse(0);
    int versionWidth = matches.stream().mapToInt(m -> m.version().length()).max().orElse(0);
    int archWidth = matches.stream().mapToInt(m -> m.architecture().length()).max().orElse(0);
    return matches.stream()
        .map(
            m -> {
              IndexedImage i = m.image();
              return String.format(
                  "%s  %-" + fileWidth + "s  %-" + versionWidth + "s  %-" + archWidth + "s  %s  %s",
                  i.sha256(),
                  i.file(),
                  m.version(),
                  m.architecture(),
                  i.specHash(),
                  i.createdAt().truncatedTo(ChronoUnit.SECONDS));
            })
        .toList();
  }
}
