package io.imagebuilder.samples.cli;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.UserAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI prints on stdout after a successful build: for each artifact its path, format, size
 * and sha256, then what the image is (architecture, series, board) and how it was made (spec hash,
 * executor, manifest). One {@code Key: value} per line, so scripts can grep it; for a board's raw
 * disk image, a last line says how to boot it in qemu.
 */
final class Summary {
  private static final int KEY_WIDTH = "Architecture: ".length();

  private Summary() {}

  static List<String> lines(BuildResult result) {
    List<String> out = new ArrayList<>();
    for (Artifact a : result.artifacts()) {
      out.add(line("Output", display(a.file())));
      out.add(line("Format", a.format().extension()));
      out.add(line("Size", Sizes.human(a.size())));
      out.add(line("sha256", a.sha256()));
    }
    if (result.artifacts().isEmpty()) {
      out.add(line("Output", "(no artifacts)"));
    }
    ImageSpec spec = result.spec();
    out.add(line("Architecture", spec.architecture().debianName()));
    out.add(line("Series", spec.seriesRef().toString()));
    if (spec.board() != null) {
      out.add(line("Board", spec.board()));
    }
    out.add(line("Spec hash", result.specHash()));
    out.add(
        line(
            "Executor",
            result.executor()
                + (System.getenv(UserNamespaceRelaunch.MARK) != null
                    ? " (rootless: in a user namespace with the caller's subordinate range)"
                    : "")));
    result.manifest().ifPresent(m -> out.add(line("Manifest", display(m))));
    launchLine(result).ifPresent(out::add);
    return out;
  }

  /** The host port the launch line forwards to the image's SSH port. */
  static final int SSH_HOST_PORT = 2222;

  /**
   * How to boot the raw disk image in qemu, from the board's qemu hints (the last line). When the
   * image has openssh-server the command forwards host port {@value #SSH_HOST_PORT} to the image's
   * port 22, and a shell comment after it (harmless when pasted) says how to log in.
   */
  static Optional<String> launchLine(BuildResult result) {
    ImageSpec spec = result.spec();
    if (spec.board() == null) {
      return Optional.empty();
    }
    boolean ssh = spec.packages().contains("openssh-server");
    String login =
        spec.users().stream()
            .filter(u -> !u.sshAuthorizedKeys().isEmpty())
            .map(UserAccount::name)
            .findFirst()
            .orElse("USER");
    return result
        .artifact(OutputFormat.RAW)
        .flatMap(
            raw ->
                Boards.lookup(spec.board())
                    .flatMap(b -> b.launchCommand(raw.file(), ssh ? SSH_HOST_PORT : 0)))
        .map(
            command ->
                "Launch by running: "
                    + command
                    + (ssh
                        ? "  # host port "
                            + SSH_HOST_PORT
                            + " forwards to the image's SSH port 22: ssh -p "
                            + SSH_HOST_PORT
                            + " "
                            + login
                            + "@localhost"
                        : ""));
  }

  static String format(BuildResult result) {
    return String.join(System.lineSeparator(), lines(result)) + System.lineSeparator();
  }

  private static String line(String key, String value) {
    return String.format("%-" + KEY_WIDTH + "s%s", key + ":", value);
  }

  /** Relative to the working directory when the file is under it, else absolute. */
  private static String display(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd)
        ? cwd.relativize(abs).toString()
        : abs.toString();
  }
}
