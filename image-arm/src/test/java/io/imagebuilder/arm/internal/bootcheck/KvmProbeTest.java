package io.imagebuilder.arm.internal.bootcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's decisions, with a fake qemu-system (a shell script) standing in for the real one: the
 * real guests are proven by the boot ITs, which report what the probe picked.
 */
class KvmProbeTest {
  @TempDir Path dir;
  Path devKvm;
  Path calls;

  @BeforeEach
  void fakeDevKvm() throws Exception {
    devKvm = Files.writeString(dir.resolve("kvm"), ""); // readable and writable: all the probe asks
    calls = dir.resolve("calls");
  }

  /** A fake qemu: logs its arguments to {@code calls}, then runs {@code body}. */
  private String qemu(String body) throws Exception {
    Path script = dir.resolve("qemu-system-fake");
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toString();
  }

  private List<String> calls() throws Exception {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  private static String machine() {
    return Architecture.host() == Architecture.ARM64 ? "virt" : "q35";
  }

  @Test
  void kvmIsUsedWhenTheGuestPrintsTheMarkerAndQemuExits() throws Exception {
    String qemu = qemu("echo " + KvmProbe.MARKER + "; exit 99");
    KvmProbe.Verdict v =
        new KvmProbe(devKvm, Duration.ofSeconds(5)).verdict(qemu, machine(), Architecture.host());
    assertTrue(v.kvm(), v.reason());
    assertEquals("host", v.cpu());
    assertTrue(
        calls().get(0).contains("-machine " + machine() + ",accel=kvm -cpu host "),
        calls().toString());
  }

  @Test
  void aCpuModelThatAbortsIsFollowedByTheOneWithoutTheMsrNestedHostsRefuse() throws Exception {
    assumeTrue(Architecture.host() == Architecture.AMD64, "the fallback CPU model is x86's");
    String qemu =
        qemu(
            "case \"$*\" in *'-cpu host '*) echo 'kvm_buf_set_msrs: Assertion failed' >&2; exit 134;; esac\n"
                + "echo "
                + KvmProbe.MARKER
                + "; exit 99");
    KvmProbe.Verdict v =
        new KvmProbe(devKvm, Duration.ofSeconds(5)).verdict(qemu, "q35", Architecture.AMD64);
    assertTrue(v.kvm(), v.reason());
    assertEquals("host,-arch-capabilities", v.cpu());
    assertEquals(2, calls().size());
  }

  @Test
  void aGuestThatHangsMeansTcgAfterTheTimeoutWithTheReason() throws Exception {
    String qemu = qemu("sleep 30");
    long t0 = System.nanoTime();
    KvmProbe.Verdict v =
        new KvmProbe(devKvm, Duration.ofSeconds(1)).verdict(qemu, machine(), Architecture.host());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertFalse(v.kvm());
    assertNull(v.cpu());
    assertTrue(
        v.reason()
            .startsWith(
                "KVM did not run a probe guest within 1 s (-cpu host: no output from the guest"),
        v.reason());
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "a hard timeout per try, took " + took);
  }

  @Test
  void theMarkerWithoutPowerOffIsNotEnough() throws Exception {
    String qemu = qemu("echo " + KvmProbe.MARKER + "; sleep 30");
    KvmProbe.Verdict v =
        new KvmProbe(devKvm, Duration.ofSeconds(1)).verdict(qemu, machine(), Architecture.host());
    assertFalse(v.kvm());
    assertTrue(v.reason().contains("printed the marker but did not power off"), v.reason());
  }

  @Test
  void qemuExitingWithoutTheMarkerMeansTcg() throws Exception {
    String qemu = qemu("echo 'error: kvm run failed Bad address' >&2; exit 1");
    KvmProbe.Verdict v =
        new KvmProbe(devKvm, Duration.ofSeconds(5)).verdict(qemu, machine(), Architecture.host());
    assertFalse(v.kvm());
    assertTrue(
        v.reason()
            .contains(
                "qemu exited with code 1 before the guest printed the marker, last line: "
                    + "error: kvm run failed Bad address"),
        v.reason());
  }

  @Test
  void withoutDevKvmOrForAnotherArchitectureNothingIsStarted() throws Exception {
    String qemu = qemu("echo " + KvmProbe.MARKER + "; exit 99");
    KvmProbe.Verdict missing =
        new KvmProbe(dir.resolve("no-kvm"), Duration.ofSeconds(5))
            .verdict(qemu, machine(), Architecture.host());
    assertFalse(missing.kvm());
    assertEquals(dir.resolve("no-kvm") + " does not exist", missing.reason());
    Architecture other =
        Architecture.host() == Architecture.ARM64 ? Architecture.AMD64 : Architecture.ARM64;
    KvmProbe.Verdict foreign =
        new KvmProbe(devKvm, Duration.ofSeconds(5)).verdict(qemu, "virt", other);
    assertFalse(foreign.kvm());
    assertTrue(foreign.reason().startsWith("the board is " + other.debianName()), foreign.reason());
    assertEquals(List.of(), calls(), "qemu never ran");
  }

  @Test
  void theVerdictIsProbedOncePerBinaryAndMachine() throws Exception {
    String qemu = qemu("echo " + KvmProbe.MARKER + "; exit 99");
    KvmProbe probe = new KvmProbe(devKvm, Duration.ofSeconds(5));
    probe.verdict(qemu, machine(), Architecture.host());
    probe.verdict(qemu, machine(), Architecture.host());
    assertEquals(1, calls().size());
    probe.verdict(qemu, machine() + ",gic-version=3", Architecture.host());
    assertEquals(2, calls().size());
  }
}
