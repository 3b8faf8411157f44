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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagebuilder manifest}: the manifest of an image file. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the manifest (JSON) of an image file: the complete one from the image index when "
          + "the file's sha256 is there, else the copy embedded in the image (which has no "
          + "artifacts, as an image cannot hold its own hash)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:found",
      "1:no manifest found, or the index or the image cannot be read",
      "2:usage error"
    })
final class ManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexOption index;

  @Parameters(
      index = "0",
      paramLabel = "IMAGE",
      description = "An image file: a rootfs tarball or a disk image.")
  Path image;

  @Override
  public Integer call() throws ImageBuildException {
    if (!Files.isRegularFile(image)) {
      throw new IllegalArgumentException(
          "invalid image '" + image + "' (expected an existing image file)");
    }
    PrintWriter err = spec.commandLine().getErr();
    Optional<Identification> found = ImageLookup.identify(index, image);
    if (found.isEmpty()) {
      err.println("imagebuilder: " + ImageLookup.notFound(index, image));
      err.flush();
      return ExitCodes.FAILED;
    }
    err.println(ImageLookup.describe(found.get(), index, image.toString()));
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    out.print(LookupCommand.withNewline(found.get().manifest().toJson()));
    out.flush();
    return ExitCodes.OK;
  }
}
