package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UbuntuManifestTest {
  @TempDir Path dir;

  @Test
  void onePackageTabVersionLinePerInstalledPackageSorted() throws IOException {
    String text =
        UbuntuManifest.of(
            Manifests.fromRootfs(Fixtures.spec(), Fixtures.rootfs(dir), List.of(), Map.of(), null));

    assertEquals(
        "base-files\t12.4+deb12u5\n"
            + "libc6:amd64\t2.36-9+deb12u4\n"
            + "libc6:i386\t2.36-9+deb12u4\n"
            + "libssl3:amd64\t3.0.11-1~deb12u2+b1\n"
            + "openssh-server\t1:9.2p1-2+deb12u2\n"
            + "tzdata\t2024a-0+deb12u1\n",
        text);
  }
}
