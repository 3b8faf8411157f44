package io.imagebuilder.samples.cli;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.manifest.api.Identification;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagebuilder lookup}: from an image (or a sha256) back to the spec that built it. */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the spec (ImageSpec JSON) that built an image, found by the sha256 of an artifact, "
          + "a partition or a spec in the image index, or by an image file: its sha256 in the "
          + "index, else the manifest embedded in it. Build it again with 'imagebuilder build --spec FILE'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  imagebuilder lookup out/debian-bookworm-amd64.tar.zst > spec.json",
      "  imagebuilder lookup SHA256 --manifest --cache /var/cache/imagebuilder"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:found",
      "1:not found, or the index or the image cannot be read",
      "2:usage error"
    })
final class LookupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexOption index;

  @Parameters(
      index = "0",
      paramLabel = "SHA256|FILE",
      description =
          "The sha256 of an artifact, partition or spec (64 hex digits), or an image file.")
  String image;

  @Option(names = "--manifest", description = "Print the whole manifest instead of the spec.")
  boolean manifest;

  @Override
  public Integer call() throws ImageBuildException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Identification> found = ImageLookup.resolve(index, image);
    if (found.isEmpty()) {
      boolean isFile = Files.isRegularFile(Path.of(image));
      err.println(
          "imagebuilder: "
              + (isFile
                  ? ImageLookup.notFound(index, Path.of(image))
                  : "sha256 " + image + " " + index.notIn()));
      err.flush();
      return ExitCodes.FAILED;
    }
    Identification id = found.get();
    err.println(ImageLookup.describe(id, index, image));
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    out.print(withNewline(manifest ? id.manifest().toJson() : id.manifest().toSpec().toJson()));
    out.flush();
    return ExitCodes.OK;
  }

  static String withNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }
}
