package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.arm.internal.sandbox.Sandbox;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * The host's own shell and common tools, run in place of the target's while a command that allows
 * it runs under qemu-user. Every process a shell script starts under emulation pays qemu's start-up
 * and translation again (about 60 ms here); mkinitramfs starts some 800 of them, so the initramfs
 * of an arm64 kernel took 48 s emulated and 8 s with these helpers.
 *
 * <p>A tool is replaced only when the target has the same upstream version of its package as the
 * host (so it behaves the same) and its file is a plain file; without the host's dash (the shell
 * every script runs in) there are no helpers at all. The host's binaries are copied, with their
 * libraries and dynamic loader, into the sandbox's tmpfs on the target's {@code /run} (nothing is
 * written to the target itself); their interpreter is rewritten to the copied loader ({@link
 * ElfInterpreter}) and {@code LD_LIBRARY_PATH} points at the copied libraries, which the target's
 * own loader skips as the wrong architecture. While the command runs, each copy is bind-mounted
 * over the target's file in the sandbox's mount namespace; afterwards the mounts are undone.
 *
 * <p>A command that reads a covered file as data sees the host's bytes (with the target file's mode
 * and mtime). So after each command the root is searched for a new file holding a helper's bytes
 * ({@link HostCopyCheck}), which fails the build, and {@code InitramfsOnce} checks that no host
 * binary reached the initramfs.
 */
final class NativeHelpers {
  private static final Logger LOG = Logs.get(NativeHelpers.class);

  /** Inside the root, on the executor's /run tmpfs; short enough for any interpreter field. */
  static final String DIR = "/run/ib-native";

  static final String LOADER = DIR + "/ld.so";
  static final String LIBS = DIR + "/lib";

  /** ldd and the check run: seconds of work; a minute bounds a hung one. */
  private static final java.time.Duration SHORT_COMMAND = java.time.Duration.ofSeconds(60);

  /**
   * Tool -> the Debian package that ships it. Only tools whose output depends on their input alone:
   * nothing that reports the machine (uname, nproc) and no compressors or archivers, whose bytes
   * could differ between builds.
   */
  static final Map<String, String> TOOLS = tools();

  private static final Pattern LDD_LIBRARY = Pattern.compile("=>\\s+(/\\S+)\\s+\\(0x");

  /** Target file -> its copy, both as paths inside the target. */
  private final Map<String, String> binds;

  private final HostCopyCheck copies;

  /** Package -> the target's upstream version the helpers were chosen for. */
  private final Map<String, String> targetVersions;

  private NativeHelpers(
      Map<String, String> binds, List<Path> copyFiles, Map<String, String> targetVersions)
      throws IOException {
    this.binds = binds;
    this.copies = new HostCopyCheck(copyFiles);
    this.targetVersions = Map.copyOf(targetVersions);
  }

  private static Map<String, String> tools() {
    Map<String, String> t = new TreeMap<>();
    t.put("dash", "dash");
    for (String c :
        List.of(
            "basename",
            "cat",
            "chmod",
            "cp",
            "cut",
            "dirname",
            "env",
            "expr",
            "head",
            "ln",
            "ls",
            "mkdir",
            "mktemp",
            "mv",
            "readlink",
            "realpath",
            "rm",
            "sort",
            "stat",
            "tail",
            "touch",
            "tr",
            "tsort",
            "uniq",
            "wc")) {
      t.put(c, "coreutils");
    }
    t.put("sed", "sed");
    t.put("grep", "grep");
    t.put("find", "findutils");
    t.put("xargs", "findutils");
    t.put("mawk", "mawk");
    t.put("cmp", "diffutils");
    t.put("diff", "diffutils");
    return t;
  }

