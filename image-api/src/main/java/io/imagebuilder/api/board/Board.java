package io.imagebuilder.api.board;

import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A machine an image is made bootable for: its architecture, the packages that give it a kernel and
 * firmware, how it boots and how its disk is laid out. The standard boards are data (a JSON
 * resource each) in image-arm; tool authors add their own through {@link BoardProvider}, either by
 * implementing this interface or by reading their own JSON.
 *
 * <p>The methods with defaults describe the disk image, the files the board needs and how to start
 * it in qemu; a board that only overrides the abstract methods gets a GPT disk with an EFI system
 * partition and an ext4 root, and no qemu hints.
 */
public interface Board {
  /** {@return a stable id such as {@code qemu-arm64}} */
  String id();

  /**
   * The architecture of the board's CPU, and so of its images.
   *
   * @return the architecture
   */
  Architecture architecture();

  /** {@return one line for listings} */
  String description();

  /** {@return packages that install the kernel (and its initramfs tooling)} */
  List<String> kernelPackages();

  /** {@return packages with firmware, device trees or the bootloader's files} */
  List<String> firmwarePackages();

  /**
   * {@return how the board boots, e.g. {@code grub-efi}, {@code grub-pc}, {@code raspi-firmware}}
   */
  String bootloader();

  /** {@return {@code gpt} or {@code mbr}} */
  String partitionTable();

  /** {@return arguments added to the kernel command line besides {@code root=}} */
  String kernelCommandLine();

  /** {@return the serial console device, e.g. {@code ttyAMA0}; the boot check reads it} */
  String serialConsole();

  /** {@return packages every bootable image of this board needs besides the kernel: init, udev} */
  default List<String> bootPackages() {
    return List.of("systemd-sysv", "udev", "initramfs-tools", "zstd", "e2fsprogs");
  }

  /**
   * Kernel modules the initramfs holds for finding the root filesystem, e.g. {@code virtio_blk};
   * empty for all that might be needed ({@code MODULES=most}). A short list keeps the initramfs
   * small and its generation quick under qemu-user, where every copied file costs processes.
   *
   * @return module names; empty for all
   */
  default List<String> initramfsModules() {
    return List.of();
  }

  /** {@return archive components the board's packages come from, e.g. {@code non-free-firmware}} */
  default List<String> components() {
    return List.of("main");
  }

  /**
   * GRUB platforms to install, e.g. {@code arm64-efi}, {@code x86_64-efi}, {@code i386-pc}; empty
   * for boards whose firmware loads the kernel itself.
   *
   * @return GRUB platform names; empty for none
   */
  default List<String> grubTargets() {
    return List.of();
  }

  /** {@return the disk's partitions in order; the last one is usually the root} */
  default List<Partition> partitions() {
    return Partition.defaultsFor(partitionTable());
  }

  /**
   * {@return files written into the rootfs before the kernel is installed, with placeholders filled
   * in}
   */
  default List<FileTemplate> files() {
    return List.of();
  }

  /** {@return file names the boot partition must hold once the kernel stage ran (checked by it)} */
  default List<String> bootFiles() {
    return List.of();
  }

  /** {@return free space left in the root filesystem beyond its content, e.g. {@code 256MiB}} */
  default String rootFreeSpace() {
    return "256MiB";
  }

  /**
   * {@return whether the image grows its root partition and filesystem to the medium at first boot}
   */
  default boolean growRootFilesystem() {
    return true;
  }

  /** Networking as the image's init suggests: {@link #NETWORKD} with systemd, else ifupdown. */
  String NETWORKING_AUTO = "auto";

  /** systemd-networkd, enabled, with DHCP (v4 and v6) on every wired interface. */
  String NETWORKD = "systemd-networkd";

  /** ifupdown and isc-dhcp-client, with DHCP on every wired interface as it appears. */
  String IFUPDOWN = "ifupdown";

  /** No network configuration: the image (or a later stage) brings its own. */
  String NETWORKING_NONE = "none";

  /**
   * How the image's network is configured: {@link #NETWORKING_AUTO}, {@link #NETWORKD}, {@link
   * #IFUPDOWN} or {@link #NETWORKING_NONE}. Wired interfaces ({@code en*}, {@code eth*}) get an
   * address by DHCP, so a booted image answers on its network (e.g. SSH through qemu's port
   * forwarding).
   *
   * @return the networking mode; default {@link #NETWORKING_AUTO}
   */
  default String networking() {
    return NETWORKING_AUTO;
  }

