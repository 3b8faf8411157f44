package io.imagebuilder.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.testing.TestStageContext;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookStageTest {
  @TempDir Path dir;

  private Command ran(Hook hook) throws Exception {
    ImageSpec spec =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addHook(hook).build();
    TestStageContext ctx =
        new TestStageContext(
            spec, Files.createDirectories(dir.resolve("root")), dir.resolve("work"));
    new HookStage(HookStage.Options.of(hook)).run(ctx);
    assertEquals(1, ctx.commands().size());
    return ctx.commands().get(0);
  }

  @Test
  void aHookRunsWithoutTheNetworkUnlessItAsksForIt() throws Exception {
    Hook plain = new Hook(HookPoint.AFTER_PACKAGES, List.of("sh", "-c", "true"));
    Command c = ran(plain);
    assertEquals(List.of("sh", "-c", "true"), c.argv());
    assertFalse(c.network());
    assertTrue(ran(plain.withNetwork()).network());
  }

  @Test
  void onlyANetworkHookGetsTheHostsResolverConfiguration() throws Exception {
    Hook plain = new Hook(HookPoint.AFTER_PACKAGES, List.of("sh", "-c", "true"));
    Path resolvConf = dir.resolve("root/etc/resolv.conf");
    ran(plain);
    assertFalse(Files.exists(resolvConf, LinkOption.NOFOLLOW_LINKS));
    ran(plain.withNetwork());
    assertEquals(
        Files.isReadable(Path.of("/etc/resolv.conf"))
            ? Files.readString(Path.of("/etc/resolv.conf"))
            : "",
        Files.readString(resolvConf));
  }
}
