package io.imagebuilder.rootfs.internal.stages;

import static io.imagebuilder.rootfs.internal.stages.AptCommands.aptInstall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.deb.DebRepacker.Listed;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptInstallerTest {
  @TempDir Path temp;

  private final ImageSpec spec =
      ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build();

  @Test
  void aptOnlyDownloadsFirstAndAHostileDebInItsCacheStopsTheInstallBeforeDpkg() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path archives = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    // What apt's --download-only would have left: one fine package, one with a device node.
    Debs.rawDeb(
        archives.resolve("fine_1.0_amd64.deb"),
        "fine",
        List.of(Entry.dir("./"), Entry.file("./a", "a")));
    Debs.rawDeb(
        archives.resolve("evil_1.0_amd64.deb"),
        "evil",
        List.of(Entry.dir("./"), Entry.special("./dev/sda", TarConstants.LF_BLK)));
    TestStageContext context = new TestStageContext(spec, root, temp);

    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () ->
                new AptInstaller().install(context, List.of("-o", "X=1"), List.of("fine", "evil")));

    assertEquals("evil", e.packageName());
    assertEquals("./dev/sda", e.entry());
    assertEquals(
        List.of(aptInstall("--download-only", "-o", "X=1", "fine", "evil")),
        context.argvs(),
        "only the download ran: dpkg never saw the package");
  }

  @Test
  void cleanDownloadsAreInstalledAfterTheCheck() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path archives = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    Debs.rawDeb(
        archives.resolve("fine_1.0_amd64.deb"),
        "fine",
        List.of(Entry.dir("./"), Entry.file("./a", "a")));
    TestStageContext context = new TestStageContext(spec, root, temp);

    new AptInstaller().install(context, List.of(), List.of("fine"));

    assertEquals(
        List.of(aptInstall("--download-only", "fine"), aptInstall("fine")), context.argvs());
  }

  @Test
  void theChecksDoneSurviveAStageCacheRestoreAsData() throws Exception {
    // the engine keeps context facts as JSON and reads them back (FactSnapshot)
    AptInstaller.CheckedDebs checked = new AptInstaller.CheckedDebs(Set.of("ab".repeat(32)));
    assertEquals(
        checked,
        Json.mapper()
            .convertValue(Json.mapper().valueToTree(checked), AptInstaller.CheckedDebs.class));
  }

  @Test
  void aTransactionThatShipsACommandTheTargetHasGetsNoNativeHelpers() throws Exception {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.writeString(root.resolve("usr/bin/sed"), "sed");

    // a new command, or a directory the target has, leaves the helpers' binds alone
    assertFalse(
        AptInstaller.shipsExistingCommand(
            root,
            List.of(new Listed("/usr/bin", true, null), new Listed("/usr/bin/ssh", false, null))));
    assertFalse(
        AptInstaller.shipsExistingCommand(root, List.of(new Listed("/usr/lib/sed", false, null))));
    // sed again, also as the unmerged path the target resolves to the same file
    assertTrue(
        AptInstaller.shipsExistingCommand(root, List.of(new Listed("/usr/bin/sed", false, null))));
    assertTrue(
        AptInstaller.shipsExistingCommand(root, List.of(new Listed("/bin/sed", false, null))));
  }
}