  /** {@return how to start this board's images in qemu-system, when it can be emulated} */
  default Optional<QemuHints> qemu() {
    return Optional.empty();
  }

  /**
   * A shell command line that boots {@code image} in qemu with the board's first firmware, for a
   * "Launch by running:" line; empty when the board cannot be emulated.
   *
   * @param image the disk image file
   * @return the command line, or empty
   */
  default Optional<String> launchCommand(Path image) {
    return launchCommand(image, 0);
  }

  /**
   * A shell command line that boots {@code image} in qemu with the board's first firmware and, when
   * {@code sshHostPort} is a port, forwards that host port to the guest's SSH port 22 (qemu's user
   * networking), for a "Launch by running:" line; empty when the board cannot be emulated.
   *
   * @param image the disk image file
   * @param sshHostPort the host port to forward to the guest's port 22, or 0 for none
   * @return the command line, or empty
   * @throws IllegalArgumentException when the port is not 0 or 1 to 65535
   */
  default Optional<String> launchCommand(Path image, int sshHostPort) {
    Map<Integer, Integer> forwards =
        sshHostPort == 0 ? Map.of() : Map.of(sshHostPort, QemuHints.SSH_PORT);
    return qemu()
        .map(
            q ->
                QemuHints.shellQuote(
                    q.commandLine(
                        image,
                        q.firmware().isEmpty() ? null : q.firmware().get(0).name(),
                        false,
                        false,
                        forwards)));
  }

