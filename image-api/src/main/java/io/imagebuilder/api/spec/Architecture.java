package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A Debian architecture, with the names other tools use for it. */
public enum Architecture {
  /** 64-bit x86 (PCs, most servers). */
  AMD64("amd64", "x86_64", "x86_64"),
  /** 64-bit ARM (Raspberry Pi 3 and later, ARM servers). */
  ARM64("arm64", "aarch64", "aarch64"),
  /** 32-bit ARMv7 with hardware floating point. */
  ARMHF("armhf", "arm", "armv7l"),
  /** 32-bit ARM EABI, soft floating point. */
  ARMEL("armel", "arm", "armv5tel"),
  /** 32-bit x86. */
  I386("i386", "i386", "i686"),
  /** 64-bit RISC-V. */
  RISCV64("riscv64", "riscv64", "riscv64"),
  /** 64-bit little-endian POWER. */
  PPC64EL("ppc64el", "ppc64le", "ppc64le"),
  /** IBM Z. */
  S390X("s390x", "s390x", "s390x");

  private final String debianName;
  private final String qemuName;
  private final String unameMachine;

  Architecture(String debianName, String qemuName, String unameMachine) {
    this.debianName = debianName;
    this.qemuName = qemuName;
    this.unameMachine = unameMachine;
  }

  /** {@return the name dpkg uses, e.g. {@code arm64}} */
  @JsonValue
  public String debianName() {
    return debianName;
  }

  /**
   * {@return the suffix of the qemu-user binary, e.g. {@code aarch64} for {@code
   * qemu-aarch64-static}}
   */
  public String qemuName() {
    return qemuName;
  }

  /** {@return what {@code uname -m} prints on this architecture} */
  public String unameMachine() {
    return unameMachine;
  }

  /**
   * Parses a Debian architecture name.
   *
   * @param name a Debian architecture name, e.g. {@code arm64}
   * @return the architecture
   * @throws IllegalArgumentException naming the value and the known architectures
   */
  @JsonCreator
  public static Architecture fromDebianName(String name) {
    for (Architecture a : values()) {
      if (a.debianName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "invalid architecture '" + name + "' (expected one of " + known() + ")");
  }

  /** {@return the architecture of the JVM's host, as Debian names it} */
  public static Architecture host() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
        return AMD64;
      case "aarch64":
      case "arm64":
        return ARM64;
      case "arm":
        return ARMHF;
      case "x86":
      case "i386":
      case "i686":
        return I386;
      case "riscv64":
        return RISCV64;
      case "ppc64le":
        return PPC64EL;
      case "s390x":
        return S390X;
      default:
        throw new IllegalStateException("unsupported host architecture '" + arch + "'");
    }
  }

  private static String known() {
    return Arrays.stream(values()).map(Architecture::debianName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return debianName;
  }
}
