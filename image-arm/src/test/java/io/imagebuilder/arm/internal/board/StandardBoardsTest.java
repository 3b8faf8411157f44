package io.imagebuilder.arm.internal.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardBoardsTest {
  @Test
  void listsTheStandardBoardsThroughTheApi() {
    assertEquals(
        List.of(
            "pc-amd64",
            "qemu-arm64",
            "qemu-armhf",
            "raspberrypi-3",
            "raspberrypi-4",
            "raspberrypi-5"),
        Boards.all().stream().map(Board::id).toList());
  }

  @Test
  void describesEachBoard() {
    Board pi4 = Boards.find("raspberrypi-4");
    assertEquals(Architecture.ARM64, pi4.architecture());
    assertEquals("mbr", pi4.partitionTable());
    assertTrue(pi4.firmwarePackages().contains("raspi-firmware"));
    Board armhf = Boards.find("qemu-armhf");
    assertEquals(Architecture.ARMHF, armhf.architecture());
    assertEquals("ttyAMA0", armhf.serialConsole());
  }

  @Test
  void aBoardsComponentsJoinTheSpec() {
    assertEquals(
        List.of("main", "non-free-firmware"),
        io.imagebuilder.api.ImageBuilder.forSeries("bookworm")
            .forBoard("raspberrypi-4")
            .spec()
            .components());
    assertEquals(
        List.of("main", "contrib", "non-free-firmware"),
        io.imagebuilder.api.ImageBuilder.forSeries("bookworm")
            .withComponents("main", "contrib")
            .forBoard("raspberrypi-4")
            .spec()
            .components());
    assertEquals(
        List.of("main"),
        io.imagebuilder.api.ImageBuilder.forSeries("bookworm")
            .forBoard("qemu-arm64")
            .spec()
            .components());
  }

  @Test
  void anUnknownBoardListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Boards.find("no-such-board"));
    assertTrue(
        e.getMessage()
            .startsWith("unknown board 'no-such-board' (expected one of pc-amd64, qemu-arm64"),
        e.getMessage());
  }

  @Test
  void aBadDefinitionIsRejectedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BoardDefinition(
                    "x",
                    Architecture.ARM64,
                    "d",
                    List.of(),
                    List.of(),
                    "grub",
                    "apm",
                    "",
                    "ttyS0",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    assertTrue(
        e.getMessage().startsWith("invalid partition table 'apm' of board x"), e.getMessage());
  }

  @Test
  void missingOptionalFieldsTakeTheBoardDefaults() {
    Board b =
        Json.read(
            "{\"id\":\"mini\",\"architecture\":\"arm64\",\"description\":\"d\","
                + "\"kernelPackages\":[\"linux-image-arm64\"],\"firmwarePackages\":[],\"bootloader\":\"grub-efi\","
                + "\"partitionTable\":\"gpt\",\"serialConsole\":\"ttyAMA0\"}",
            BoardDefinition.class,
            "board mini");
    assertEquals(
        List.of("esp", "root"), b.partitions().stream().map(Board.Partition::role).toList());
    assertEquals("/boot/efi", b.partitions().get(0).mountPoint());
    assertEquals(List.of("main"), b.components());
    assertEquals("256MiB", b.rootFreeSpace());
    assertTrue(b.growRootFilesystem());
    assertTrue(b.qemu().isEmpty());
    assertTrue(b.launchCommand(Path.of("x.img")).isEmpty());
  }

  @Test
  void theStandardBoardsDescribeTheirDisksAndQemu() {
    Board pc = Boards.find("pc-amd64");
    assertEquals(
        List.of("bios", "esp", "root"),
        pc.partitions().stream().map(Board.Partition::role).toList());
    assertEquals(List.of("x86_64-efi", "i386-pc"), pc.grubTargets());
    assertEquals(
        List.of("uefi", "bios"),
        pc.qemu().orElseThrow().firmware().stream().map(Board.Firmware::name).toList());
    Board pi4 = Boards.find("raspberrypi-4");
    assertEquals(List.of("main", "non-free-firmware"), pi4.components());
    assertEquals("/boot/firmware", pi4.partitions().get(0).mountPoint());
    assertTrue(
        pi4.bootFiles()
            .containsAll(
                List.of(
                    "start4.elf",
                    "fixup4.dat",
                    "bcm2711-rpi-4-b.dtb",
                    "config.txt",
                    "cmdline.txt")));
    assertTrue(pi4.files().get(0).template().contains("ROOTPART=\"PARTUUID=${rootPartuuid}\""));
    assertTrue(pi4.qemu().isEmpty());
  }

  @Test
  void theLaunchLineForwardsTheSshPortOnLoopbackWhenAsked() {
    Board arm = Boards.find("qemu-arm64");
    String line = arm.launchCommand(Path.of("x.img"), 2222).orElseThrow();
    assertTrue(
        line.endsWith(" -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:2222-:22"), line);
    List<String> argv =
        arm.qemu()
            .orElseThrow()
            .commandLine(Path.of("x.img"), null, false, true, java.util.Map.of(8080, 80, 2200, 22));
    assertEquals(
        "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:2200-:22,hostfwd=tcp:127.0.0.1:8080-:80",
        argv.get(argv.size() - 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> arm.launchCommand(Path.of("x.img"), 70000));
    assertEquals("invalid host port '70000' (expected 1 to 65535)", e.getMessage());
  }

  @Test
  void everyStandardBoardConfiguresItsNetworkAndABadModeIsRefused() {
    for (Board b : Boards.all()) {
      assertEquals(Board.NETWORKING_AUTO, b.networking(), b.id());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BoardDefinition(
                    "x",
                    Architecture.ARM64,
                    "d",
                    List.of(),
                    List.of(),
                    "grub",
                    "gpt",
                    "",
                    "ttyS0",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "netplan",
                    null));
    assertTrue(
        e.getMessage()
            .startsWith(
                "invalid networking 'netplan' of board x (expected one of [auto,"
                    + " systemd-networkd, ifupdown, none])"),
        e.getMessage());
  }

  @Test
  void theLaunchLineBootsTheImageWithTheBoardsFirmware() {
    assertEquals(
        "qemu-system-aarch64 -machine virt,accel=tcg -cpu cortex-a57 -m 1024 -smp 2 -nographic"
            + " -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd"
            + " -drive if=pflash,format=raw,unit=1,snapshot=on,file=/usr/share/AAVMF/AAVMF_VARS.fd"
            + " -drive if=virtio,format=raw,file=out/debian-bookworm-qemu-arm64.img -nic user,model=virtio-net-pci",
        Boards.find("qemu-arm64")
            .launchCommand(Path.of("out/debian-bookworm-qemu-arm64.img"))
            .orElseThrow());
    assertEquals(
        "qemu-system-x86_64 -machine q35,accel=tcg -cpu max -m 1024 -smp 2 -nographic"
            + " -drive 'if=virtio,format=qcow2,file=/tmp/my image.qcow2' -nic user,model=virtio-net-pci",
        Board.QemuHints.shellQuote(
            Boards.find("pc-amd64")
                .qemu()
                .orElseThrow()
                .commandLine(Path.of("/tmp/my image.qcow2"), "bios", false, false)));
    List<String> kvm =
        Boards.find("pc-amd64")
            .qemu()
            .orElseThrow()
            .commandLine(Path.of("a.img"), "uefi", true, true);
    assertTrue(
        kvm.containsAll(
            List.of("q35,accel=kvm", "host", "if=virtio,format=raw,file=a.img,snapshot=on")),
        kvm.toString());
  }

  @Test
  void aBoardWithTwoRootsOrAnUnknownGrubTargetIsRejected() {
    Board.Partition root = new Board.Partition("root", "ext4", "auto", "root", "/", null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BoardDefinition(
                    "x",
                    Architecture.ARM64,
                    "d",
                    List.of(),
                    List.of(),
                    "grub",
                    "gpt",
                    "",
                    "ttyS0",
                    null,
                    null,
                    null,
                    null,
                    List.of(root, new Board.Partition("root", "ext4", "1GiB", "r2", "/", null)),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    assertTrue(e.getMessage().startsWith("board x has 2 root partitions"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BoardDefinition(
                    "x",
                    Architecture.ARM64,
                    "d",
                    List.of(),
                    List.of(),
                    "grub",
                    "gpt",
                    "",
                    "ttyS0",
                    null,
                    null,
                    null,
                    List.of("arm64-uboot"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    assertTrue(
        e.getMessage().startsWith("invalid GRUB target 'arm64-uboot' of board x"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Board.Partition("root", "ext4", "lots", null, "/", null));
    assertTrue(e.getMessage().startsWith("invalid partition size 'lots'"), e.getMessage());
  }
}
