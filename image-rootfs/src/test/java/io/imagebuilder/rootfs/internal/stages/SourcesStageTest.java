package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesStageTest {
  @TempDir Path temp;

  @Test
  void writesDeb822SourcesEachWithItsOwnKey() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("etc/apt"));
    Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://old bookworm main\n");
    Path vendorKey = Files.writeString(temp.resolve("vendor.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...");
    Path ppaKey = Files.write(temp.resolve("ppa.gpg"), new byte[] {(byte) 0x99, 1, 2});
    ImageSpec spec = ImageSpec.builder("bookworm").architecture(Architecture.ARM64)
        .components(List.of("main", "contrib"))
        .addRepository(AptSource.signed("vendor", "https://vendor.example/debian", "stable", List.of("main"), vendorKey.toString()))
        .addRepository(new AptSource("lab", "http://127.0.0.1:8080/repo", "lab", List.of("main"), null, null, true, false))
        .addPpa(new Ppa("ppa:team/tools", null, ppaKey.toString()))
        .build();

    new SourcesStage(spec).run(new TestStageContext(spec, root, temp));

    assertFalse(Files.exists(root.resolve("etc/apt/sources.list")));
    assertEquals("""
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """, Files.readString(root.resolve("etc/apt/sources.list.d/debian.sources")));
    assertTrue(Files.readString(root.resolve("etc/apt/sources.list.d/vendor.sources"))
        .contains("Signed-By: /etc/apt/keyrings/vendor.asc\n"));
    assertEquals(Files.readString(vendorKey), Files.readString(root.resolve("etc/apt/keyrings/vendor.asc")));
    assertTrue(Files.readString(root.resolve("etc/apt/sources.list.d/lab.sources")).contains("Trusted: yes\n"));
    String ppa = Files.readString(root.resolve("etc/apt/sources.list.d/ppa-team-tools.sources"));
    assertTrue(ppa.contains("URIs: https://ppa.launchpadcontent.net/team/tools/ubuntu\n"), ppa);
    assertTrue(ppa.contains("Signed-By: /etc/apt/keyrings/ppa-team-tools.gpg\n"), ppa);
  }

  @Test
  void aPpaWithoutKeyFileFailsBeforeAnyWork() {
    ImageSpec spec = ImageSpec.builder("noble").architecture(Architecture.AMD64)
        .addPpa(new Ppa("ppa:team/tools", "0123456789ABCDEF0123456789ABCDEF01234567", null)).build();
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new SourcesStage(spec).verify(new TestStageContext(spec, temp, temp)));
    assertTrue(e.getMessage().startsWith("PPA 'ppa:team/tools' has no key file"), e.getMessage());
  }
}
