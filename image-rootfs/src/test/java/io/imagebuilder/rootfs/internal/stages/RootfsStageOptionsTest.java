package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.internal.stages.OptionVariants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every value a standard rootfs stage reads is part of its id: each stage is built from its options
 * record, and changing any one component of that record (nested ones included) gives another id.
 */
class RootfsStageOptionsTest {
  private static final String SHA = "ab".repeat(32);

  /** A spec that gives every option of every rootfs stage a value. */
  private static ImageSpec.Builder everything() {
    return ImageSpec.builder("bookworm")
        .architecture(Architecture.AMD64)
        .mirror("http://deb.example.org/debian")
        .mirrorKey("/etc/keys/mirror.gpg")
        .components(List.of("main", "contrib"))
        .addRepository(
            new AptSource(
                "lab",
                "http://lab.example.org/debian",
                "stable",
                List.of("main"),
                null,
                null,
                true,
                false))
        .addPpa(Ppa.parse("ppa:team/tools"))
        .addLocalPackage(new LocalPackage("https://files.example.org/tool.deb", SHA))
        .addPackage("curl")
        .addExcludedPackage("nano")
        .hostname("box")
        .addUser(new UserAccount("pi", List.of("video"), true, null, List.of()))
        .addFile(FileEntry.text("/etc/motd", "hello\n"))
        .outputs(List.of(OutputFormat.TAR_ZST, OutputFormat.TAR_XZ));
  }

  @Test
  void everyOptionOfEveryStandardStageChangesItsId() {
    // Packages against the archive alone (the check before the bootstrap reads it), and a base
    // image.
    List<ImageSpec> specs =
        List.of(
            everything().build(),
            ImageSpec.builder("bookworm")
                .architecture(Architecture.ARM64)
                .mirrorKey("/etc/keys/mirror.gpg")
                .addPackage("curl")
                .addExcludedPackage("nano")
                .build(),
            everything().baseImage("https://images.example.org/base.tar.zst#sha256=" + SHA).build(),
            everything()
                .lock(
                    io.imagebuilder.api.spec.Lock.of(
                        List.of(
                            new io.imagebuilder.api.spec.Lock.LockedPackage(
                                "curl", "7.88.1-10", "amd64", SHA, "debian")),
                        List.of(
                            new io.imagebuilder.api.spec.Lock.LockedRepository(
                                "debian",
                                "http://deb.example.org/debian",
                                "bookworm",
                                List.of("main"),
                                "0123456789ABCDEF0123456789ABCDEF01234567",
                                SHA,
                                "Sat, 11 Nov 2023 09:45:12 UTC")),
                        1_700_000_000L,
                        null))
                .build());
    Map<String, Set<String>> varied = new TreeMap<>();
    Map<String, List<String>> all = new TreeMap<>();
    for (ImageSpec spec : specs) {
      for (Stage stage : new RootfsStageProvider().stages(spec)) {
        OptionVariants.Check check = OptionVariants.check(stage);
        assertEquals(
            List.of(), check.outsideTheId(), stage.type() + ": options that do not change its id");
        varied.computeIfAbsent(stage.type(), t -> new TreeSet<>()).addAll(check.varied());
        all.put(stage.type(), OptionVariants.allComponents(OptionVariants.optionsType(stage)));
      }
    }
    all.forEach(
        (type, components) ->
            assertEquals(
                new TreeSet<>(components),
                varied.get(type),
                type + ": every option is changed with one of the specs"));
    Set<String> seen = all.keySet();
    assertTrue(
        seen.containsAll(
            List.of(
                "rootfs.bootstrap",
                "rootfs.base",
                "rootfs.sources",
                "rootfs.local-repository",
                "rootfs.local-repository-removal",
                "rootfs.lists",
                "rootfs.packages",
                "rootfs.customise",
                "rootfs.finalise",
                "rootfs.tarball")),
        "every standard rootfs stage is checked: " + seen);
  }
}
