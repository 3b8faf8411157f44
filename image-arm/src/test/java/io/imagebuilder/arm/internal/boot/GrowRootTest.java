package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.process.HostProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowRootTest {
  @TempDir Path root;

  @Test
  void theUnitRunsAShellScriptWithSfdiskOnceAndNeedsNoPython() throws Exception {
    GrowRoot.install(root);
    Path script = root.resolve(GrowRoot.SCRIPT.substring(1));
    assertTrue(Files.isExecutable(script));
    HostProcess.Result syntax = HostProcess.of("sh", "-n", script.toString()).runToEnd();
    assertTrue(syntax.ok(), "sh -n: " + syntax.output());

    String text = Files.readString(script);
    assertTrue(text.contains("findmnt -n -o MAJ:MIN -M / | tr -d ' '"), "unpadded: " + text);
    assertTrue(text.contains("--relocate gpt-bak-std \"$disk\""), text);
    assertTrue(text.contains("echo ',+' | sfdisk --no-reread"), text);
    assertTrue(text.contains("-N \"$num\" \"$disk\""), text);
    assertTrue(text.contains("partx -u --nr \"$num\" \"$disk\""), text);
    assertTrue(text.contains("resize2fs \"$part\""), text);
    assertTrue(text.endsWith("touch " + GrowRoot.DONE + "\n"), "marked done last: " + text);
    assertFalse(text.contains("growpart"), text);

    String unit = Files.readString(root.resolve("etc/systemd/system/" + GrowRoot.UNIT));
    assertTrue(unit.contains("ConditionPathExists=!" + GrowRoot.DONE + "\n"), unit);
    assertTrue(unit.contains("ExecStart=" + GrowRoot.SCRIPT + "\n"), unit);
    assertEquals(
        Path.of("/etc/systemd/system/" + GrowRoot.UNIT),
        Files.readSymbolicLink(
            root.resolve("etc/systemd/system/multi-user.target.wants/" + GrowRoot.UNIT)));
  }
}
