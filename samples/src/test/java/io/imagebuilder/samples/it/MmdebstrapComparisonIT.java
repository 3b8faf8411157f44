package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.samples.testing.ItBuilds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds bookworm minbase amd64 with openssh-server and curl with this library (through the public
 * API, tarball output) and with mmdebstrap from the same three suites, unpacks both as root with
 * numeric owners, and compares the trees path by path: type, mode, owner, link target and content
 * hash, which covers the dpkg database (status, info/*.list, md5sums), the debconf database,
 * alternatives and diversions. Any difference not in {@link #INTENDED} fails, with a diff of the
 * file where it is text. Then Debian's own tools check our tree: {@code dpkg --audit}, {@code dpkg
 * --verify} and {@code apt-get check} run inside it through the library's executor (its sandbox),
 * and the host's {@code debsums -s --root} checks every file against the md5sums (debsums is not in
 * minbase; the host's reads only the image's dpkg database). Runs as root.
 *
 * <p>Timestamps are not compared: both tools clamp to their own SOURCE_DATE_EPOCH.
 */
class MmdebstrapComparisonIT {
  /** What an intended difference allows, given both sides' files (either may be missing). */
  interface Allowance {
    boolean allows(Path ours, Path theirs) throws IOException;
  }

  /** Any difference at all. */
  private static final Allowance ANYTHING = (ours, theirs) -> true;

  /** One intended difference: the paths it covers, why we differ there, and what may differ. */
  record IntendedDifference(Pattern paths, String why, Allowance allowance) {
    IntendedDifference(String regex, String why, Allowance allowance) {
      this(Pattern.compile(regex), why, allowance);
    }

    IntendedDifference(String regex, String why) {
      this(Pattern.compile(regex), why, ANYTHING);
    }

    boolean covers(String path) {
      return paths.matcher(path).matches();
    }
  }

  /**
   * The differences from mmdebstrap we mean, the only ones allowed. Copied by hand into the README
   * ("Differences from mmdebstrap"): keep both in step.
   */
  static final List<IntendedDifference> INTENDED =
      List.of(
          new IntendedDifference(
              "/etc/apt/sources\\.list(\\.d/.*)?",
              "deb822 sources.list.d/debian.sources and debian-security.sources, signed by the"
                  + " archive keyring, instead of a one-line sources.list"),
          new IntendedDifference(
              "/var/lib/apt/lists/(lock|auxfiles)",
              "neither keeps the indexes; mmdebstrap leaves apt's lock file, we leave the empty"
                  + " auxfiles directory apt makes"),
          new IntendedDifference(
              "/etc/machine-id",
              "ours is 'uninitialized', so systemd makes one at first boot and no two images"
                  + " share it; mmdebstrap's minbase has none"),
          new IntendedDifference(
              "/etc/ssh/ssh_host_.*",
              "host keys are generated at random by each build (or removed and made on first boot"
                  + " where systemd is), never the same in two images",
              sameMetadata()),
          new IntendedDifference(
              "/etc/hostname|/etc/hosts|/etc/resolv\\.conf",
              "ours are the spec's hostname (/etc/hostname, /etc/hosts) and no resolv.conf (the"
                  + " network setup writes it); mmdebstrap copies the build host's hostname and"
                  + " resolv.conf"),
          new IntendedDifference(
              "/etc/shadow-?",
              "the day of the last password change is SOURCE_DATE_EPOCH's (reproducible),"
                  + " mmdebstrap's is the build day",
              sameTextAfter(t -> t.replaceAll("(?m)^([^:\\n]*:[^:\\n]*):[0-9]+:", "$1:DAY:"))),
          new IntendedDifference(
              "/etc/shells",
              "the same shells in another order: update-shells first ran at another point of"
                  + " the configuration order",
              sameLinesInAnyOrder()),
          new IntendedDifference(
              "/var/lib/apt/extended_states",
              "mmdebstrap installs the Priority: required packages with apt, which marks what"
                  + " they pull in as automatic; we mark only what the requested packages pull in"
                  + " (each of our marks is also mmdebstrap's)",
              stanzasOfOursAreTheirs()),
          new IntendedDifference(
              "/dev/.+",
              "mmdebstrap's tarball has device nodes; ours leaves /dev empty for devtmpfs or the"
                  + " container runtime"),
          new IntendedDifference(
              "/run/.+", "/run is a tmpfs at boot: ours is empty, mmdebstrap leaves /run/lock"),
          new IntendedDifference(
              "/etc/fstab",
              "mmdebstrap writes the placeholder '# UNCONFIGURED FSTAB FOR BASE SYSTEM'; a tarball"
                  + " of ours has none, a disk image gets its real one"),
          new IntendedDifference(
              "/usr/share/imagebuilder(/.*)?", "our build manifest, inside the image"),
          new IntendedDifference(
              "/var/lib/dpkg/(available|statoverride|cmethopt)",
              "our bootstrap creates the files dpkg expects up front (empty available and"
                  + " statoverride, 'apt apt' in cmethopt); mmdebstrap leaves them to dpkg, which"
                  + " reads a missing one as empty"),
          new IntendedDifference(
              "/var/cache/apt/.*|/var/cache/ldconfig/aux-cache|/var/cache/debconf/.*-old"
                  + "|/var/lib/dpkg/.*-old|/var/log/(apt/.*|dpkg\\.log|alternatives\\.log)",
              "caches, backups and build logs mmdebstrap leaves; the reproducibility clean-up"
                  + " removes them (the debconf and dpkg databases themselves are compared)"));

  /** Both present, with the same type, mode and owner; the contents may differ. */
  private static Allowance sameMetadata() {
    return (ours, theirs) ->
        Files.exists(ours, LinkOption.NOFOLLOW_LINKS)
            && Files.exists(theirs, LinkOption.NOFOLLOW_LINKS)
            && withoutHash(entry(ours)).equals(withoutHash(entry(theirs)));
  }

  private static String withoutHash(String entry) {
    return entry.replaceAll(" [0-9a-f]{64}$", "");
  }

  /** The same metadata, and the same text once {@code normalise} has run over both. */
  private static Allowance sameTextAfter(UnaryOperator<String> normalise) {
    return (ours, theirs) ->
        sameMetadata().allows(ours, theirs)
            && normalise
                .apply(Files.readString(ours))
                .equals(normalise.apply(Files.readString(theirs)));
  }

  private static Allowance sameLinesInAnyOrder() {
    return (ours, theirs) ->
        sameMetadata().allows(ours, theirs)
            && new TreeSet<>(Files.readAllLines(ours))
                .equals(new TreeSet<>(Files.readAllLines(theirs)))
            && Files.readAllLines(ours).size() == Files.readAllLines(theirs).size();
  }

  /** Every paragraph of our file is one of theirs (they may have more). */
  private static Allowance stanzasOfOursAreTheirs() {
    return (ours, theirs) ->
        sameMetadata().allows(ours, theirs) && stanzas(theirs).containsAll(stanzas(ours));
  }

  private static List<String> stanzas(Path file) throws IOException {
    return Stream.of(Files.readString(file).split("\n\n")).map(String::strip).toList();
  }

  private static Path ours;
  private static Path theirs;

  @BeforeAll
  static void buildBoth() throws Exception {
    assertEquals("0", ItBuilds.host("id", "-u").strip(), "this IT runs as root");
    Path work = ItBuilds.freshWorkDir("mmdebstrap");

    BuildResult result =
        ImageBuilder.forSeries("bookworm")
            .forArchitecture(Architecture.AMD64)
            .withVariant("minbase")
            .withPackages("openssh-server", "curl")
            .withOutputs(OutputFormat.TAR)
            .build(
                RunConfiguration.into(work.resolve("out"))
                    .withCacheDir(work.resolve("cache"))
                    .withStageCache(false));
    Path ourTar = result.artifact(OutputFormat.TAR).orElseThrow().file();

    Path theirTar = work.resolve("mmdebstrap.tar");
    Path log = work.resolve("mmdebstrap.log");
    Process mm =
        new ProcessBuilder(
                "mmdebstrap",
                "--variant=minbase",
                "--architectures=amd64",
                "--include=openssh-server,curl",
                "bookworm",
                theirTar.toString(),
                "deb http://deb.debian.org/debian bookworm main",
                "deb http://deb.debian.org/debian bookworm-updates main",
                "deb http://deb.debian.org/debian-security bookworm-security main")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(mm.waitFor(30, TimeUnit.MINUTES), "mmdebstrap took more than 30 minutes");
    assertEquals(0, mm.exitValue(), ItBuilds.tail(log, 40));

    ours = unpack(ourTar, work.resolve("ours"));
    theirs = unpack(theirTar, work.resolve("mmdebstrap"));
  }

  private static Path unpack(Path tarball, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    ItBuilds.host(
        "tar",
        "--numeric-owner",
        "--xattrs",
        "--xattrs-include=*",
        "-xpf",
        tarball.toString(),
        "-C",
        dir.toString());
    return dir;
  }

  /** Every path under {@code root} ("/etc/passwd") to its type, mode, owner and content or link. */
  private static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            out.put(name(dir), entry(dir));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            out.put(name(file), entry(file));
            return FileVisitResult.CONTINUE;
          }

          private String name(Path p) {
            String relative = root.relativize(p).toString();
            return "/" + relative;
          }
        });
    return out;
  }

  private static String entry(Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(p, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String owner = a.get("uid") + ":" + a.get("gid");
    String perms = String.format("%04o", mode & 07777);
    if (Files.isSymbolicLink(p)) {
      return "link " + owner + " -> " + Files.readSymbolicLink(p);
    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return "dir " + perms + " " + owner;
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return "file " + perms + " " + owner + " " + Sha256.ofFile(p);
    }
    return String.format("special %06o %s rdev=%s", mode, owner, a.get("rdev"));
  }

  @Test
  void ourTreeIsMmdebstrapsExceptTheIntendedDifferences() throws Exception {
    Map<String, String> left = describe(ours);
    Map<String, String> right = describe(theirs);
    TreeSet<String> paths = new TreeSet<>(left.keySet());
    paths.addAll(right.keySet());
    List<String> unexpected = new ArrayList<>();
    Map<IntendedDifference, Integer> used = new LinkedHashMap<>();
    for (String path : paths) {
      String l = left.get(path);
      String r = right.get(path);
      if (l != null && l.equals(r)) {
        continue;
      }
      Optional<IntendedDifference> intended =
          INTENDED.stream().filter(d -> d.covers(path)).findFirst();
      if (intended.isPresent()
          && intended
              .get()
              .allowance()
              .allows(ours.resolve(path.substring(1)), theirs.resolve(path.substring(1)))) {
        used.merge(intended.get(), 1, Integer::sum);
        continue;
      }
      StringBuilder line = new StringBuilder(path);
      line.append("\n    ours:       ").append(l == null ? "(missing)" : l);
      line.append("\n    mmdebstrap: ").append(r == null ? "(missing)" : r);
      if (l != null && r != null && l.startsWith("file") && r.startsWith("file")) {
        line.append("\n")
            .append(textDiff(ours.resolve(path.substring(1)), theirs.resolve(path.substring(1))));
      }
      unexpected.add(line.toString());
    }
    used.forEach(
        (d, n) ->
            System.out.println(
                "intended difference (" + n + " paths): " + d.paths() + ": " + d.why()));
    System.out.println(
        "compared "
            + paths.size()
            + " paths with mmdebstrap's; "
            + unexpected.size()
            + " unexpected differences");
    assertEquals(
        List.of(),
        unexpected,
        unexpected.size() + " differences from mmdebstrap not in the table of intended ones");
  }

  /** The first lines of {@code diff -u}, for a text file; nothing for a binary one. */
  private static String textDiff(Path a, Path b) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "diff", "-u", "--label=ours", "--label=mmdebstrap", a.toString(), b.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(1, TimeUnit.MINUTES);
    List<String> lines = out.lines().limit(30).toList();
    return "      " + String.join("\n      ", lines);
  }

  @Test
  void debiansToolsFindNothingWrongInOurTree() throws Exception {
    List<String> problems = new ArrayList<>();
    try (Executor chroot =
        ExecutionStrategies.find("native", Architecture.AMD64).open(ours, Architecture.AMD64)) {
      chroot.preflight();
      for (List<String> argv :
          List.of(
              List.of("dpkg", "--audit"),
              List.of("dpkg", "--verify"),
              List.of("apt-get", "check"))) {
        List<String> output = new ArrayList<>();
        CommandResult r = chroot.run(Command.of(argv), output::add);
        // apt-get check prints its progress lines; dpkg prints only problems
        List<String> findings =
            argv.get(0).equals("apt-get")
                ? output.stream()
                    .filter(l -> !l.startsWith("Reading ") && !l.startsWith("Building "))
                    .toList()
                : output;
        System.out.println(
            String.join(" ", argv) + ": exit " + r.exitCode() + ", " + output.size() + " lines");
        if (r.exitCode() != 0 || !findings.isEmpty()) {
          problems.add(
              String.join(" ", argv)
                  + " (exit "
                  + r.exitCode()
                  + "):\n  "
                  + String.join("\n  ", output));
        }
      }
    }
    Process debsums =
        new ProcessBuilder("debsums", "-s", "--root=" + ours).redirectErrorStream(true).start();
    String out = new String(debsums.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(debsums.waitFor(10, TimeUnit.MINUTES), "debsums took more than 10 minutes");
    System.out.println("debsums -s --root: exit " + debsums.exitValue());
    if (debsums.exitValue() != 0 || !out.isBlank()) {
      problems.add(
          "host debsums -s --root=" + ours + " (exit " + debsums.exitValue() + "):\n" + out);
    }
    assertEquals(List.of(), problems, "Debian's tools found problems in our tree");
  }
}
