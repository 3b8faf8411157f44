package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.Browser;
import io.imagebuilder.console.ConsoleApplication;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestAccounts;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.account.Tokens;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
 * Accounts, tokens and roles over the REST API (issue 16, items 7 and 9): 401 without or with a bad
 * token, 403 with too few rights, another account's token cannot cancel a build, tokens are kept
 * only as hashes, and the audit log says who did what. No root, no network: nothing is built; the
 * build to cancel is one the test puts in the store.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccountsApiTest {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) {
    r.add("console.data-dir", () -> data.resolve("data").toString());
    r.add("console.cache-dir", () -> data.resolve("cache").toString());
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"]}";

  @LocalServerPort int port;
  private ApplicationContext context;
  private BuildStore store;
  private ConsoleSettings settings;
  private int buildsBefore;

  @BeforeEach
  void beans(ApplicationContext context) {
    this.context = context;
    store = context.getBean(BuildStore.class);
    settings = context.getBean(ConsoleSettings.class);
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

  @Test
  void withoutCredentialsTheApiAnswers401AndQueuesNothing() throws Exception {
    HttpResponse<String> r = call("GET", "/api/builds", null, null);
    assertProblem(r, 401, "authentication required");
    assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertProblem(call("POST", "/api/builds", null, REQUEST), 401, "authentication required");
    assertProblem(call("GET", "/api/admin/audit", null, null), 401, "authentication required");
  }

  @Test
  void aTokenOfNoAccountIs401() throws Exception {
    assertProblem(
        call("POST", "/api/builds", Tokens.newToken(), REQUEST), 401, "invalid API token");
    assertProblem(call("GET", "/api/builds", "not-a-token", null), 401, "invalid API token");
  }

  @Test
  void tooFewRightsAre403() throws Exception {
    String viewer = TestAccounts.token(context, "vera", Role.VIEW);
    assertEquals(200, call("GET", "/api/builds", viewer, null).statusCode());
    assertProblem(
        call("POST", "/api/builds", viewer, REQUEST),
        403,
        "account 'vera' may not POST /api/builds");
    String builder = TestAccounts.token(context, "bert", Role.BUILD);
    assertProblem(call("GET", "/api/admin/audit", builder, null), 403, "account 'bert' may not");
    assertProblem(
        call("POST", "/api/admin/accounts", builder, "{\"name\":\"x\",\"roles\":[\"admin\"]}"),
        403,
        "account 'bert' may not");
    assertTrue(
        context.getBean(io.imagebuilder.console.account.AccountStore.class).find("x").isEmpty());
  }

  @Test
  void aTokenOfAnotherAccountCannotCancelABuildButAnAdminCan() throws Exception {
    BuildView alices = build("alice");
    String bob = TestAccounts.token(context, "bob", Role.BUILD);
    assertProblem(
        call("POST", "/api/builds/" + alices.id() + "/cancel", bob, null),
        403,
        "build " + alices.id() + " was submitted by 'alice'; only that account or an admin");
    String alice = TestAccounts.token(context, "alice", Role.BUILD);
    assertEquals(
        200, call("POST", "/api/builds/" + alices.id() + "/cancel", alice, null).statusCode());
    String admin = TestAccounts.token(context, "adele", Role.ADMIN);
    assertEquals(
        200, call("POST", "/api/builds/" + alices.id() + "/cancel", admin, null).statusCode());

    JsonNode audit = JSON.readTree(call("GET", "/api/admin/audit", admin, null).body());
    List<String> cancels = actions(audit, "cancel", alices.id());
    assertEquals(List.of("alice", "adele"), cancels, audit.toString());
  }

  @Test
  void anAdminSetsAnAccountsEmailWhenMakingItAndLaterAndABadOneIsRefused() throws Exception {
    String admin = TestAccounts.token(context, "adele", Role.ADMIN);
    HttpResponse<String> made =
        call(
            "POST",
            "/api/admin/accounts",
            admin,
            "{\"name\":\"ginny\",\"roles\":[\"build\"],\"email\":\"ginny@example.org\"}");
    assertEquals(201, made.statusCode(), made.body());
    assertEquals("ginny@example.org", JSON.readTree(made.body()).get("email").asText());
    assertProblem(
        call(
            "POST",
            "/api/admin/accounts",
            admin,
            "{\"name\":\"hal\",\"roles\":[\"build\"],\"email\":\"hal@\"}"),
        400,
        "invalid e-mail address 'hal@'");

    HttpResponse<String> changed =
        call(
            "PATCH",
            "/api/admin/accounts/ginny",
            admin,
            "{\"email\":\"ginny@builds.example.org\"}");
    assertEquals(200, changed.statusCode(), changed.body());
    assertTrue(
        call("GET", "/api/admin/accounts", admin, null)
            .body()
            .contains("\"email\":\"ginny@builds.example.org\""));
    assertProblem(
        call(
            "PUT", "/api/admin/accounts/ginny", admin, "{\"email\":\"a@b.org\\r\\nBcc: x@y.org\"}"),
        400,
        "invalid e-mail address");
    assertProblem(
        call("PATCH", "/api/admin/accounts/nobody", admin, "{\"email\":\"n@example.org\"}"),
        404,
        "no account 'nobody'");
    String builder = TestAccounts.token(context, "bert", Role.BUILD);
    assertEquals(
        403,
        call("PATCH", "/api/admin/accounts/ginny", builder, "{\"email\":\"b@example.org\"}")
            .statusCode());
    HttpResponse<String> removed =
        call("PATCH", "/api/admin/accounts/ginny", admin, "{\"email\":\"\"}");
    assertEquals(200, removed.statusCode(), removed.body());
    assertTrue(JSON.readTree(removed.body()).path("email").isMissingNode(), removed.body());
  }

  @Test
  void anAdminMakesAnAccountAndATokenThatIsStoredOnlyAsItsHash() throws Exception {
    String admin = TestAccounts.token(context, "adele", Role.ADMIN);
    HttpResponse<String> made =
        call(
            "POST",
            "/api/admin/accounts",
            admin,
            "{\"name\":\"erin\",\"roles\":[\"build\"],\"password\":\"erin's long password\"}");
    assertEquals(201, made.statusCode(), made.body());
    assertEquals("[\"build\"]", JSON.readTree(made.body()).get("roles").toString());
    assertProblem(
        call("POST", "/api/admin/accounts", admin, "{\"name\":\"erin\",\"roles\":[\"build\"]}"),
        400,
        "account 'erin' exists already");
    assertProblem(
        call("POST", "/api/admin/accounts", admin, "{\"name\":\"Erin!\",\"roles\":[\"build\"]}"),
        400,
        "invalid account name 'Erin!'");
    assertProblem(
        call("POST", "/api/admin/accounts", admin, "{\"name\":\"fay\",\"roles\":[\"root\"]}"),
        400,
        "invalid role 'root'");

    assertProblem(
        call("POST", "/api/admin/accounts/nobody/tokens", admin, null), 404, "no account 'nobody'");
    HttpResponse<String> t = call("POST", "/api/admin/accounts/erin/tokens", admin, null);
    assertEquals(201, t.statusCode(), t.body());
    String token = JSON.readTree(t.body()).get("token").asText();
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url: " + token);
    assertEquals(200, call("GET", "/api/builds", token, null).statusCode());

    // what the console's database holds on disk (SQLite here), its WAL included
    String stored = TestDatabases.bytesOnDisk(settings.dataDir().resolve("console.db"));
    assertFalse(stored.contains(token), "the token itself is stored");
    assertTrue(stored.contains(Tokens.hash(token)), "its hash is not");
    assertFalse(stored.contains("erin's long password"), "the password is stored");
    String listed = call("GET", "/api/admin/accounts", admin, null).body();
    assertFalse(listed.contains(Tokens.hash(token)) || listed.contains("$2a$"), listed);

    JsonNode audit = JSON.readTree(call("GET", "/api/admin/audit", admin, null).body());
    assertEquals(List.of("adele"), actions(audit, "account-created", "erin [BUILD]"));
    String tokenId = JSON.readTree(t.body()).get("id").asText();
    assertEquals(List.of("adele"), actions(audit, "token-created", "erin " + tokenId));
    assertFalse(audit.toString().contains(token), "the audit log holds the token");
  }

  @Test
  void theLoginPageTakesAPasswordOrATokenAndIsAudited() throws Exception {
    String token = TestAccounts.token(context, "gus", Role.VIEW, "gus's long password");
    Browser withToken = new Browser(port);
    HttpResponse<String> r = withToken.logIn("gus", token);
    assertEquals(302, r.statusCode());
    assertFalse(r.headers().firstValue("Location").orElseThrow().contains("error"));
    assertEquals(200, withToken.get("/").statusCode());
    // A viewer's session may look but not build.
    assertEquals(
        403,
        withToken
            .submit("/", "/builds", "imageType=rootfs&series=bookworm&arch=amd64")
            .statusCode());
    Browser withPassword = new Browser(port);
    withPassword.logIn("gus", "gus's long password");
    assertEquals(200, withPassword.get("/lookup").statusCode());

    String admin = TestAccounts.token(context, "adele", Role.ADMIN);
    JsonNode audit = JSON.readTree(call("GET", "/api/admin/audit", admin, null).body());
    assertEquals(List.of("gus", "gus"), actions(audit, "login", ""), audit.toString());
  }

  @Test
  void theOpenApiDocumentIsPublicAndNamesTheBearerScheme() throws Exception {
    HttpResponse<String> r = call("GET", "/v3/api-docs", null, null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode scheme = JSON.readTree(r.body()).at("/components/securitySchemes/token");
    assertEquals("bearer", scheme.get("scheme").asText(), r.body());
    assertTrue(r.body().contains("\"/api/admin/audit\""), r.body());
  }

  /** The accounts of the audit entries with this action and target, in order. */
  private static List<String> actions(JsonNode audit, String action, String target) {
    List<String> who = new java.util.ArrayList<>();
    for (JsonNode e : audit) {
      if (e.get("action").asText().equals(action) && e.get("target").asText().equals(target)) {
        assertFalse(e.get("time").asText().isEmpty(), e.toString());
        assertTrue(isLoopback(e.get("remoteAddress").asText()), "from where: " + e);
        who.add(e.get("account").asText());
      }
    }
    return who;
  }

  private static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A finished build of {@code owner}, as the store would hold it. */
  private BuildView build(String owner) {
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
            "0".repeat(64),
            "{}",
            owner,
            "127.0.0.1",
            Instant.now(),
            Instant.now(),
            Instant.now(),
            List.of(),
            List.of(),
            null,
            null);
    store.save(b);
    buildsBefore++;
    return b;
  }
}
