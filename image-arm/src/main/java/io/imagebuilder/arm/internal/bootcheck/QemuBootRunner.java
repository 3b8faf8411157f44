package io.imagebuilder.arm.internal.bootcheck;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Board.Firmware;
import io.imagebuilder.api.board.Board.QemuHints;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.boot.BootResult.ExitReason;
import io.imagebuilder.api.boot.BootRunner;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots an image in qemu-system on a pipe for the serial console and reads it until a login prompt,
 * the marker, qemu's exit or the timeout. The image and the firmware's variable store are attached
 * with {@code snapshot=on}, so neither is written; qemu's temporary overlay goes to a directory of
 * ours (TMPDIR) that is removed afterwards, and qemu is always ended.
 *
 * <p>KVM is used only when {@link KvmProbe} saw it run a tiny guest on the board's machine within
 * seconds (a nested KVM may abort at start or hang its guest); otherwise TCG, with a log line
 * saying why. Nothing here needs root: qemu-system runs as any user who can read the image (and use
 * {@code /dev/kvm} for KVM).
 */
public final class QemuBootRunner implements BootRunner {
  private static final Logger LOG = LoggerFactory.getLogger(QemuBootRunner.class);
  static final Map<String, String> QEMU_PACKAGES =
      Map.of(
          "qemu-system-x86_64", "qemu-system-x86",
          "qemu-system-i386", "qemu-system-x86",
          "qemu-system-aarch64", "qemu-system-arm",
          "qemu-system-arm", "qemu-system-arm",
          "qemu-system-riscv64", "qemu-system-misc");
  static final Map<String, String> FIRMWARE_PACKAGES =
      Map.of(
          "/usr/share/OVMF/", "ovmf",
          "/usr/share/AAVMF/AAVMF32", "qemu-efi-arm",
          "/usr/share/AAVMF/", "qemu-efi-aarch64",
          "/usr/share/qemu-efi-aarch64/", "qemu-efi-aarch64");

