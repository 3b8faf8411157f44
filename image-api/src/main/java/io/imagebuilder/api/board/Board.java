package io.imagebuilder.api.board;

import io.imagebuilder.api.spec.Architecture;
import java.util.List;

/**
 * A machine an image is made bootable for: its architecture, the packages that give it a kernel
 * and firmware, how it boots and how its disk is laid out. The standard boards are data (a JSON
 * resource each) in image-arm; tool authors add their own through {@link BoardProvider}.
 */
public interface Board {
  /** A stable id such as {@code qemu-arm64}. */
  String id();

  Architecture architecture();

  /** One line for listings. */
  String description();

  /** Packages that install the kernel (and its initramfs tooling). */
  List<String> kernelPackages();

  /** Packages with firmware, device trees or the bootloader's files. */
  List<String> firmwarePackages();

  /** How the board boots, e.g. {@code grub-efi}, {@code grub-pc}, {@code raspi-firmware}. */
  String bootloader();

  /** {@code gpt} or {@code mbr}. */
  String partitionTable();

  /** Arguments added to the kernel command line besides {@code root=}. */
  String kernelCommandLine();

  /** The serial console device, e.g. {@code ttyAMA0}; the boot check reads it. */
  String serialConsole();
}
