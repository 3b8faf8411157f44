package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.spec.Architecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * A minimal static ELF executable for a target architecture that does nothing but {@code exit(0)}:
 * one loadable segment, a few machine instructions, no libraries. It lets the preflight prove that
 * the kernel (through binfmt_misc) really runs target binaries before the root has any content,
 * without downloading anything.
 */
public final class ElfExitBinary {
  /** Where the single segment is loaded; 64 KiB aligned, which suits every page size. */
  static final long BASE = 0x400000L;

  private ElfExitBinary() {}

  /** The executable's bytes for {@code arch}. */
  public static byte[] forArchitecture(Architecture arch) {
    Spec s = spec(arch);
    int ehdr = s.is64 ? 64 : 52;
    int phdr = s.is64 ? 56 : 32;
    int size = ehdr + phdr + s.code.length;
    ByteBuffer b =
        ByteBuffer.allocate(size).order(s.little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    long entry = BASE + ehdr + phdr;
    // e_ident
    b.put(new byte[] {0x7f, 'E', 'L', 'F'});
    b.put((byte) (s.is64 ? 2 : 1)); // EI_CLASS
    b.put((byte) (s.little ? 1 : 2)); // EI_DATA
    b.put((byte) 1); // EI_VERSION
    b.put((byte) 0); // EI_OSABI: System V
    b.put(new byte[8]); // EI_ABIVERSION + padding
    b.putShort((short) 2); // e_type: ET_EXEC
    b.putShort((short) s.machine);
    b.putInt(1); // e_version
    putAddr(b, s.is64, entry); // e_entry
    putAddr(b, s.is64, ehdr); // e_phoff
    putAddr(b, s.is64, 0); // e_shoff
    b.putInt(s.flags); // e_flags
    b.putShort((short) ehdr);
    b.putShort((short) phdr);
    b.putShort((short) 1); // e_phnum
    b.putShort((short) (s.is64 ? 64 : 40)); // e_shentsize
    b.putShort((short) 0); // e_shnum
    b.putShort((short) 0); // e_shstrndx
    // program header: PT_LOAD, R+X, the whole file
    b.putInt(1); // p_type
    if (s.is64) {
      b.putInt(5); // p_flags
      b.putLong(0); // p_offset
      b.putLong(BASE); // p_vaddr
      b.putLong(BASE); // p_paddr
      b.putLong(size); // p_filesz
      b.putLong(size); // p_memsz
      b.putLong(0x10000); // p_align
    } else {
      b.putInt(0); // p_offset
      b.putInt((int) BASE); // p_vaddr
      b.putInt((int) BASE); // p_paddr
      b.putInt(size); // p_filesz
      b.putInt(size); // p_memsz
      b.putInt(5); // p_flags
      b.putInt(0x10000); // p_align
    }
    b.put(s.code);
    return b.array();
  }

  /** The ELF machine number (e_machine) the binary declares. */
  public static int machine(Architecture arch) {
    return spec(arch).machine;
  }

  private static void putAddr(ByteBuffer b, boolean is64, long v) {
    if (is64) {
      b.putLong(v);
    } else {
      b.putInt((int) v);
    }
  }

  private record Spec(boolean is64, boolean little, int machine, int flags, byte[] code) {}

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static Spec spec(Architecture arch) {
    switch (arch) {
      case AMD64:
        // xor edi,edi; mov eax,60 (exit); syscall
        return new Spec(true, true, 62, 0, hex("31ff b83c000000 0f05"));
      case I386:
        // xor ebx,ebx; mov eax,1 (exit); int 0x80
        return new Spec(false, true, 3, 0, hex("31db b801000000 cd80"));
      case ARM64:
        // mov x0,#0; mov x8,#93 (exit); svc #0  (little-endian words)
        return new Spec(true, true, 183, 0, hex("000080d2 a80b80d2 010000d4"));
      case ARMHF:
        // mov r0,#0; mov r7,#1 (exit); svc #0  (EABI5, hard-float flag)
        return new Spec(false, true, 40, 0x05000400, hex("0000a0e3 0170a0e3 000000ef"));
      case ARMEL:
        // same code, EABI5 soft-float flag
        return new Spec(false, true, 40, 0x05000200, hex("0000a0e3 0170a0e3 000000ef"));
      case RISCV64:
        // li a0,0; li a7,93 (exit); ecall  (double-float ABI flag)
        return new Spec(true, true, 243, 0x0004, hex("13050000 9308d005 73000000"));
      case PPC64EL:
        // li r0,1 (exit); li r3,0; sc  (ELFv2 ABI)
        return new Spec(true, true, 21, 2, hex("01000038 00006038 02000044"));
      case S390X:
        // lghi %r2,0; svc 1 (exit)
        return new Spec(true, false, 22, 0, hex("a7290000 0a01"));
      default:
        throw new IllegalArgumentException("no test binary for architecture '" + arch + "'");
    }
  }
}
