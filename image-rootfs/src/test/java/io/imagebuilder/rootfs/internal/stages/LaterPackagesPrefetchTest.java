package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.Resolver;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaterPackagesPrefetchTest {
  private final List<PackageRecord> records = new ArrayList<>();

  private void pkg(String name, String... fields) {
    records.add(
        PackageRecord.fromStanza(
            Deb822.parse(TestRepository.stanza(name, "1.0", "arm64", fields)).get(0), "test"));
  }

  private static Board board() {
    return new Board() {
      @Override
      public String id() {
        return "test-board";
      }

      @Override
      public Architecture architecture() {
        return Architecture.ARM64;
      }

      @Override
      public String description() {
        return "a board";
      }

      @Override
      public List<String> kernelPackages() {
        return List.of("linux-image-arm64");
      }

      @Override
      public List<String> firmwarePackages() {
        return List.of("firmware-brcm80211");
      }

      @Override
      public String bootloader() {
        return "grub-efi";
      }

      @Override
      public String partitionTable() {
        return "gpt";
      }

      @Override
      public String kernelCommandLine() {
        return "console=ttyAMA0";
      }

      @Override
      public String serialConsole() {
        return "ttyAMA0";
      }
    };
  }

  @Test
  void theLaterNamesAreTheBoardsPackagesThenTheSpecsPlainOnes() {
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.ARM64)
            .addPackage("openssh-server")
            .addPackage("curl:armhf")
            .addPackage("vim=2:9.0")
            .addPackage("linux-image-arm64")
            .build();
    List<String> expected = new ArrayList<>(List.of("linux-image-arm64", "firmware-brcm80211"));
    expected.addAll(board().bootPackages());
    expected.add("openssh-server");
    assertEquals(expected, LaterPackagesPrefetch.laterNames(spec.packages(), Optional.of(board())));
    assertEquals(
        List.of("linux-image-arm64", "openssh-server"),
        LaterPackagesPrefetch.laterNames(spec.packages(), Optional.empty()));
  }

  @Test
  void onlyWhatTheBootstrapSetLacksIsFetchedAndUnknownOrBrokenNamesAreLeftOut() throws Exception {
    pkg("libc6", "Essential: yes", "Priority: required");
    pkg("openssh-server", "Priority: optional", "Depends: libc6, libwrap0");
    pkg("libwrap0", "Priority: optional", "Depends: libc6");
    pkg("broken", "Priority: optional", "Depends: missing-lib");
    PackageUniverse universe = new PackageUniverse("arm64", records, "bookworm main");
    List<PackageRecord> bootstrap = Resolver.resolve(universe, Variant.ESSENTIAL, List.of());

    List<String> fetched =
        LaterPackagesPrefetch.beyond(
                universe,
                Variant.ESSENTIAL,
                bootstrap,
                List.of("openssh-server", "broken", "from-a-ppa"))
            .stream()
            .map(PackageRecord::name)
            .sorted()
            .toList();

    assertEquals(List.of("libwrap0", "openssh-server"), fetched);
  }
}