  /**
   * Prepares the helpers for {@code root} (its real path) in {@code sandbox} (set up on it), or
   * nothing when no tool qualifies or the host's binaries cannot be used; never fails the build.
   */
  static Optional<NativeHelpers> prepare(Path root, Sandbox sandbox) {
    try {
      InstalledVersions host = InstalledVersions.read(Path.of("/var/lib/dpkg/status"));
      InstalledVersions target = InstalledVersions.read(root.resolve("var/lib/dpkg/status"));
      Map<String, Path> hostFiles = new LinkedHashMap<>();
      Map<String, List<Path>> targetFiles = new LinkedHashMap<>();
      Map<String, String> targetVersions = new TreeMap<>();
      for (Map.Entry<String, String> e : TOOLS.entrySet()) {
        String version = host.upstream(e.getValue());
        if (version == null || !version.equals(target.upstream(e.getValue()))) {
          continue;
        }
        Optional<Path> hostFile = plainFile(Path.of("/"), e.getKey());
        List<Path> inTarget = targetFiles(root, e.getKey());
        if (hostFile.isPresent() && !inTarget.isEmpty()) {
          hostFiles.put(e.getKey(), hostFile.get());
          targetFiles.put(e.getKey(), inTarget);
          targetVersions.put(e.getValue(), version);
        }
      }
      if (!hostFiles.containsKey("dash")) {
        LOG.info("no native helpers for {}: its dash is not the host's version", root);
        return Optional.empty();
      }
      Path inside = sandbox.inside();
      if (Files.exists(inside.resolve(DIR.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
        // the sandbox's /run is fresh: something in the target made this, so it is not ours
        LOG.warn("no native helpers for {}: {} already exists in its /run", root, DIR);
        return Optional.empty();
      }
      Map<Path, Path> copied = copyInto(inside, hostFiles, targetFiles);
      Map<String, String> binds = new LinkedHashMap<>();
      for (Map.Entry<Path, Path> e : copied.entrySet()) {
        binds.put(inTarget(root, e.getKey()), inTarget(inside, e.getValue()));
      }
      if (!works(sandbox)) {
        LOG.warn("native helpers do not run in {}; commands stay fully emulated", root);
        return Optional.empty();
      }
      LOG.info("native helpers for {}: {}", root, String.join(" ", hostFiles.keySet()));
      return Optional.of(
          new NativeHelpers(
              binds,
              new ArrayList<>(new java.util.LinkedHashSet<>(copied.values())),
              targetVersions));
    } catch (IOException | ImageBuildException | RuntimeException e) {
      LOG.warn("native helpers unavailable for {}: {}", root, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Whether {@code root} (its real path) still has the versions of the tools' packages these
   * helpers were chosen for: a command run since, without them, may have upgraded one.
   */
  boolean current(Path root) {
    try {
      InstalledVersions now = InstalledVersions.read(root.resolve("var/lib/dpkg/status"));
      return targetVersions.entrySet().stream()
          .allMatch(e -> e.getValue().equals(now.upstream(e.getKey())));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the dpkg status of {}: {}", root, e.toString());
      return false;
    }
  }

  /** The variables a command needs while the helpers are bound. */
  static Map<String, String> environment() {
    return Map.of("LD_LIBRARY_PATH", LIBS);
  }

  /** {@code file} (below {@code base}) as a path inside the target. */
  static String inTarget(Path base, Path file) {
    return "/" + base.relativize(file);
  }

  /** Binds every helper over its target file; on failure undoes what it did. */
  void bind(Sandbox sandbox) throws ImageBuildException {
    List<String> done = new ArrayList<>();
    try {
      for (Map.Entry<String, String> e : binds.entrySet()) {
        sandbox.bind(e.getValue(), e.getKey());
        done.add(e.getKey());
      }
    } catch (ImageBuildException | RuntimeException e) {
      unbind(sandbox, done);
      throw e;
    }
  }

  /** Undoes {@link #bind}. */
  void unbind(Sandbox sandbox) throws ImageBuildException {
    unbind(sandbox, new ArrayList<>(binds.keySet()));
  }

  /**
   * Fails if the command that ran since {@code start} copied a covered tool (the host's bytes) into
   * the root.
   */
  void checkNoHostCopies(Path root, java.nio.file.attribute.FileTime start)
      throws ImageBuildException {
    copies.check(root, start);
  }

  private static void unbind(Sandbox sandbox, List<String> points) throws ImageBuildException {
    ImageBuildException first = null;
    for (int i = points.size() - 1; i >= 0; i--) {
      try {
        sandbox.unmount(points.get(i));
      } catch (ImageBuildException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The target files a tool answers to: its plain file in /usr/bin or /bin, as real paths. */
  static List<Path> targetFiles(Path root, String tool) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("usr/bin", "bin")) {
      Path p = root.resolve(dir).resolve(tool);
      if (!Files.exists(p)) {
        continue;
      }
      Path real = p.toRealPath();
      if (real.startsWith(root)
          && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
          && !out.contains(real)) {
        out.add(real);
      }
    }
    return out;
  }

  private static Optional<Path> plainFile(Path root, String tool) throws IOException {
    List<Path> files = targetFiles(root, tool);
    return files.isEmpty() ? Optional.empty() : Optional.of(files.get(0));
  }

  /**
   * Copies loader, libraries and patched binaries into the root's /run ({@code root} as the JVM
   * sees the sandbox's tree); returns target file (its real path on disk) -> copy (below {@code
   * root}).
   */
  private static Map<Path, Path> copyInto(
      Path root, Map<String, Path> hostFiles, Map<String, List<Path>> targetFiles)
      throws IOException {
    Path dir = root.resolve(DIR.substring(1));
    Path bin = dir.resolve("bin");
    Path libs = root.resolve(LIBS.substring(1));
    Files.createDirectories(bin);
    Files.createDirectories(libs);
    String interpreter = null;
    Map<Path, Path> binds = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : hostFiles.entrySet()) {
      byte[] elf = Files.readAllBytes(e.getValue());
      String wanted =
          ElfInterpreter.read(elf)
              .orElseThrow(() -> new IOException(e.getValue() + " has no dynamic loader"));
      if (interpreter != null && !interpreter.equals(wanted)) {
        throw new IOException(
            e.getValue() + " wants loader " + wanted + ", the others " + interpreter);
      }
      interpreter = wanted;
      // Scripts look at the files they run: dash's postinst and update-alternatives give new
      // links the mtime of their target. So each copy takes its target file's mode and mtime.
      Path target = targetFiles.get(e.getKey()).get(0);
      Path copy = bin.resolve(e.getKey());
      Files.write(copy, ElfInterpreter.withInterpreter(elf, LOADER));
      Files.setPosixFilePermissions(
          copy, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
      Files.setLastModifiedTime(copy, Files.getLastModifiedTime(target, LinkOption.NOFOLLOW_LINKS));
      for (Path t : targetFiles.get(e.getKey())) {
        binds.put(t, copy);
      }
    }
    Path loader = root.resolve(LOADER.substring(1));
    Files.copy(Path.of(interpreter).toRealPath(), loader, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(loader, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Path lib : libraries(hostFiles.values())) {
      Files.copy(
          lib.toRealPath(),
          libs.resolve(lib.getFileName().toString()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return binds;
  }

  /** The shared libraries the host's binaries load, as the host's ldd lists them. */
  static List<Path> libraries(Iterable<Path> binaries) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ldd"));
    binaries.forEach(b -> argv.add(b.toString()));
    HostProcess.Result r = HostProcess.of(argv).timeout(SHORT_COMMAND).runToEnd();
    if (!r.ok()) {
      throw new IOException("ldd failed (exit " + r.exitCode() + "): " + r.output());
    }
    return parseLdd(r.output());
  }

  static List<Path> parseLdd(String output) {
    List<Path> out = new ArrayList<>();
    Matcher m = LDD_LIBRARY.matcher(output);
    while (m.find()) {
      Path p = Path.of(m.group(1));
      if (out.stream().noneMatch(q -> q.getFileName().equals(p.getFileName()))) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Runs the copied shell in the root once, so a host whose binaries cannot work this way is found
   * early.
   */
  private static boolean works(Sandbox sandbox) throws IOException, ImageBuildException {
    List<String> argv =
        new ArrayList<>(
            List.of(HostTools.require("env", "coreutils"), "-i", "LD_LIBRARY_PATH=" + LIBS));
    argv.addAll(sandbox.command("/", false, List.of(DIR + "/bin/dash", "-c", "exit 0")));
    HostProcess.Result r = HostProcess.of(argv).timeout(SHORT_COMMAND).runToEnd();
    if (!r.ok()) {
      LOG.warn("{}/bin/dash failed in the sandbox (exit {}): {}", DIR, r.exitCode(), r.output());
    }
    return r.ok();
  }
}