  @Override
  public BootResult boot(BootCheck check) throws ImageBuildException, InterruptedException {
    Board board = check.board();
    QemuHints q =
        board
            .qemu()
            .orElseThrow(
                () ->
                    new ImageBuildException(
                        "board "
                            + board.id()
                            + " cannot be booted in qemu (it has no qemu hints)"));
    String name = check.image().getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".xz") || name.endsWith(".zst") || name.endsWith(".gz")) {
      throw new IllegalArgumentException(
          "invalid image '"
              + check.image()
              + "' (compressed; expected a raw .img or a .qcow2, decompress it first)");
    }
    String firmwareName =
        check.firmware() != null
            ? check.firmware()
            : q.firmware().isEmpty() ? null : q.firmware().get(0).name();
    requireTools(check, q, firmwareName);
    KvmProbe.Verdict verdict = accelerator(check.accelerator(), q, board.architecture());
    boolean kvm = verdict.kvm();
    if (!kvm && check.accelerator() == BootCheck.Accelerator.AUTO) {
      // A /dev/kvm that is there but unusable is worth a warning (the boot is many times slower);
      // a host without it, or a foreign board, is the ordinary TCG case.
      if (board.architecture() == Architecture.host() && Files.exists(Path.of("/dev/kvm"))) {
        LOG.warn("boot check of {}: TCG, not KVM: {}", check.image(), verdict.reason());
      } else {
        LOG.info("boot check of {}: TCG, not KVM: {}", check.image(), verdict.reason());
      }
    } else if (kvm) {
      LOG.debug("boot check of {}: KVM: {}", check.image(), verdict.reason());
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("imagebuilder-boot-");
      String fw = firmwareName == null ? "default" : firmwareName;
      Path disk = check.image().toAbsolutePath();
      if (check.diskSize().isPresent()) {
        disk = overlay(disk, check.diskSize().getAsLong(), tmp);
      }
      List<String> argv = commandLine(q, check, disk, firmwareName, kvm);
      if (kvm && !verdict.cpu().equals("host")) {
        argv = withCpu(argv, verdict.cpu());
      }
      BootResult r = new ConsoleWatch(argv, tmp, check, kvm ? "kvm" : "tcg", fw).run();
      if (kvm && check.accelerator() == BootCheck.Accelerator.AUTO && startFailed(r)) {
        // The probe's guest ran, the image's did not start: TCG still boots it; the result says so.
        LOG.info(
            "boot check of {}: KVM did not start the image's guest; again with TCG", check.image());
        r =
            new ConsoleWatch(
                    commandLine(q, check, disk, firmwareName, false),
                    tmp,
                    check,
                    "tcg (kvm failed to start)",
                    fw)
                .run();
      }
      return r;
    } catch (IOException e) {
      throw new ImageBuildException("cannot run the boot check: " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * The board's qemu argv for {@code disk} (in snapshot mode unless it is the run's own overlay),
   * with the check's read-only drives after it.
   */
  static List<String> commandLine(
      QemuHints q, BootCheck check, Path disk, String firmwareName, boolean kvm) {
    boolean overlay = check.diskSize().isPresent();
    List<String> argv =
        new ArrayList<>(q.commandLine(disk, firmwareName, kvm, !overlay, check.tcpForwards()));
    for (Path drive : check.readOnlyDrives()) {
      argv.add("-drive");
      argv.add(
          "if=virtio,readonly=on,format="
              + QemuHints.driveFormat(drive)
              + ",file="
              + drive.toAbsolutePath());
    }
    return List.copyOf(argv);
  }

  /**
   * A qcow2 overlay of {@code image} in {@code dir}, {@code bytes} large: the guest writes there,
   * never to the image, and sees the larger disk.
   */
  static Path overlay(Path image, long bytes, Path dir)
      throws IOException, InterruptedException, ImageBuildException {
    String format = QemuHints.driveFormat(image);
    HostProcess.Result info =
        HostProcess.of("qemu-img", "info", "--output=json", "-f", format, image.toString())
            .runToEnd();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(info.output());
    if (!info.ok() || !m.find()) {
      throw new ImageBuildException(
          "cannot read the size of " + image + " with qemu-img info: " + info.output());
    }
    long size = Long.parseLong(m.group(1));
    if (bytes < size) {
      throw new IllegalArgumentException(
          "invalid disk size '"
              + bytes
              + "' (expected at least the image's "
              + size
              + " bytes of "
              + image.getFileName()
              + ")");
    }
    Path overlay = dir.resolve("overlay.qcow2");
    HostProcess.of(
            "qemu-img",
            "create",
            "-q",
            "-f",
            "qcow2",
            "-F",
            format,
            "-b",
            image.toString(),
            overlay.toString(),
            Long.toString(bytes))
        .check(line -> {});
    return overlay;
  }

  /** How long a KVM guest may stay silent before KVM is taken as unusable. */
  static final Duration SILENT_KVM = Duration.ofSeconds(30);

  /** qemu ended, or went silent, within seconds: it did not start the guest. */
  static boolean startFailed(BootResult r) {
    return r.exitReason() == ExitReason.QEMU_EXITED
        && r.elapsed().compareTo(SILENT_KVM.plusSeconds(10)) < 0;
  }

  static List<String> withCpu(List<String> argv, String cpu) {
    List<String> out = new ArrayList<>(argv);
    int i = out.indexOf("-cpu");
    out.set(i + 1, cpu);
    return out;
  }

  /**
   * TCG when asked for; else the probe's verdict. KVM asked for where the probe saw it fail is an
   * error naming why.
   */
  static KvmProbe.Verdict accelerator(BootCheck.Accelerator wanted, QemuHints q, Architecture arch)
      throws InterruptedException {
    if (wanted == BootCheck.Accelerator.TCG) {
      return KvmProbe.Verdict.tcg("TCG was asked for");
    }
    if (wanted == BootCheck.Accelerator.KVM && arch != Architecture.host()) {
      throw new IllegalArgumentException(
          "KVM was asked for but the board is "
              + arch
              + " and this host "
              + Architecture.host()
              + " (expected AUTO or TCG)");
    }
    KvmProbe.Verdict v = KvmProbe.host(q.binary(), q.machine(), arch);
    if (wanted == BootCheck.Accelerator.KVM && !v.kvm()) {
      throw new IllegalArgumentException(
          "KVM was asked for but does not run a guest here: "
              + v.reason()
              + " (expected AUTO or TCG)");
    }
    return v;
  }

  private static void requireTools(BootCheck check, QemuHints q, String firmwareName)
      throws MissingHostToolException {
    if (check.diskSize().isPresent() && HostTools.find("qemu-img").isEmpty()) {
      throw new MissingHostToolException("boot check", "qemu-img", "qemu-utils");
    }
    if (HostTools.find(q.binary()).isEmpty()) {
      throw new MissingHostToolException(
          "boot check", q.binary(), QEMU_PACKAGES.getOrDefault(q.binary(), "qemu-system"));
    }
    if (firmwareName == null) {
      return;
    }
    Firmware fw = q.firmware(firmwareName);
    for (String file : new String[] {fw.code(), fw.vars()}) {
      if (file != null && !Files.isRegularFile(Path.of(file))) {
        String pkg =
            FIRMWARE_PACKAGES.entrySet().stream()
                .filter(e -> file.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse("the firmware package");
        throw new MissingHostToolException("boot check", file, pkg);
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      SafeDelete.deleteTree(dir);
    } catch (IOException ignored) {
      // Best effort: a temporary directory.
    }
  }

  /** One qemu run: reads the console byte by byte, since a prompt does not end with a newline. */
  static final class ConsoleWatch {
    private final List<String> argv;
    private final Path tmp;
    private final BootCheck check;
    private final String accel;
    private final String firmware;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private volatile ExitReason found;
    private volatile long bytesRead;
    private volatile long foundAt;

    ConsoleWatch(List<String> argv, Path tmp, BootCheck check, String accel, String firmware) {
      this.argv = argv;
      this.tmp = tmp;
      this.check = check;
      this.accel = accel;
      this.firmware = firmware;
    }

    /** The check's action, with qemu still up; the caller's finally ends qemu. */
    private void whileRunning() throws ImageBuildException, InterruptedException {
      if (check.whileRunning().isEmpty()) {
        return;
      }
      try {
        check.whileRunning().get().run();
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ImageBuildException(
            "the action while " + check.image().getFileName() + " ran failed: " + e.getMessage(),
            e);
      }
    }

    BootResult run() throws IOException, InterruptedException, ImageBuildException {
      long start = System.nanoTime();
      Process p = HostProcess.of(argv).env("TMPDIR", tmp.toString()).start();
      Thread reader = new Thread(() -> read(p.getInputStream(), start), "boot-check-console");
      reader.setDaemon(true);
      reader.start();
      ExitReason reason;
      try {
        long deadline = start + check.timeout().toNanos();
        while (true) {
          if (found != null) {
            reason = found;
            if (reason == ExitReason.LOGIN_PROMPT || reason == ExitReason.MARKER) {
              whileRunning();
            }
            break;
          }
          if (!p.isAlive()) {
            reader.join(2000);
            reason = found != null ? found : ExitReason.QEMU_EXITED;
            break;
          }
          if (System.nanoTime() > deadline) {
            reason = ExitReason.TIMEOUT;
            break;
          }
          if (accel.equals("kvm")
              && bytesRead == 0
              && System.nanoTime() - start > SILENT_KVM.toNanos()) {
            // A guest KVM cannot run may stop without a word; firmware always prints at once.
            foundAt = System.nanoTime();
            reason = ExitReason.QEMU_EXITED;
            break;
          }
          Thread.sleep(100);
        }
      } finally {
        stop(p);
      }
      reader.join(2000);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      List<String> console;
      synchronized (this) {
        console = new ArrayList<>(lines);
        if (current.length() > 0) {
          console.add(current.toString());
        }
      }
      boolean login = reason == ExitReason.LOGIN_PROMPT;
      boolean marker = reason == ExitReason.MARKER;
      return new BootResult(
          login,
          marker,
          login || marker
              ? java.util.Optional.of(Duration.ofNanos(foundAt - start))
              : java.util.Optional.empty(),
          elapsed,
          console,
          argv,
          accel,
          firmware,
          reason);
    }

    private void read(InputStream in, long start) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      try (in) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          bytesRead += n;
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              if (buf[i] == '\n') {
                String text =
                    ConsoleText.clean(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                lines.add(text);
                line.reset();
                current.setLength(0);
                check.consoleListener().accept(text);
                look(text);
              } else {
                line.write(buf[i]);
              }
            }
            if (line.size() > 0) {
              current.setLength(0);
              current.append(line.toString(java.nio.charset.StandardCharsets.UTF_8));
              look(ConsoleText.clean(current.toString()));
            }
          }
        }
      } catch (IOException ignored) {
        // qemu ended; what was read is kept.
      }
    }

    private void look(String text) {
      if (found != null) {
        return;
      }
      if (ConsoleText.isKvmFailure(text)) {
        // KVM stops the guest but qemu keeps running; report it as a failed start.
        foundAt = System.nanoTime();
        found = ExitReason.QEMU_EXITED;
      } else if (check.marker() != null && text.contains(check.marker())) {
        foundAt = System.nanoTime();
        found = ExitReason.MARKER;
      } else if (ConsoleText.isLoginPrompt(text)) {
        foundAt = System.nanoTime();
        found = ExitReason.LOGIN_PROMPT;
      }
    }

    private static void stop(Process p) throws InterruptedException {
      if (!p.isAlive()) {
        return;
      }
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        HostProcess.kill(p);
      }
    }
  }
}
