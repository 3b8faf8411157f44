package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.ConsoleApplication;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestAccounts;
import io.imagebuilder.console.account.AuditEntry;
import io.imagebuilder.console.account.AuditLog;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Role limits, releases, quotas, retention run by hand and the disk report over the REST API (issue
 * 16, items 7 and 8): each refusal answers its status and a message naming the field, role or
 * quota, queues nothing and is in the audit log. No root, no network: nothing is built; the
 * finished builds are ones the test puts in the store, with files of known sizes.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "console.policy.extra-repositories=release",
      "console.quota.accounts.quinn=100",
      "console.retention.keep-per-spec=1"
    })
class PolicyApiTest {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) {
    r.add("console.data-dir", () -> data.resolve("data").toString());
    r.add("console.cache-dir", () -> data.resolve("cache").toString());
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SPECS = new AtomicInteger();
  private static final String PLAIN =
      "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"]}";

  @LocalServerPort int port;
  private ApplicationContext context;
  private BuildStore store;
  private int buildsBefore;

  @BeforeEach
  void beans(ApplicationContext context) {
    this.context = context;
    store = context.getBean(BuildStore.class);
    buildsBefore = store.all().size();
  }

  @AfterEach
  void nothingQueued() {
    assertEquals(buildsBefore, store.all().size(), "a refused call queued a build");
  }

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return ApiCalls.call(port, method, path, token, body);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String fragment) {
    ApiCalls.assertProblem(r, status, fragment);
  }

  private List<AuditEntry> audit(String account, String action) {
    return context.getBean(AuditLog.class).all().stream()
        .filter(e -> e.account().equals(account) && e.action().equals(action))
        .toList();
  }

  @Test
  void aFieldTheCallersRoleMayNotUseIs403NamingTheFieldAndTheRoleNeeded() throws Exception {
    String builder = TestAccounts.token(context, "bert", Role.BUILD);
    String ppa =
        "{\"image_type\":\"rootfs\",\"series\":\"noble\",\"ppa_list\":[\"ppa:owner/name\"]}";
    assertProblem(
        call("POST", "/api/builds", builder, ppa),
        403,
        "field 'ppa_list' (PPAs) needs role release (console.policy); the caller holds [view,"
            + " build]");
    // one refused request of a list refuses the whole list
    assertProblem(
        call("POST", "/api/builds", builder, "[" + PLAIN + "," + ppa + "]"),
        403,
        "field 'ppa_list'");
    List<AuditEntry> refused = audit("bert", "submit refused");
    assertEquals(2, refused.size(), refused.toString());
    assertTrue(refused.get(0).target().contains("needs role release"), refused.toString());
  }

  @Test
  void aSubmissionOverTheAccountsQuotaIs409NamingQuotaAndUsage() throws Exception {
    String quinn = TestAccounts.token(context, "quinn", Role.BUILD);
    finished("quinn", BuildStatus.SUCCEEDED, 150, 50);
    assertProblem(
        call("POST", "/api/builds", quinn, PLAIN),
        409,
        "account 'quinn' stores 200 bytes, at or over its quota of 100 bytes (console.quota)");
    assertEquals(1, audit("quinn", "submit refused").size());
  }

  @Test
  void onlyTheReleaseRoleMarksASucceededBuildAsARelease() throws Exception {
    BuildView done = finished("bert", BuildStatus.SUCCEEDED, 10, 10);
    BuildView failed = finished("bert", BuildStatus.FAILED, 0, 10);
    String path = "/api/builds/" + done.id() + "/release";
    assertProblem(call("POST", path, null, null), 401, "authentication required");
    String builder = TestAccounts.token(context, "bert", Role.BUILD);
    assertProblem(
        call("POST", path, builder, null),
        403,
        "marking a build as a release needs role release (console.policy.release); the caller"
            + " holds [view, build]");
    assertEquals(1, audit("bert", "release refused").size());
    String releaser = TestAccounts.token(context, "rita", Role.RELEASE);
    assertProblem(
        call("POST", "/api/builds/" + failed.id() + "/release", releaser, null),
        409,
        "is FAILED (expected a SUCCEEDED build to release)");
    HttpResponse<String> ok = call("POST", path, releaser, null);
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode shown = JSON.readTree(call("GET", "/api/builds/" + done.id(), builder, null).body());
    assertEquals("rita", shown.path("release").path("by").asText(), shown.toString());
    assertEquals(1, audit("rita", "release").size());
    JsonNode releases =
        JSON.readTree(call("GET", "/api/builds?release=true", builder, null).body());
    assertTrue(ids(releases).contains(done.id()), releases.toString());
    assertFalse(ids(releases).contains(failed.id()), releases.toString());
    assertEquals(done.id(), audit("rita", "release").get(0).target());
  }

  @Test
  void retentionRunByAnAdminRemovesTheFilesOfOlderBuildsOfASpecButNotAReleaseAndKeepsTheRows()
      throws Exception {
    String spec = nextSpec();
    BuildView release = finished("alice", BuildStatus.SUCCEEDED, 30, 5, spec, 3);
    BuildView older = finished("alice", BuildStatus.SUCCEEDED, 40, 5, spec, 2);
    BuildView newest = finished("alice", BuildStatus.SUCCEEDED, 50, 5, spec, 1);
    store.save(release.withRelease(new BuildView.Release("rita", Instant.now())));
    String builder = TestAccounts.token(context, "bert", Role.BUILD);
    assertProblem(call("POST", "/api/admin/retention", builder, null), 403, "may not");

    JsonNode disk = JSON.readTree(call("GET", "/api/disk", builder, null).body());
    List<String> pending = ids(disk.path("nextRetention"));
    assertTrue(pending.contains(older.id()), disk.toString());
    assertFalse(pending.contains(release.id()) || pending.contains(newest.id()), disk.toString());

    String admin = TestAccounts.token(context, "adele", Role.ADMIN);
    HttpResponse<String> run = call("POST", "/api/admin/retention", admin, null);
    assertEquals(200, run.statusCode(), run.body());
    assertTrue(ids(JSON.readTree(run.body())).contains(older.id()), run.body());
    assertFalse(Files.exists(dir(older)), "the expired build's files are gone");
    assertTrue(Files.exists(dir(release).resolve("out/image.tar")), "the release stays");
    assertTrue(Files.exists(dir(newest).resolve("out/image.tar")), "the newest stays");
    JsonNode row = JSON.readTree(call("GET", "/api/builds/" + older.id(), builder, null).body());
    assertFalse(row.path("expiredAt").isMissingNode(), row.toString());
    assertProblem(
        call("GET", "/api/builds/" + older.id() + "/artifacts/image.tar", builder, null),
        404,
        "was removed by retention");
    assertProblem(
        call("GET", "/api/builds/" + older.id() + "/log", builder, null),
        404,
        "the log of build " + older.id() + " was removed by retention");
    assertTrue(
        audit("adele", "expire").stream().anyMatch(e -> e.target().startsWith(older.id())),
        "audited");
  }

  @Test
  void theDiskReportCountsArtifactsPerAccountAndTriggerLogsCacheAndFreeSpace() throws Exception {
    finished("dora", BuildStatus.SUCCEEDED, 1000, 24);
    String viewer = TestAccounts.token(context, "vera", Role.VIEW);
    HttpResponse<String> r = call("GET", "/api/disk", viewer, null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode disk = JSON.readTree(r.body());
    assertEquals(1000, disk.path("artifactBytesPerAccount").path("dora").asLong(), r.body());
    assertTrue(disk.path("artifactBytesPerTrigger").path("policy-test").asLong() >= 1000);
    assertTrue(disk.path("logBytes").asLong() >= 24, r.body());
    assertTrue(disk.path("freeBytes").asLong() > 0, r.body());
    assertTrue(disk.path("cacheMaxBytes").asLong() > 0, r.body());
    assertProblem(call("GET", "/api/disk", null, null), 401, "authentication required");
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new java.util.ArrayList<>();
    list.forEach(n -> out.add(n.path("id").asText()));
    return out;
  }

  private Path dir(BuildView b) {
    return context.getBean(ConsoleSettings.class).buildsDir().resolve(b.id());
  }

  private static String nextSpec() {
    return String.format("%064x", SPECS.incrementAndGet());
  }

  private BuildView finished(String owner, BuildStatus status, int artifactBytes, int logBytes)
      throws Exception {
    return finished(owner, status, artifactBytes, logBytes, nextSpec(), 0);
  }

  /** A finished build of {@code owner}, {@code hoursAgo} old, with files of these sizes. */
  private BuildView finished(
      String owner, BuildStatus status, int artifactBytes, int logBytes, String spec, int hoursAgo)
      throws Exception {
    Instant at = Instant.now().minusSeconds(3600L * hoursAgo);
    List<ArtifactView> artifacts =
        artifactBytes == 0
            ? List.of()
            : List.of(new ArtifactView("image.tar", "tar", artifactBytes, "a".repeat(64), null));
    BuildView b =
        new BuildView(
            BuildIds.next(),
            status,
            "rootfs",
            "bookworm",
            "amd64",
            null,
            List.of(),
            "policy-test",
            spec,
            "{}",
            owner,
            "127.0.0.1",
            at,
            at,
            at,
            List.of(),
            artifacts,
            null,
            null);
    Path dir = dir(b);
    Files.createDirectories(dir.resolve("out"));
    if (artifactBytes > 0) {
      Files.write(dir.resolve("out/image.tar"), new byte[artifactBytes]);
    }
    Files.write(dir.resolve("build.log"), new byte[logBytes]);
    store.save(b);
    buildsBefore++;
    return b;
  }
}
