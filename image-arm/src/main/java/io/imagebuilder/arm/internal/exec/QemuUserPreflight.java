package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.HostNotReadyException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.log.Logs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Proves, before any work, that this host runs the target's binaries through binfmt_misc and a
 * static qemu: binfmt_misc is mounted and enabled, an interpreter for the architecture is
 * registered and enabled, it is usable inside a chroot (flag F, or present in the root), and a tiny
 * static test binary for the target really runs. Every failure names the packages and the exact
 * command that fix it. Host binfmt settings are only read, never changed.
 */
final class QemuUserPreflight {
  private static final Logger LOG = Logs.get(QemuUserPreflight.class);
  static final Path DEFAULT_BINFMT_DIR = Path.of("/proc/sys/fs/binfmt_misc");
  static final String PACKAGES = "qemu-user-static binfmt-support";

  private final Path binfmtDir;

  QemuUserPreflight(Path binfmtDir) {
    this.binfmtDir = binfmtDir;
  }

  /** The registration name binfmt-support uses for {@code arch}, e.g. {@code qemu-aarch64}. */
  static String registration(Architecture arch) {
    return "qemu-" + arch.qemuName();
  }

  /** The command that installs and enables the interpreter. */
  static String fixCommand(Architecture arch) {
    return "apt-get install -y " + PACKAGES + " && update-binfmts --enable " + registration(arch);
  }

  /**
   * Checks the host's binfmt_misc setup for {@code arch} (no exec).
   *
   * @throws HostNotReadyException naming what is missing and the command to run
   */
  BinfmtEntry checkRegistration(Architecture arch, Path root) throws ImageBuildException {
    String name = registration(arch);
    if (!Files.exists(binfmtDir.resolve("status"))) {
      throw fail(
          arch,
          "binfmt_misc is not mounted at " + binfmtDir,
          "mount binfmt_misc -t binfmt_misc "
              + binfmtDir
              + " && update-binfmts --enable "
              + name
              + " (packages: "
              + PACKAGES
              + ")");
    }
    String status = read(binfmtDir.resolve("status")).orElse("").strip();
    if (status.equals("disabled")) {
      throw fail(
          arch,
          "binfmt_misc is disabled on this host ("
              + binfmtDir.resolve("status")
              + " says disabled)",
          "update-binfmts --enable " + name + " (packages: " + PACKAGES + ")");
    }
    Path entryFile = binfmtDir.resolve(name);
    Optional<String> text = read(entryFile);
    if (text.isEmpty()) {
      throw fail(
          arch,
          "no binfmt_misc interpreter is registered for "
              + arch
              + " ("
              + entryFile
              + " is missing)",
          fixCommand(arch));
    }
    BinfmtEntry entry =
        BinfmtEntry.parse(text.get())
            .orElseThrow(
                () -> fail(arch, "cannot read the registration in " + entryFile, fixCommand(arch)));
    if (!entry.enabled()) {
      throw fail(
          arch,
          "the binfmt_misc interpreter "
              + name
              + " is registered but disabled ("
              + entryFile
              + " says disabled)",
          fixCommand(arch));
    }
    if (!entry.fixBinary() && !interpreterInRoot(root, entry.interpreter())) {
      throw fail(
          arch,
          lacksFixBinary(name, entry)
              + " and is not present inside the root, so it cannot run in a chroot",
          "apt-get install -y " + PACKAGES + " && " + reRegister(name));
    }
    return entry;
  }

  /**
   * The full preflight: registration, then a test binary through the kernel, with {@code QEMU_CPU}
   * if one is chosen for the architecture. Returns the strategy environment to use: the chosen CPU
   * model, or none if this qemu does not know it.
   */
  Map<String, String> check(Architecture arch, Path root) throws ImageBuildException {
    if (arch == Architecture.host()) {
      throw new HostNotReadyException(
          "a host of another architecture than " + arch,
          "use the native strategy (or auto) for " + arch,
          "qemu-user is not needed for "
              + arch
              + " on this "
              + arch
              + " host (use native, or auto)");
    }
    Preflight.requireRoot("qemu-user");
    Preflight.requireHostTools();
    checkRegistration(arch, root);
    return checkEmulation(arch, root);
  }

  /**
   * The rootless strategy's part: the registration must carry the F flag (the interpreter is then
   * opened once, by the kernel, when it is registered, so it runs in any namespace and chroot),
   * then the test binary runs. Returns the strategy environment as {@link #check} does.
   */
  Map<String, String> checkForNamespaces(Architecture arch, Path root) throws ImageBuildException {
    BinfmtEntry entry = checkRegistration(arch, root);
    if (!entry.fixBinary()) {
      String name = registration(arch);
      throw fail(
          arch,
          lacksFixBinary(name, entry)
              + ", which a rootless build needs (its chroot lives in a user namespace)",
          reRegister(name));
    }
    return checkEmulation(arch, root);
  }

  private static String lacksFixBinary(String name, BinfmtEntry entry) {
    return "the binfmt_misc interpreter "
        + name
        + " ("
        + entry.interpreter()
        + ") lacks the F (fix-binary) flag";
  }

  /** The commands that register {@code name} again, with the package's flags. */
  private static String reRegister(String name) {
    return "update-binfmts --disable "
        + name
        + " && update-binfmts --enable "
        + name
        + " (Debian's qemu-user-static registers with flag F)";
  }

  /**
   * Runs the test binary through the kernel, with the chosen {@code QEMU_CPU} if this qemu takes
   * it.
   */
  private Map<String, String> checkEmulation(Architecture arch, Path root)
      throws ImageBuildException {
    Path scratch = Preflight.scratchFor(root);
    Map<String, String> cpu = QemuCpu.environmentFor(arch);
    Map<String, String> env = new HashMap<>(CommandEnvironment.base());
    env.putAll(cpu);
    String problem = Preflight.runTestBinary(arch, scratch, env);
    if (problem == null) {
      return cpu;
    }
    if (!cpu.isEmpty()
        && Preflight.runTestBinary(arch, scratch, CommandEnvironment.base()) == null) {
      LOG.warn(
          "this qemu does not accept {}={}; using its default CPU model",
          QemuCpu.VARIABLE,
          cpu.get(QemuCpu.VARIABLE));
      return Map.of();
    }
    throw fail(arch, problem, fixCommand(arch));
  }

  private static boolean interpreterInRoot(Path root, String interpreter) {
    Path inRoot = root.resolve(interpreter.replaceFirst("^/+", ""));
    return Files.isRegularFile(inRoot, LinkOption.NOFOLLOW_LINKS);
  }

  private static Optional<String> read(Path p) {
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static HostNotReadyException fail(Architecture arch, String what, String fix) {
    return new HostNotReadyException(
        what,
        fix,
        "qemu-user cannot run "
            + arch
            + " binaries on this host: "
            + what
            + ". Fix: install the Debian packages qemu-user-static and binfmt-support and enable the"
            + " interpreter (needs root): "
            + fix);
  }
}
