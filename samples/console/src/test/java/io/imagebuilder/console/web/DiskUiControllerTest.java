package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.Browser;
import io.imagebuilder.console.ConsoleApplication;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestAccounts;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The disk page, a role limit on the start form, and marking a release from a build's page: the
 * refusals are shown on the page with their reason, and nothing is queued.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "console.policy.extra-repositories=release")
class DiskUiControllerTest {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) {
    r.add("console.data-dir", () -> data.resolve("data").toString());
    r.add("console.cache-dir", () -> data.resolve("cache").toString());
  }

  @LocalServerPort int port;

  private Browser logIn(ApplicationContext context, String name, Role role) throws Exception {
    TestAccounts.token(context, name, role, name + "'s long password");
    Browser b = new Browser(port);
    assertEquals(302, b.logIn(name, name + "'s long password").statusCode());
    return b;
  }

  @Test
  void aFieldTheRoleMayNotUseIsShownOnTheFormAndNothingIsQueued(ApplicationContext context)
      throws Exception {
    BuildStore store = context.getBean(BuildStore.class);
    int before = store.all().size();
    HttpResponse<String> r =
        logIn(context, "carol", Role.BUILD)
            .submit(
                "/",
                "/builds",
                "imageType=rootfs&series=noble&arch=amd64&variant=minbase&packages=hello"
                    + "&ppas=ppa:owner/name");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("field &#39;ppa_list&#39; (PPAs) needs role release"), r.body());
    assertEquals(before, store.all().size());
  }

  @Test
  void theDiskPageAndTheReleaseButton(ApplicationContext context) throws Exception {
    BuildView b = finished(context, "carol", 1234);
    Browser carol = logIn(context, "carol", Role.BUILD);
    HttpResponse<String> disk = carol.get("/disk");
    assertEquals(200, disk.statusCode(), disk.body());
    assertTrue(disk.body().contains("<td>carol</td><td>1234</td>"), disk.body());
    assertTrue(disk.body().contains("id=\"free\""), disk.body());

    String page = "/builds/" + b.id();
    assertTrue(carol.get(page).body().contains("id=\"mark-release\""));
    HttpResponse<String> refused = carol.submit(page, page + "/release", "");
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("needs role release"), refused.body());

    Browser rita = logIn(context, "rita", Role.RELEASE);
    HttpResponse<String> done = rita.submit(page, page + "/release", "");
    assertEquals(302, done.statusCode(), done.body());
    String after = rita.get(page).body();
    assertTrue(after.contains("id=\"release\""), after);
    assertTrue(after.contains("marked by <b>rita</b>"), after);
    assertFalse(after.contains("id=\"mark-release\""), after);
  }

  private static BuildView finished(ApplicationContext context, String owner, int bytes)
      throws Exception {
    Instant at = Instant.now();
    BuildView b =
        new BuildView(
            BuildIds.next(),
            BuildStatus.SUCCEEDED,
            "rootfs",
            "bookworm",
            "amd64",
            null,
            List.of(),
            "",
            "c".repeat(64),
            "{}",
            owner,
            "127.0.0.1",
            at,
            at,
            at,
            List.of(),
            List.of(new ArtifactView("image.tar", "tar", bytes, "a".repeat(64), null)),
            null,
            null);
    Path out = context.getBean(ConsoleSettings.class).buildsDir().resolve(b.id()).resolve("out");
    Files.createDirectories(out);
    Files.write(out.resolve("image.tar"), new byte[bytes]);
    context.getBean(BuildStore.class).save(b);
    return b;
  }
}
