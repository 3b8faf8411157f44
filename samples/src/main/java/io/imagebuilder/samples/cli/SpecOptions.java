package io.imagebuilder.samples.cli;

import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.api.RequestPolicy;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What image to make, shared by {@code build} and {@code plan}: flags that mirror {@link
 * ImageBuilder}, or {@code --spec} (an ImageSpec JSON file), or {@code --request} (a list of CI
 * build requests). Values are handed to the API unchanged, so a bad one is reported with the API's
 * own message quoting it.
 */
public final class SpecOptions {
  static final String DEFAULT_SERIES = "bookworm";

  @Option(
      names = "--series",
      paramLabel = "SERIES",
      description =
          "Series, e.g. bookworm, trixie, sid, noble, jammy, or DISTRIBUTION/SERIES "
              + "such as debian/forky (default: "
              + DEFAULT_SERIES
              + ").")
  String series;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "Target Debian architecture, e.g. amd64, arm64, armhf (default: the board's, "
              + "else the host's).")
  String arch;

  @Option(
      names = "--board",
      paramLabel = "ID",
      description = "Make the image bootable on this board (see 'imagebuilder boards').")
  String board;

  @Option(
      names = "--variant",
      paramLabel = "VARIANT",
      description = "Bootstrap package set: essential, minbase (default) or standard.")
  String variant;

  @Option(
      names = {"-p", "--package"},
      paramLabel = "PKG",
      split = ",",
      description = "Package to install, NAME[:ARCH][=VERSION]; repeatable and comma-separated.")
  List<String> packages = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "PKG",
      split = ",",
      description = "Package to leave out of the image; repeatable and comma-separated.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--ppa",
      paramLabel = "PPA",
      description =
          "Launchpad PPA: ppa:OWNER/NAME (its key's fingerprint is asked of Launchpad's API, "
              + "like add-apt-repository), ppa:OWNER/NAME=FINGERPRINT (40 hex digits: the pinned key, "
              + "fetched from keyserver.ubuntu.com or $IMAGEBUILDER_KEYSERVER, checked and cached) or "
              + "ppa:OWNER/NAME=KEYFILE (its OpenPGP key); repeatable.")
  List<String> ppas = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "NAME=URI|SUITE|COMPONENTS|KEYFILE",
      description =
          "Extra apt repository; repeatable. COMPONENTS is comma-separated; KEYFILE "
              + "is the OpenPGP key its InRelease must verify against, or the word 'unsigned' to opt "
              + "in to an unsigned repository. Quote it for the shell (see the examples below).")
  List<String> repos = new ArrayList<>();

  @Option(
      names = "--local-deb",
      paramLabel = "FILE",
      description = "A local .deb served to the build from a side repository; repeatable.")
  List<Path> localDebs = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      split = ",",
      description =
          "Artifact format: tar.zst, tar.gz, tar.xz, tar, img (or raw), qcow2, img.xz, img.zst; "
              + "repeatable (default: img with a board, else tar.zst).")
  List<String> formats = new ArrayList<>();

  @Option(names = "--hostname", paramLabel = "NAME", description = "The image's host name.")
  String hostname;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description = "Archive mirror (default: the distribution's public mirror).")
  String mirror;

  @Option(
      names = "--no-updates",
      description = "Leave out the series' updates suite (bookworm-updates, noble-updates).")
  boolean noUpdates;

  @Option(
      names = "--no-security",
      description = "Leave out the series' security suite (bookworm-security, noble-security).")
  boolean noSecurity;

  @Option(
      names = "--source-date-epoch",
      paramLabel = "SECONDS",
      description = "Clamp every timestamp to this time (default: the Release file's Date).")
  Long sourceDateEpoch;

  @Option(
      names = "--lock",
      paramLabel = "FILE",
      description =
          "Install exactly the packages of this lock (the <image>.lock every build writes beside "
              + "its artifacts): each at its locked version and .deb sha256, from the package "
              + "cache or its repository; fails before any work naming every package it can no "
              + "longer obtain. Works with the flags or --spec; a --request names its own lock.")
  Path lockFile;

  @Option(
      names = "--root-free-space",
      paramLabel = "SIZE",
      description =
          "Free space left in a disk image's root filesystem, e.g. 2GiB (default: the board's).")
  String rootFreeSpace;

  @Option(
      names = "--grow-root",
      negatable = true,
      description =
          "Grow a disk image's root partition to fill the medium at first boot "
              + "(default: the board's; --no-grow-root to keep its size).")
  Boolean growRoot;

  /** The --hook and --network-hook values in the order given, which is the order they run in. */
  private final List<GivenHook> hooks = new ArrayList<>();

  private record GivenHook(String value, boolean network) {}

  @Option(
      names = "--hook",
      parameterConsumer = EachValue.class,
      paramLabel = "POINT=COMMAND",
      description =
          "Run COMMAND with /bin/sh -c inside the image at POINT: after-bootstrap, after-packages "
              + "or before-finalise; repeatable, run in the order given. It has no network "
              + "(see --network-hook).")
  void addHook(String value) {
    hooks.add(new GivenHook(value, false));
  }

  @Option(
      names = "--network-hook",
      parameterConsumer = EachValue.class,
      paramLabel = "POINT=COMMAND",
      description =
          "As --hook, but COMMAND may reach the network (to download with curl or apt, say); "
              + "everything else that runs inside the image after the downloads has only loopback.")
  void addNetworkHook(String value) {
    hooks.add(new GivenHook(value, true));
  }

  /**
   * Hands each --hook or --network-hook value to its method as it comes, so the two kinds keep the
   * order they were given in (picocli would otherwise refuse a single-valued option twice).
   */
  static final class EachValue implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(
        Stack<String> args,
        CommandLine.Model.ArgSpec option,
        CommandLine.Model.CommandSpec command) {
      if (args.isEmpty()) {
        throw new CommandLine.ParameterException(
            command.commandLine(),
            "missing value of "
                + ((CommandLine.Model.OptionSpec) option).longestName()
                + " (expected POINT=COMMAND)");
      }
      option.setValue(args.pop());
    }
  }

  @Option(
      names = "--spec",
      paramLabel = "FILE.json",
      description = "Build the ImageSpec in this JSON file instead of the flags above.")
  Path specFile;

  @Option(
      names = "--request",
      paramLabel = "FILE.json",
      description =
          "Build each CI request in this JSON file (one object or a list of "
              + "{\"image_type\", \"series\", \"package_list\", \"ppa_list\", \"trigger\", ...}) in turn, "
              + "into OUT/<index>-<trigger or image_type>/ (index from 0).")
  Path requestFile;

  @Option(
      names = "--allow-path",
      paramLabel = "DIR",
      description =
          "Let --request files name local files (a base image, keys, .debs) inside DIR; "
              + "repeatable. Without it a request may name no local path: only URLs and inline content.")
  List<Path> allowedPaths = new ArrayList<>();

  /**
   * The images to make. Flags or {@code --spec} give one, written into the output directory itself;
   * {@code --request} gives one per request, each with its own sub-directory. Every builder is made
   * (and so every value checked) before any build starts.
   *
   * @throws IllegalArgumentException for a bad value, an unreadable file, or a mix of inputs
   */
  List<BuildTarget> targets() {
    if (specFile != null && requestFile != null) {
      throw new IllegalArgumentException(
          "--spec and --request cannot be combined (expected one of them)");
    }
    if (specFile != null || requestFile != null) {
      String flag = specFile != null ? "--spec" : "--request";
      List<String> given = flagsGiven();
      if (!given.isEmpty()) {
        throw new IllegalArgumentException(
            flag
                + " cannot be combined with "
                + String.join(", ", given)
                + " (expected the file to describe the image completely)");
      }
    }
    if (!allowedPaths.isEmpty() && requestFile == null) {
      throw new IllegalArgumentException(
          "--allow-path applies to --request only (expected --request FILE)");
    }
    if (lockFile != null && requestFile != null) {
      throw new IllegalArgumentException(
          "--lock cannot be combined with --request (expected each request's \"lock\" field)");
    }
    if (specFile != null) {
      ImageSpec spec = ImageSpec.fromJson(read(specFile, "spec file"));
      ImageBuilder b = ImageBuilder.fromSpec(spec);
      if (lockFile != null) {
        b.withLock(lockFile);
      }
      return List.of(new BuildTarget(null, b));
    }
    if (requestFile != null) {
      List<BuildRequest> requests;
      try {
        requests = BuildRequest.parseList(bytes(requestFile, "request file"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage() + " in request file '" + requestFile + "'", e);
      }
      return requestTargets(requests, policy());
    }
    return List.of(new BuildTarget(null, toBuilder()));
  }

  /** A builder from the flags alone, applied in the order the API documents. */
  public ImageBuilder toBuilder() {
    ImageBuilder b = ImageBuilder.forSeries(series == null ? DEFAULT_SERIES : series);
    if (board != null) {
      b.forBoard(board);
    }
    if (arch != null) {
      b.forArchitecture(arch);
    }
    if (variant != null) {
      b.withVariant(variant);
    }
    if (mirror != null) {
      b.withMirror(mirror);
    }
    if (noUpdates) {
      b.withoutUpdates();
    }
    if (noSecurity) {
      b.withoutSecurity();
    }
    for (String ppa : ppas) {
      b.withPpa(ppa);
    }
    for (String repo : repos) {
      b.withRepository(parseRepository(repo));
    }
    if (!localDebs.isEmpty()) {
      b.withLocalPackages(localDebs.toArray(Path[]::new));
    }
    b.withPackages(packages.toArray(String[]::new));
    b.withoutPackages(excludes.toArray(String[]::new));
    if (!formats.isEmpty()) {
      b.withOutputs(formats.toArray(String[]::new));
    }
    if (hostname != null) {
      b.withHostname(hostname);
    }
    if (sourceDateEpoch != null) {
      b.withSourceDateEpoch(sourceDateEpoch);
    }
    if (rootFreeSpace != null) {
      b.withRootFreeSpace(rootFreeSpace);
    }
    if (growRoot != null) {
      b.withGrowRoot(growRoot);
    }
    for (GivenHook hook : hooks) {
      b.withHook(parseHook(hook));
    }
    if (lockFile != null) {
      b.withLock(lockFile);
    }
    return b;
  }

  /** {@code POINT=COMMAND}, the command run by the target's /bin/sh. */
  private static Hook parseHook(GivenHook given) {
    String value = given.value();
    int eq = value.indexOf('=');
    String flag = given.network() ? "--network-hook" : "--hook";
    if (eq <= 0 || value.substring(eq + 1).isBlank()) {
      throw new IllegalArgumentException(
          "invalid "
              + flag
              + " '"
              + value
              + "' (expected POINT=COMMAND, e.g. after-packages='echo hi > /etc/motd')");
    }
    Hook hook =
        new Hook(
            HookPoint.fromId(value.substring(0, eq)),
            List.of("/bin/sh", "-c", value.substring(eq + 1)));
    return given.network() ? hook.withNetwork() : hook;
  }

  private RequestPolicy policy() {
    return allowedPaths.isEmpty()
        ? RequestPolicy.noLocalPaths()
        : RequestPolicy.allowingPathsUnder(allowedPaths);
  }

  private static List<BuildTarget> requestTargets(
      List<BuildRequest> requests, RequestPolicy policy) {
    ImageTypes types = ImageTypes.standard().withPolicy(policy);
    List<BuildTarget> out = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      BuildRequest r = requests.get(i);
      ImageBuilder builder;
      try {
        builder = types.builderFor(r);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " in request [" + i + "]", e);
      }
      String channel = r.trigger().isEmpty() ? r.imageType() : r.trigger();
      out.add(new BuildTarget(i + "-" + safeName(channel), builder, r.trigger()));
    }
    return out;
  }

  /** {@code NAME=URI|SUITE|COMPONENTS|KEYFILE}, KEYFILE being a path or {@code unsigned}. */
  static AptSource parseRepository(String value) {
    int eq = value.indexOf('=');
    String[] parts = eq < 0 ? new String[0] : value.substring(eq + 1).split("\\|", -1);
    if (eq <= 0 || parts.length != 4) {
      throw new IllegalArgumentException(
          "invalid repository '"
              + value
              + "' (expected NAME=URI|SUITE|COMPONENTS|KEYFILE, e.g. "
              + "vendor=https://apt.example.com/debian|bookworm|main,contrib|/etc/keys/vendor.asc)");
    }
    String name = value.substring(0, eq);
    List<String> components = Arrays.stream(parts[2].split(",", -1)).map(String::trim).toList();
    String key = parts[3];
    if (key.equals("unsigned")) {
      return new AptSource(name, parts[0], parts[1], components, null, null, true, false);
    }
    Path keyFile = Path.of(key);
    if (key.isEmpty() || !Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
      throw new IllegalArgumentException(
          "invalid key file '"
              + key
              + "' of repository '"
              + name
              + "' (expected a readable OpenPGP key file,"
              + " or 'unsigned')");
    }
    return AptSource.signed(
        name, parts[0], parts[1], components, keyFile.toAbsolutePath().normalize().toString());
  }

  /** The spec flags that were given, for the error when a file should say everything. */
  private List<String> flagsGiven() {
    List<String> given = new ArrayList<>();
    addIf(given, series != null, "--series");
    addIf(given, arch != null, "--arch");
    addIf(given, board != null, "--board");
    addIf(given, variant != null, "--variant");
    addIf(given, !packages.isEmpty(), "--package");
    addIf(given, !excludes.isEmpty(), "--exclude");
    addIf(given, !ppas.isEmpty(), "--ppa");
    addIf(given, !repos.isEmpty(), "--repo");
    addIf(given, !localDebs.isEmpty(), "--local-deb");
    addIf(given, !formats.isEmpty(), "--format");
    addIf(given, hostname != null, "--hostname");
    addIf(given, mirror != null, "--mirror");
    addIf(given, noUpdates, "--no-updates");
    addIf(given, noSecurity, "--no-security");
    addIf(given, sourceDateEpoch != null, "--source-date-epoch");
    addIf(given, rootFreeSpace != null, "--root-free-space");
    addIf(given, growRoot != null, "--grow-root");
    addIf(given, hooks.stream().anyMatch(h -> !h.network()), "--hook");
    addIf(given, hooks.stream().anyMatch(GivenHook::network), "--network-hook");
    return given;
  }

  private static void addIf(List<String> list, boolean condition, String flag) {
    if (condition) {
      list.add(flag);
    }
  }

  private static byte[] bytes(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " '" + file + "' (expected a readable JSON file): " + e, e);
    }
  }

  /**
   * A file's text, which must be UTF-8: a bad byte is named with its offset, not a decoder's words.
   */
  private static String read(Path file, String what) {
    byte[] bytes = bytes(file, what);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in)
          .toString();
    } catch (CharacterCodingException e) {
      int offset = in.position();
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + file
              + "': byte 0x"
              + String.format("%02x", bytes[offset] & 0xff)
              + " at offset "
              + offset
              + " is not UTF-8 (expected UTF-8 text)",
          e);
    }
  }

  /** A trigger as a directory name: letters, digits, '.', '_' and '-' kept, the rest '_'. */
  static String safeName(String channel) {
    String s = channel.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }
}
