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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds bookworm minbase amd64 with openssh-server and curl with this library (through the public
 * API, tarball output) and with mmdebstrap from the same three suites, unpacks both as root with
 * numeric owners, and compares the trees path by path: type, mode, owner, link target and content
 * hash, which covers the dpkg database (status, info/*.list, md5sums), the debconf database,
 * alternatives and diversions. Any difference not in {@link #INTENDED} fails, with a diff of the
 * file where it is text. Then Debian's own tools check our tree: {@code dpkg --audit}, {@code dpkg
 * --verify} and {@code apt-get check} run inside it through the library's executor (chroot), and
 * the host's {@code debsums -s --root} checks every file against the md5sums (debsums is not in
 * minbase; the host's reads only the image's dpkg database). Runs as root.
 *
 * <p>Timestamps are not compared: both tools clamp to their own SOURCE_DATE_EPOCH.
 */
class MmdebstrapComparisonIT {
  /** One intended difference: the paths it covers, and why we differ there. */
  record IntendedDifference(Pattern paths, String why) {
    IntendedDifference(String regex, String why) {
      this(Pattern.compile(regex), why);
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
              "deb822 /etc/apt/sources.list.d/debian.sources instead of one-line sources.list"),
          new IntendedDifference(
              "/var/lib/apt/lists/.*",
              "we keep the verified InRelease and indexes the image was built from (mmdebstrap"
                  + " leaves the lists empty)"),
          new IntendedDifference(
              "/etc/machine-id|/var/lib/dbus/machine-id",
              "empty, made on first boot (mmdebstrap writes 'uninitialized')"),
          new IntendedDifference(
              "/etc/ssh/ssh_host_.*",
              "host keys are removed and regenerated on first start, never shared between images"),
          new IntendedDifference(
              "/etc/hostname|/etc/hosts|/etc/resolv\\.conf",
              "ours come from the spec; mmdebstrap copies the build host's"),
          new IntendedDifference(
              "/var/cache/apt/.*|/var/cache/ldconfig/aux-cache|/var/cache/debconf/.*-old"
                  + "|/var/log/(apt/.*|dpkg\\.log|alternatives\\.log)",
              "caches, backups and build logs mmdebstrap leaves; the reproducibility clean-up"
                  + " removes them (the debconf database itself is compared)"));

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
    Map<IntendedDifference, Integer> used = new java.util.LinkedHashMap<>();
    for (String path : paths) {
      String l = left.get(path);
      String r = right.get(path);
      if (l != null && l.equals(r)) {
        continue;
      }
      Optional<IntendedDifference> intended =
          INTENDED.stream().filter(d -> d.covers(path)).findFirst();
      if (intended.isPresent()) {
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
