package io.imagebuilder.arm.internal.boot;

/**
 * initramfs-tools settings written before the kernel is installed, so its one initramfs
 * generation is right for the board and as quick as it can be under emulation.
 *
 * <ul>
 *   <li>{@code MODULES=most}: {@code dep} would look at the build host's hardware, not the board's.
 *   <li>{@code RESUME=none}: otherwise the resume hook records the build host's swap device.
 *   <li>{@code COMPRESS=zstd} at a low level: under qemu-user the compressor dominates.
 * </ul>
 */
final class InitramfsSettings {
  static final String PATH = "/etc/initramfs-tools/conf.d/imagebuilder.conf";

  private InitramfsSettings() {}

  static String content() {
    return String.join("\n",
        "# Written by ImageBuilder: right for the board, not the build host, and quick to build.",
        "MODULES=most",
        "RESUME=none",
        "COMPRESS=zstd",
        "COMPRESSLEVEL=3",
        "");
  }
}
