package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.spec.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTypesTest {
  @TempDir Path allowed;

  private ImageSpec spec(String json) {
    return types().builderFor(BuildRequest.parseList(json).get(0)).spec();
  }

  private ImageTypes types() {
    return ImageTypes.standard().withPolicy(RequestPolicy.allowingPathsUnder(List.of(allowed)));
  }

  private static IllegalArgumentException refusedByDefault(String json) {
    BuildRequest r = BuildRequest.parseList(json).get(0);
    return assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(r));
  }

  private IllegalArgumentException refused(String json) {
    BuildRequest r = BuildRequest.parseList(json).get(0);
    return assertThrows(IllegalArgumentException.class, () -> types().builderFor(r));
  }

  @Test
  void aRequestSwitchesTheUpdatesAndSecuritySuitesOffWithFalse() {
    ImageSpec off =
        spec(
            """
            [{"image_type": "rootfs", "series": "bookworm", "updates": false, "security": false}]
            """);
    assertFalse(off.updates());
    assertFalse(off.security());
    ImageSpec on =
        spec(
            """
            [{"image_type": "rootfs", "series": "bookworm", "updates": true}]
            """);
    assertTrue(on.updates() && on.security());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BuildRequest.parseList(
                    "[{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"security\": \"no\"}]"));
    assertEquals(
        "invalid security '\"no\"' in request [0] (expected a boolean, got a string)",
        e.getMessage());
  }

  @Test
  void everySpecFieldAFarmNeedsCanBeGiven() throws Exception {
    Path key = Files.writeString(allowed.resolve("vendor.asc"), "key");
    Path deb = Files.writeString(allowed.resolve("tool_1.0_amd64.deb"), "deb");
    ImageSpec spec =
        spec(
            """
        {"image_type": "rootfs", "series": "trixie", "arch": "arm64", "variant": "standard",
         "format": ["tar.gz", "tar"], "hostname": "farm-7", "mirror": "http://mirror.example/debian",
         "package_list": ["curl"], "exclude_list": ["nano"], "source_date_epoch": 1700000000,
         "users": [{"name": "ci", "groups": ["adm"], "sudo": true, "password_hash": "$y$j9T$salt$hash",
                    "ssh_keys": ["ssh-ed25519 AAAA ci@farm"]}],
         "files": [{"path": "/etc/motd", "content": "hello\\n"},
                   {"path": "/usr/local/bin/run", "mode": "0755", "content_base64": "IyEvYmluL3NoCg=="}],
         "repositories": [{"name": "vendor", "uri": "https://apt.example/debian", "suite": "trixie",
                           "components": ["main"], "key": "%s"},
                          {"name": "side", "uri": "http://127.0.0.1:8080/r", "suite": "stable",
                           "components": ["main"], "unsigned": true}],
         "local_packages": ["%s"]}
        """
                .formatted(key, deb));

    assertEquals("trixie", spec.series());
    assertEquals(Architecture.ARM64, spec.architecture());
    assertEquals(Variant.STANDARD, spec.variant());
    assertEquals(List.of(OutputFormat.TAR_GZ, OutputFormat.TAR), spec.outputs());
    assertEquals("farm-7", spec.hostname());
    assertEquals("http://mirror.example/debian", spec.mirror());
    assertEquals(List.of("curl"), spec.packages());
    assertEquals(List.of("nano"), spec.excludedPackages());
    assertEquals(1700000000L, spec.sourceDateEpoch());
    assertEquals(
        List.of(
            new UserAccount(
                "ci",
                List.of("adm"),
                true,
                "$y$j9T$salt$hash",
                List.of("ssh-ed25519 AAAA ci@farm"))),
        spec.users());
    assertEquals(
        List.of(
            FileEntry.text("/etc/motd", "hello\n"),
            FileEntry.of(
                "/usr/local/bin/run", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))),
        spec.files());
    assertEquals(
        List.of(
            AptSource.signed(
                "vendor",
                "https://apt.example/debian",
                "trixie",
                List.of("main"),
                key.toRealPath().toString()),
            new AptSource(
                "side",
                "http://127.0.0.1:8080/r",
                "stable",
                List.of("main"),
                null,
                null,
                true,
                false)),
        spec.repositories());
    assertEquals(1, spec.localPackages().size());
    assertEquals(deb.toRealPath().toString(), spec.localPackages().get(0).path());
  }

  @Test
  void anImageUrlCarriesTheSha256TheRequestGives() {
    String sha = "a".repeat(64);
    ImageSpec spec =
        spec(
            "{\"image_type\": \"rootfs\", \"series\": \"bookworm\","
                + " \"image\": \"https://images.example/base.tar.zst\", \"image_sha256\": \""
                + sha
                + "\"}");
    assertEquals("https://images.example/base.tar.zst#sha256=" + sha, spec.baseImage());
    assertTrue(
        refused(
                "{\"image_type\": \"rootfs\", \"series\": \"bookworm\","
                    + " \"image\": \"https://images.example/base.tar.zst\", \"image_sha256\": \"abc\"}")
            .getMessage()
            .startsWith("invalid image_sha256 'abc' (expected 64 lower-case hex digits)"));
    assertTrue(
        refused(
                "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"image_sha256\": \""
                    + sha
                    + "\"}")
            .getMessage()
            .startsWith("image_sha256 '" + sha + "' without an image URL"));
  }

  @Test
  void nestedValuesOfTheWrongTypeAreNamedByTheirPlace() {
    assertEquals(
        "invalid users[0].sudo '\"yes\"' (expected true or false)",
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"users\":[{\"name\":\"ci\",\"sudo\":\"yes\"}]}")
            .getMessage());
    assertEquals(
        "unknown field 'shell' in users[0] (expected one of [groups, name, password_hash, ssh_keys, sudo])",
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"users\":[{\"name\":\"ci\",\"shell\":\"/bin/sh\"}]}")
            .getMessage());
    assertEquals(
        "files[0] has no path (expected \"path\": a string)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"files\":[{\"content\":\"x\"}]}")
            .getMessage());
    assertEquals(
        "invalid files[0] (expected exactly one of content and content_base64)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"files\":[{\"path\":\"/x\"}]}")
            .getMessage());
  }

  @Test
  void anSshKeyWithANewlineInARequestIsRefused() {
    IllegalArgumentException e =
        refused(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\","
                + "\"users\":[{\"name\":\"ci\",\"ssh_keys\":[\"ssh-ed25519 AAAA a\\nssh-rsa BBBB evil\"]}]}");
    assertTrue(
        e.getMessage()
            .startsWith("invalid SSH key 'ssh-ed25519 AAAA a\\nssh-rsa BBBB evil' of user 'ci'"),
        e.getMessage());
  }

  @Test
  void byDefaultARequestMayNameNoHostPath() {
    IllegalArgumentException image =
        refusedByDefault(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\"/etc/shadow\"}");
    assertEquals(
        "local path '/etc/shadow' for image is not allowed in a build request (expected a URL or inline"
            + " content: no directory is allowed for local files of requests)",
        image.getMessage());
    IllegalArgumentException ppaKey =
        refusedByDefault(
            "{\"image_type\":\"rootfs\",\"series\":\"noble\",\"ppa_list\":[\"ppa:o/n=/root/.ssh/id_rsa\"]}");
    assertTrue(
        ppaKey
            .getMessage()
            .startsWith("local path '/root/.ssh/id_rsa' for key file of ppa:o/n is not allowed"),
        ppaKey.getMessage());
    IllegalArgumentException deb =
        refusedByDefault(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"local_packages\":[\"/var/cache/x.deb\"]}");
    assertTrue(
        deb.getMessage()
            .startsWith("local path '/var/cache/x.deb' for local package is not allowed"),
        deb.getMessage());
    IllegalArgumentException repoKey =
        refusedByDefault(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"repositories\":"
                + "[{\"name\":\"v\",\"uri\":\"https://a.example\",\"suite\":\"s\",\"components\":[\"main\"],\"key\":\"/etc/shadow\"}]}");
    assertTrue(
        repoKey
            .getMessage()
            .startsWith("local path '/etc/shadow' for key of repository 'v' is not allowed"),
        repoKey.getMessage());
  }

  @Test
  void anAllowedDirectoryLetsItsFilesInButNothingElse() throws Exception {
    Path base = Files.writeString(allowed.resolve("base.tar"), "tar");
    assertEquals(
        base.toString(),
        spec("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\"" + base + "\"}")
            .baseImage());
    assertEquals(
        "local path '/etc/passwd' for image is not allowed in a build request (expected a file under "
            + allowed.toRealPath()
            + ")",
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\"/etc/passwd\"}")
            .getMessage());
    Path link = Files.createSymbolicLink(allowed.resolve("escape.tar"), Path.of("/etc/passwd"));
    assertTrue(
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\"" + link + "\"}")
            .getMessage()
            .startsWith("local path '" + link + "' for image is not allowed"));
    assertTrue(
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\""
                    + allowed
                    + "/../../etc/passwd\"}")
            .getMessage()
            .contains("is not allowed in a build request"));
    assertTrue(
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"image\":\"base.tar\"}")
            .getMessage()
            .startsWith(
                "invalid local path 'base.tar' for image (expected an absolute path under"));
  }

  @Test
  void aLocalPackageByUrlCarriesItsSha256() {
    String sha = "c".repeat(64);
    ImageSpec spec =
        spec(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"local_packages\":"
                + "[{\"url\":\"https://x.example/pool/a_1_amd64.deb\",\"sha256\":\""
                + sha
                + "\"}]}");
    assertEquals(
        List.of(
            new io.imagebuilder.api.spec.LocalPackage("https://x.example/pool/a_1_amd64.deb", sha)),
        spec.localPackages());
    assertTrue(
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"local_packages\":[\"https://x.example/a.deb\"]}")
            .getMessage()
            .startsWith(
                "invalid local package 'https://x.example/a.deb' (a URL without its sha256;"));
    assertEquals(
        "local_packages[0] has no sha256 (expected \"sha256\": a string)",
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"local_packages\":[{\"url\":\"https://x.example/a.deb\"}]}")
            .getMessage());
    assertTrue(
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"local_packages\":"
                    + "[{\"url\":\"ftp://x.example/a.deb\",\"sha256\":\""
                    + sha
                    + "\"}]}")
            .getMessage()
            .startsWith("invalid local package URL 'ftp://x.example/a.deb'"));
  }

  @Test
  void aRequestsArchivesAreRemote() {
    assertEquals(
        "invalid mirror 'file:/srv/secret' (expected an http(s) URL: a build request may not name a directory"
            + " of the build host)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"mirror\":\"file:/srv/secret\"}")
            .getMessage());
    assertTrue(
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"repositories\":[{\"name\":\"v\","
                    + "\"uri\":\"file:///var/lib\",\"suite\":\"s\",\"components\":[\"main\"],\"unsigned\":true}]}")
            .getMessage()
            .startsWith(
                "invalid uri of repository 'v' 'file:///var/lib' (expected an http(s) URL"));
  }

  @Test
  void rootfsTakesNoBoard() {
    assertTrue(
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"board\":\"qemu-arm64\"}")
            .getMessage()
            .startsWith("unknown field 'board' for image_type 'rootfs'"));
  }
}