  /**
   * One partition of a board's disk.
   *
   * @param role {@code esp}, {@code firmware} (a FAT partition the firmware reads), {@code bios}
   *     (GRUB's BIOS boot partition, no filesystem) or {@code root}
   * @param filesystem {@code vfat}, {@code ext4} or {@code none}
   * @param size {@code auto} (from the content) or a size such as {@code 1MiB}, {@code 256MiB}
   * @param label the filesystem label (and GPT partition name), or null
   * @param mountPoint where it is mounted in the running system, or null
   * @param type a GPT type GUID or a two-digit hex MBR type; null for the role's default
   */
  record Partition(
      String role, String filesystem, String size, String label, String mountPoint, String type) {
    /** The EFI system partition. */
    public static final String ROLE_ESP = "esp";

    /** A FAT partition the board's firmware reads (e.g. a Raspberry Pi's boot files). */
    public static final String ROLE_FIRMWARE = "firmware";

    /** GRUB's BIOS boot partition, with no filesystem. */
    public static final String ROLE_BIOS = "bios";

    /** The root filesystem. */
    public static final String ROLE_ROOT = "root";

    /**
     * A FAT firmware partition and ext4 root on MBR; an ESP and ext4 root on GPT.
     *
     * @param partitionTable {@code mbr} or {@code gpt}
     * @return the two partitions, in disk order
     */
    public static List<Partition> defaultsFor(String partitionTable) {
      if ("mbr".equals(partitionTable)) {
        return List.of(
            new Partition(ROLE_FIRMWARE, "vfat", "auto", "FIRMWARE", "/boot/firmware", null),
            new Partition(ROLE_ROOT, "ext4", "auto", "root", "/", null));
      }
      return List.of(
          new Partition(ROLE_ESP, "vfat", "auto", "ESP", "/boot/efi", null),
          new Partition(ROLE_ROOT, "ext4", "auto", "root", "/", null));
    }

    /**
     * Checks the values and fills in the role's defaults.
     *
     * @param role {@code esp}, {@code firmware}, {@code bios} or {@code root}
     * @param filesystem {@code vfat}, {@code ext4} or {@code none}; null for the role's default
     * @param size {@code auto} or a size such as {@code 256MiB}
     * @param label the filesystem label, or null
     * @param mountPoint where it is mounted in the running system, or null
     * @param type a GPT type GUID or a two-digit hex MBR type; null for the role's default
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    public Partition {
      if (!List.of(ROLE_ESP, ROLE_FIRMWARE, ROLE_BIOS, ROLE_ROOT).contains(role)) {
        throw new IllegalArgumentException(
            "invalid partition role '" + role + "' (expected esp, firmware, bios or root)");
      }
      filesystem =
          filesystem == null
              ? (ROLE_BIOS.equals(role) ? "none" : ROLE_ROOT.equals(role) ? "ext4" : "vfat")
              : filesystem;
      if (!List.of("vfat", "ext4", "none").contains(filesystem)) {
        throw new IllegalArgumentException(
            "invalid filesystem '"
                + filesystem
                + "' of the "
                + role
                + " partition (expected vfat, ext4 or none)");
      }
      if (ROLE_ROOT.equals(role) && !"ext4".equals(filesystem)) {
        throw new IllegalArgumentException(
            "invalid filesystem '" + filesystem + "' of the root partition (expected ext4)");
      }
      size = size == null ? "auto" : size;
      if (!"auto".equals(size) && !size.matches("[0-9]+(KiB|MiB|GiB)")) {
        throw new IllegalArgumentException(
            "invalid partition size '" + size + "' (expected auto or a size such as 256MiB)");
      }
      if (mountPoint != null && !mountPoint.startsWith("/")) {
        throw new IllegalArgumentException(
            "invalid mount point '" + mountPoint + "' (expected an absolute path)");
      }
    }
  }

  /**
   * A file the board needs in the rootfs. Placeholders: {@code ${rootUuid}}, {@code
   * ${rootPartuuid}}, {@code ${bootUuid}}, {@code ${bootPartuuid}}, {@code ${kernelCommandLine}}.
   *
   * @param path absolute path in the target
   * @param template the content with placeholders
   */
  record FileTemplate(String path, String template) {
    /**
     * Checks the values.
     *
     * @param path absolute path in the target
     * @param template the content with placeholders
     * @throws IllegalArgumentException naming the bad value
     */
    public FileTemplate {
      if (path == null || !path.startsWith("/") || path.contains("..")) {
        throw new IllegalArgumentException(
            "invalid board file path '" + path + "' (expected an absolute path without '..')");
      }
      if (template == null) {
        throw new IllegalArgumentException(
            "template of board file " + path + " must be given (got null)");
      }
    }
  }

  /**
   * A firmware to boot with in qemu.
   *
   * @param name {@code uefi} or {@code bios}
   * @param code the firmware code image, or null for qemu's built-in BIOS
   * @param vars the template of the UEFI variable store, or null; never written (snapshot)
   */
  record Firmware(String name, String code, String vars) {
    /**
     * Checks the values.
     *
     * @param name {@code uefi} or {@code bios}
     * @param code the firmware code image, or null
     * @param vars the UEFI variable store template, or null
     * @throws IllegalArgumentException naming the bad value
     */
    public Firmware {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "invalid firmware name '" + name + "' (expected uefi or bios)");
      }
    }
  }

  /**
   * How to start a board's images in qemu-system.
   *
   * @param binary e.g. {@code qemu-system-aarch64}
   * @param machine e.g. {@code virt}
   * @param cpu the CPU model under TCG; with KVM the host CPU is used
   * @param memoryMib memory in MiB
   * @param smp virtual CPUs
   * @param firmware the firmwares the board boots with, the preferred first
   */
  record QemuHints(
      String binary, String machine, String cpu, int memoryMib, int smp, List<Firmware> firmware) {
    /** The guest's SSH port. */
    public static final int SSH_PORT = 22;

    /**
     * Checks the values and copies the list.
     *
     * @param binary the qemu-system program
     * @param machine the machine type
     * @param cpu the CPU model under TCG
     * @param memoryMib memory in MiB; 0 or less for 1024
     * @param smp virtual CPUs; 0 or less for 2
     * @param firmware the firmwares, the preferred first
     * @throws IllegalArgumentException naming the bad value
     */
    public QemuHints {
      if (binary == null || !binary.startsWith("qemu-system-")) {
        throw new IllegalArgumentException(
            "invalid qemu binary '" + binary + "' (expected qemu-system-<arch>)");
      }
      if (machine == null || machine.isBlank()) {
        throw new IllegalArgumentException(
            "invalid qemu machine '" + machine + "' (expected e.g. virt)");
      }
      memoryMib = memoryMib <= 0 ? 1024 : memoryMib;
      smp = smp <= 0 ? 2 : smp;
      firmware = firmware == null ? List.of() : List.copyOf(firmware);
    }

    /**
     * The firmware called {@code name}.
     *
     * @param name the firmware's name, e.g. {@code uefi}
     * @return the firmware
     * @throws IllegalArgumentException naming an unknown firmware and the board's ones
     */
    public Firmware firmware(String name) {
      return firmware.stream()
          .filter(f -> f.name().equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown firmware '"
                          + name
                          + "' (expected one of "
                          + firmware.stream().map(Firmware::name).toList()
                          + ")"));
    }

    /**
     * The qemu argv that boots {@code image} on the serial console.
     *
     * @param firmwareName one of {@link #firmware()}'s names, or null for qemu's default
     * @param kvm use KVM and the host CPU instead of TCG and {@link #cpu()}
     * @param snapshot write nothing to the image (changes go to a temporary overlay)
     * @param image the disk image file
     * @return the argv, program first
     */
    public List<String> commandLine(
        Path image, String firmwareName, boolean kvm, boolean snapshot) {
      return commandLine(image, firmwareName, kvm, snapshot, Map.of());
    }

    /**
     * The qemu argv that boots {@code image} on the serial console, with user networking that
     * forwards each host TCP port given to a guest port (qemu's {@code hostfwd}), on the host's
     * loopback address only.
     *
     * @param firmwareName one of {@link #firmware()}'s names, or null for qemu's default
     * @param kvm use KVM and the host CPU instead of TCG and {@link #cpu()}
     * @param snapshot write nothing to the image (changes go to a temporary overlay)
     * @param image the disk image file
     * @param tcpForwards host port to guest port, each 1 to 65535; empty for none
     * @return the argv, program first
     * @throws IllegalArgumentException naming a port out of range
     */
    public List<String> commandLine(
        Path image,
        String firmwareName,
        boolean kvm,
        boolean snapshot,
        Map<Integer, Integer> tcpForwards) {
      StringBuilder nic = new StringBuilder("user,model=virtio-net-pci");
      for (Map.Entry<Integer, Integer> f : new TreeMap<>(tcpForwards).entrySet()) {
        nic.append(",hostfwd=tcp:127.0.0.1:")
            .append(port(f.getKey(), "host"))
            .append("-:")
            .append(port(f.getValue(), "guest"));
      }
      List<String> argv = new ArrayList<>();
      argv.add(binary);
      argv.add("-machine");
      argv.add(machine + (kvm ? ",accel=kvm" : ",accel=tcg"));
      argv.add("-cpu");
      argv.add(kvm ? "host" : cpu);
      argv.add("-m");
      argv.add(Integer.toString(memoryMib));
      argv.add("-smp");
      argv.add(Integer.toString(smp));
      argv.add("-nographic");
      if (firmwareName != null) {
        Firmware fw = firmware(firmwareName);
        if (fw.code() != null) {
          argv.add("-drive");
          argv.add("if=pflash,format=raw,unit=0,readonly=on,file=" + fw.code());
        }
        if (fw.vars() != null) {
          // snapshot=on: the shared variable store template is never written to.
          argv.add("-drive");
          argv.add("if=pflash,format=raw,unit=1,snapshot=on,file=" + fw.vars());
        }
      }
      argv.add("-drive");
      argv.add(
          "if=virtio,format="
              + driveFormat(image)
              + ",file="
              + image
              + (snapshot ? ",snapshot=on" : ""));
      argv.add("-nic");
      argv.add(nic.toString());
      return List.copyOf(argv);
    }

    /**
     * The qemu drive format of a disk image file, by its name: {@code qcow2} for a {@code .qcow2},
     * else {@code raw}.
     *
     * @param image the disk image file
     * @return {@code qcow2} or {@code raw}
     */
    public static String driveFormat(Path image) {
      String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".qcow2") ? "qcow2" : "raw";
    }

    private static int port(Integer port, String side) {
      if (port == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "invalid " + side + " port '" + port + "' (expected 1 to 65535)");
      }
      return port;
    }

    /**
     * Joins an argv for a POSIX shell, quoting what needs it.
     *
     * @param argv the words
     * @return one command line for {@code sh}
     */
    public static String shellQuote(List<String> argv) {
      StringBuilder sb = new StringBuilder();
      for (String a : argv) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        if (a.matches("[A-Za-z0-9_@%+=:,./-]+")) {
          sb.append(a);
        } else {
          sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
      }
      return sb.toString();
    }
  }
}
