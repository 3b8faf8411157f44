package io.imagebuilder.arm.internal.bootcheck;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether KVM really runs a guest on this host. {@code /dev/kvm} may exist and still fail: nested
 * in a VM, qemu may abort at start (a CPU model's MSR the outer hypervisor refuses) or take seconds
 * to start a guest it then hangs. So a tiny guest is started on the board's machine under KVM: a
 * 512-byte boot sector (x86, through the machine's own BIOS) or a bare kernel image (arm64) that
 * prints {@value #MARKER} on the first serial port and powers the machine off. KVM is used only
 * when that guest prints the marker and qemu exits within the probe's timeout (3 s, {@code
 * -Dimagebuilder.kvmProbeSeconds}; it takes a tenth of a second on a real KVM host). On x86 the CPU
 * model {@code host} is tried, then {@code host,-arch-capabilities} (the MSR nested hypervisors
 * refuse), and the verdict names the one that ran. Verdicts are kept per JVM for each qemu binary
 * and machine; nothing here needs root.
 */
final class KvmProbe {
  static final String MARKER = "IB-KVM-PROBE-OK";
  static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("imagebuilder.kvmProbeSeconds", 3));
  private static final KvmProbe HOST = new KvmProbe(Path.of("/dev/kvm"), TIMEOUT);

  /**
   * What the probe found.
   *
   * @param kvm whether KVM runs guests here
   * @param cpu the {@code -cpu} value that ran under KVM, or null
   * @param reason why, for the log
   */
  record Verdict(boolean kvm, String cpu, String reason) {
    static Verdict tcg(String reason) {
      return new Verdict(false, null, reason);
    }
  }

  private final Path devKvm;
  private final Duration timeout;
  private final Map<String, Verdict> verdicts = new HashMap<>();

  KvmProbe(Path devKvm, Duration timeout) {
    this.devKvm = devKvm;
    this.timeout = timeout;
  }

  /** The verdict for this host's {@code /dev/kvm}, probed once per JVM per binary and machine. */
  static Verdict host(String binary, String machine, Architecture arch)
      throws InterruptedException {
    return HOST.verdict(binary, machine, arch);
  }

  /** The verdict for {@code binary} on {@code machine} for a board of {@code arch}, cached. */
  synchronized Verdict verdict(String binary, String machine, Architecture arch)
      throws InterruptedException {
    String key = binary + " " + machine + " " + arch.debianName();
    Verdict v = verdicts.get(key);
    if (v == null) {
      v = probe(binary, machine, arch);
      verdicts.put(key, v);
    }
    return v;
  }

  private Verdict probe(String binary, String machine, Architecture arch)
      throws InterruptedException {
    Architecture host = Architecture.host();
    if (arch != host) {
      return Verdict.tcg("the board is " + arch.debianName() + ", the host " + host.debianName());
    }
    if (!Files.exists(devKvm)) {
      return Verdict.tcg(devKvm + " does not exist");
    }
    if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
      return Verdict.tcg(
          devKvm
              + " is not readable and writable by user "
              + System.getProperty("user.name")
              + " (add the user to the group that owns it, usually kvm)");
    }
    Guest guest = Guest.of(arch);
    if (guest == null) {
      return Verdict.tcg("there is no probe guest for " + arch.debianName() + " hosts");
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("imagebuilder-kvm-probe-");
      Path image = Files.write(dir.resolve("probe.img"), guest.image());
      List<String> failures = new ArrayList<>();
      for (String cpu : guest.cpus()) {
        AtomicBoolean marker = new AtomicBoolean();
        HostProcess.Result r =
            HostProcess.of(guest.argv(binary, machine, cpu, image))
                .env("TMPDIR", dir.toString())
                .timeout(timeout)
                .run(line -> marker.compareAndSet(false, line.contains(MARKER)));
        if (marker.get() && !r.timedOut()) {
          return new Verdict(
              true,
              cpu,
              "a probe guest ran under KVM with -cpu "
                  + cpu
                  + " in "
                  + r.elapsed().toMillis()
                  + " ms");
        }
        failures.add("-cpu " + cpu + ": " + failure(r, marker.get()));
      }
      return Verdict.tcg(
          "KVM did not run a probe guest within "
              + timeout.toSeconds()
              + " s ("
              + String.join("; ", failures)
              + ")");
    } catch (IOException e) {
      return Verdict.tcg("the KVM probe could not run: " + e.getMessage());
    } finally {
      if (dir != null) {
        try {
          SafeDelete.deleteTree(dir);
        } catch (IOException ignored) {
          // a temporary directory of a few bytes
        }
      }
    }
  }

  private static String failure(HostProcess.Result r, boolean marker) {
    String last =
        r.tail().isEmpty() ? "" : ", last line: " + r.tail().get(r.tail().size() - 1).strip();
    if (r.timedOut()) {
      return (marker ? "printed the marker but did not power off" : "no output from the guest")
          + " before the timeout"
          + last;
    }
    return "qemu exited with code "
        + r.exitCode()
        + (marker ? "" : " before the guest printed the marker")
        + last;
  }

  /** A guest that prints {@value #MARKER} and powers off at once. */
  private interface Guest {
    byte[] image();

    List<String> cpus();

    /** What follows the options every probe guest shares: how its image is given. */
    List<String> boot(Path image);

    /** A small guest under KVM with only a serial port, which ends qemu when it powers off. */
    default List<String> argv(String binary, String machine, String cpu, Path image) {
      List<String> argv =
          new java.util.ArrayList<>(
              List.of(
                  binary,
                  "-machine",
                  machine + ",accel=kvm",
                  "-cpu",
                  cpu,
                  "-m",
                  "64",
                  "-nodefaults",
                  "-display",
                  "none",
                  "-serial",
                  "stdio",
                  "-no-reboot"));
      argv.addAll(boot(image));
      return argv;
    }

    static Guest of(Architecture arch) {
      return switch (arch) {
        case AMD64, I386 -> new X86BootSector();
        case ARM64 -> new Arm64Image();
        default -> null;
      };
    }
  }

  /**
   * A boot sector for the machine's BIOS (SeaBIOS): writes the marker to COM1 (port 0x3f8), then to
   * qemu's isa-debug-exit port, which ends qemu with code 99. In a 1 MiB disk: the BIOS of a q35
   * machine does not boot a disk of one sector.
   */
  private static final class X86BootSector implements Guest {
    @Override
    public byte[] image() {
      byte[] text = (MARKER + "\n\0").getBytes(StandardCharsets.US_ASCII);
      byte[] code = {
        (byte) 0xFA,
        (byte) 0xFC, // cli; cld
        0x31,
        (byte) 0xC0,
        (byte) 0x8E,
        (byte) 0xD8, // xor ax,ax; mov ds,ax
        (byte) 0xBA,
        (byte) 0xF8,
        0x03, // mov dx,0x3f8
        (byte) 0xBE,
        0x00,
        0x00, // mov si,<text>, set below
        (byte) 0xAC,
        (byte) 0x84,
        (byte) 0xC0,
        0x74,
        0x03, // next: lodsb; test al,al; jz done
        (byte) 0xEE,
        (byte) 0xEB,
        (byte) 0xF8, // out dx,al; jmp next
        (byte) 0xB0,
        0x31,
        (byte) 0xBA,
        (byte) 0xF4,
        0x00,
        (byte) 0xEE, // done: mov al,0x31; mov dx,0xf4; out dx,al
        (byte) 0xF4,
        (byte) 0xEB,
        (byte) 0xFD // hlt; jmp hlt
      };
      int at = 0x7C00 + code.length;
      code[10] = (byte) at;
      code[11] = (byte) (at >> 8);
      byte[] disk = new byte[1 << 20];
      System.arraycopy(code, 0, disk, 0, code.length);
      System.arraycopy(text, 0, disk, code.length, text.length);
      disk[510] = 0x55;
      disk[511] = (byte) 0xAA;
      return disk;
    }

    @Override
    public List<String> cpus() {
      return List.of("host", "host,-arch-capabilities");
    }

    @Override
    public List<String> boot(Path image) {
      return List.of(
          "-smp",
          "1",
          "-device",
          "isa-debug-exit,iobase=0xf4,iosize=0x04",
          "-drive",
          "format=raw,file=" + image);
    }
  }

  /**
   * An arm64 kernel image (the Linux Image header, so qemu boots it as a kernel with PSCI): writes
   * the marker to the virt machine's PL011 UART, then calls PSCI SYSTEM_OFF, which ends qemu.
   */
  private static final class Arm64Image implements Guest {
    @Override
    public byte[] image() {
      int[] code = {
        0xD2A12001, // movz x1, #0x0900, lsl #16   (the UART at 0x09000000)
        0x10000122, // adr x2, text                 (9 instructions on)
        0x38401443, // next: ldrb w3, [x2], #1
        0x34000063, // cbz w3, off
        0x39000023, // strb w3, [x1]
        0x17FFFFFD, // b next
        0x52800100, // off: movz w0, #0x0008
        0x72B08000, // movk w0, #0x8400, lsl #16   (PSCI SYSTEM_OFF)
        0xD4000002, // hvc #0
        0x14000000 // b .
      };
      byte[] text = (MARKER + "\n\0").getBytes(StandardCharsets.US_ASCII);
      int size = 64 + code.length * 4 + text.length;
      ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(0x14000010); // b +64: over the header
      b.putInt(0);
      b.putLong(0); // text_offset
      b.putLong(size); // image_size
      b.putLong(0).putLong(0).putLong(0).putLong(0); // flags, reserved
      b.putInt(0x644D5241); // "ARM\x64"
      b.putInt(0);
      for (int w : code) {
        b.putInt(w);
      }
      b.put(text);
      return b.array();
    }

    @Override
    public List<String> cpus() {
      return List.of("host");
    }

    @Override
    public List<String> boot(Path image) {
      return List.of("-kernel", image.toString());
    }
  }
}
