package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.HostNotReadyException;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registration checks against a binfmt_misc directory written by the test. */
class QemuUserPreflightTest {
  @TempDir Path dir;
  Path binfmt;
  Path root;

  @BeforeEach
  void setUp() throws Exception {
    binfmt = Files.createDirectory(dir.resolve("binfmt_misc"));
    root = Files.createDirectory(dir.resolve("rootfs"));
  }

  private HostNotReadyException failure(Architecture arch) {
    return assertThrows(
        HostNotReadyException.class,
        () -> new QemuUserPreflight(binfmt).checkRegistration(arch, root));
  }

  private static void assertNamesTheFix(HostNotReadyException e, String command) {
    assertTrue(e.getMessage().contains("qemu-user-static"), e.getMessage());
    assertTrue(e.getMessage().contains("binfmt-support"), e.getMessage());
    assertTrue(e.getMessage().contains(command), e.getMessage());
    assertTrue(e.fix().contains(command), e.fix());
  }

  @Test
  void notMounted() {
    HostNotReadyException e = failure(Architecture.ARM64);
    assertTrue(e.getMessage().contains("not mounted"), e.getMessage());
    assertEquals("binfmt_misc is not mounted at " + binfmt, e.missing());
    assertNamesTheFix(e, "mount binfmt_misc -t binfmt_misc " + binfmt);
  }

  @Test
  void notRegistered() throws Exception {
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    HostNotReadyException e = failure(Architecture.ARMHF);
    assertNamesTheFix(
        e,
        "apt-get install -y qemu-user-static binfmt-support && update-binfmts --enable qemu-arm");
  }

  @Test
  void registeredButDisabled() throws Exception {
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(
        binfmt.resolve("qemu-aarch64"),
        BinfmtEntryTest.BOOKWORM_AARCH64.replace("enabled", "disabled"));
    HostNotReadyException e = failure(Architecture.ARM64);
    assertTrue(e.getMessage().contains("disabled"), e.getMessage());
    assertNamesTheFix(e, "update-binfmts --enable qemu-aarch64");
  }

  @Test
  void withoutFixBinaryTheInterpreterMustBeInTheRoot() throws Exception {
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(
        binfmt.resolve("qemu-riscv64"),
        "enabled\ninterpreter /usr/bin/qemu-riscv64-static\nflags: \noffset 0\n");
    HostNotReadyException e = failure(Architecture.RISCV64);
    assertTrue(e.getMessage().contains("F (fix-binary)"), e.getMessage());
    assertNamesTheFix(e, "update-binfmts --enable qemu-riscv64");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("usr/bin/qemu-riscv64-static"), "stand-in");
    assertEquals(
        "/usr/bin/qemu-riscv64-static",
        new QemuUserPreflight(binfmt).checkRegistration(Architecture.RISCV64, root).interpreter());
  }

  @Test
  void aFixBinaryRegistrationPasses() throws Exception {
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(binfmt.resolve("qemu-aarch64"), BinfmtEntryTest.BOOKWORM_AARCH64);
    assertTrue(
        new QemuUserPreflight(binfmt).checkRegistration(Architecture.ARM64, root).fixBinary());
  }

  @Test
  void registrationNamesFollowQemu() {
    assertEquals("qemu-aarch64", QemuUserPreflight.registration(Architecture.ARM64));
    assertEquals("qemu-arm", QemuUserPreflight.registration(Architecture.ARMEL));
    assertEquals("qemu-ppc64le", QemuUserPreflight.registration(Architecture.PPC64EL));
  }
}
