package io.imagebuilder.console;

import static io.imagebuilder.console.Waits.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.manifest.api.ImageIndex;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The build farm, real: RabbitMQ on loopback (scripts/rabbitmq-loopback.sh), the console in farm
 * mode, two worker processes (separate JVMs of the console's jar in worker mode, each with a cache
 * of its own and the run's shared package cache). The seed's JSON list of three bookworm amd64
 * rootfs requests and a bad one is published to the request queue; the worker of the first build to
 * start is killed with SIGKILL mid-build and started again; all three builds succeed, each recorded
 * once in the console's index, progress is seen on every trigger, and the bad request is reported
 * REJECTED on its trigger and never built. The console keeps builds, accounts, the audit log and
 * the image index in PostgreSQL on loopback (scripts/postgres-loopback.sh, a schema of this run's
 * own): a second console started on the same database with an empty disk lists the builds, takes
 * the first one's tokens, shows its audit log and looks the artifacts up.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FarmIT {
  @TempDir static Path data;

  /** Names of this run's own queues and exchanges, so nothing of an earlier run is consumed. */
  private static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

  private static final int AMQP_PORT =
      Integer.parseInt(System.getenv().getOrDefault("IMAGEBUILDER_TEST_AMQP_PORT", "5672"));

  private static final List<Process> workers = new CopyOnWriteArrayList<>();

  /** A cache of its own whose packages directory is the run's shared package cache. */
  private static Path cache(String name) throws IOException {
    return ItCaches.in(data.resolve(name));
  }

  private static Map<String, String> farmProperties() {
    return Map.of(
        "imagebuilder.farm.amqp.request-queue", "farmit-" + RUN + ".requests",
        "imagebuilder.farm.amqp.job-exchange", "farmit-" + RUN + ".jobs",
        "imagebuilder.farm.amqp.build-queue-prefix", "farmit-" + RUN + ".builds.",
        "imagebuilder.farm.amqp.progress-exchange", "farmit-" + RUN + ".progress",
        "spring.rabbitmq.host", "127.0.0.1",
        "spring.rabbitmq.port", String.valueOf(AMQP_PORT));
  }

  /** PostgreSQL on loopback (scripts/postgres-loopback.sh), in a schema of this run's own. */
  private static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault(
              "IMAGEBUILDER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5433/imagebuilder");

  private static final String SCHEMA = "farmit_" + RUN;

  /** The console's database: this run's schema, made now and dropped after the run. */
  private static Map<String, String> database() {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "imagebuilder", "imagebuilder");
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    } catch (SQLException e) {
      fail(
          "PostgreSQL does not answer on "
              + POSTGRES_URL
              + " (expected it started by scripts/postgres-loopback.sh start, as scripts/test.sh"
              + " does): "
              + e.getMessage());
    }
    return Map.of(
        "spring.datasource.url", POSTGRES_URL + "?currentSchema=" + SCHEMA,
        "spring.datasource.username", "imagebuilder",
        "spring.datasource.password", "imagebuilder");
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "imagebuilder", "imagebuilder");
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @DynamicPropertySource
  static void console(DynamicPropertyRegistry r) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", AMQP_PORT), 2000);
    } catch (IOException e) {
      fail(
          "RabbitMQ does not answer on 127.0.0.1:"
              + AMQP_PORT
              + " (expected it started by scripts/rabbitmq-loopback.sh start, as scripts/test.sh"
              + " does)");
    }
    database().forEach((k, v) -> r.add(k, () -> v));
    Path cache = cache("console");
    r.add("console.cache-dir", cache::toString);
    r.add("console.data-dir", () -> data.resolve("console").resolve("data").toString());
    r.add("imagebuilder.farm.amqp.enabled", () -> "true");
    // the killed worker's build is queued again after 15 s of silence, if no other takes it first
    r.add("imagebuilder.farm.amqp.heartbeat-timeout", () -> "15s");
    farmProperties().forEach((k, v) -> r.add(k, () -> v));
  }

  @LocalServerPort int port;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A worker JVM: the console's jar with --worker. */
  private Process startWorker(String name, String token) throws IOException {
    Path jar = Path.of("target/imagebuilder-console.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "expected the packaged console at " + jar);
    Path cache = cache(name);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--worker");
    cmd.add("--console-url");
    cmd.add("http://127.0.0.1:" + port + "/");
    cmd.add("--worker-name");
    cmd.add(name);
    cmd.add("--imagebuilder.farm.worker.cache-dir=" + cache);
    cmd.add("--imagebuilder.farm.worker.work-dir=" + data.resolve(name).resolve("work"));
    farmProperties().forEach((k, v) -> cmd.add("--" + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("IMAGEBUILDER_FARM_WORKER_TOKEN", token); // not on the command line
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve(name + ".log").toFile()));
    Process p = pb.start();
    workers.add(p);
    return p;
  }

  @AfterAll
  static void stopWorkers() throws Exception {
    for (Process p : workers) {
      p.destroy();
    }
    for (Process p : workers) {
      if (!p.waitFor(150, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private JsonNode getJson(String path, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private String getText(String path, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void threeRequestsFinishOnceEachThoughAWorkerIsKilledMidBuild(ApplicationContext context)
      throws Exception {
    long t0 = System.nanoTime();
    String workerToken = TestAccounts.token(context, "farm-worker", Role.BUILD);
    String viewer = TestAccounts.token(context, "farm-viewer", Role.VIEW);
    ConnectionFactory connections = context.getBean(ConnectionFactory.class);

    // A test consumer bound to every trigger of this run.
    Map<String, List<JsonNode>> progress = new ConcurrentHashMap<>();
    RabbitAdmin admin = new RabbitAdmin(connections);
    TopicExchange exchange = new TopicExchange("farmit-" + RUN + ".progress", true, false);
    admin.declareExchange(exchange);
    Queue mine = new AnonymousQueue();
    admin.declareQueue(mine);
    admin.declareBinding(BindingBuilder.bind(mine).to(exchange).with("farmit." + RUN + ".#"));
    SimpleMessageListenerContainer listener = new SimpleMessageListenerContainer(connections);
    listener.setQueueNames(mine.getName());
    listener.setMessageListener(
        m -> {
          try {
            JsonNode n = JSON.readTree(m.getBody());
            progress
                .computeIfAbsent(
                    m.getMessageProperties().getReceivedRoutingKey(),
                    k -> new CopyOnWriteArrayList<>())
                .add(n);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
    listener.start();
    try {
      startWorker("worker-a", workerToken);
      startWorker("worker-b", workerToken);

      String t = "farmit." + RUN + ".";
      List<String> triggers = List.of(t + "hello", t + "tree", t + "hello-tree");
      String requests =
          "["
              + request(triggers.get(0), "\"hello\"")
              + ","
              + request(triggers.get(1), "\"tree\"")
              + ","
              + "{\"image_type\": \"no-such-type\", \"series\": \"bookworm\","
              + " \"package_list\": [\"hello\"], \"trigger\": \""
              + t
              + "bad\"},"
              + request(triggers.get(2), "\"hello\", \"tree\"")
              + "]";
      MessageProperties props = new MessageProperties();
      props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
      props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
      new RabbitTemplate(connections)
          .send(
              "farmit-" + RUN + ".requests",
              new org.springframework.amqp.core.Message(
                  requests.getBytes(StandardCharsets.UTF_8), props));

      // The bad request: reported on its trigger, never queued.
      waitFor(() -> progress.containsKey(t + "bad"), Duration.ofSeconds(60), "the rejection");
      JsonNode rejected = progress.get(t + "bad").get(0);
      assertEquals("REJECTED", rejected.get("state").asText(), rejected.toString());
      assertTrue(rejected.get("error").asText().contains("no-such-type"), rejected.toString());

      // Kill the worker of the first build that is well into its stages.
      String[] victim = new String[2];
      waitFor(
          () -> {
            for (JsonNode b : getJson("/api/builds?status=RUNNING", viewer)) {
              if (b.get("stages").size() >= 2) {
                String log = getText("/api/builds/" + b.get("id").asText() + "/log", viewer);
                for (String w : List.of("worker-a", "worker-b")) {
                  if (log.contains("started on worker " + w)) {
                    victim[0] = w;
                    victim[1] = b.get("id").asText();
                    return true;
                  }
                }
              }
            }
            return false;
          },
          Duration.ofMinutes(4),
          "a build running its second stage");
      Process killed = workers.get(victim[0].equals("worker-a") ? 0 : 1);
      killed.destroyForcibly(); // SIGKILL: no cleanup, no acknowledgement
      killed.waitFor();
      // The same node comes back (its leftovers are cleaned by the library before it builds).
      startWorker(victim[0], workerToken);

      waitFor(
          () -> {
            JsonNode all = getJson("/api/builds", viewer);
            int ended = 0;
            for (JsonNode b : all) {
              if (b.get("trigger").asText().startsWith(t)
                  && List.of("SUCCEEDED", "FAILED", "CANCELLED")
                      .contains(b.get("status").asText())) {
                ended++;
              }
            }
            return ended == 3;
          },
          Duration.ofMinutes(8),
          "all three builds to end");

      List<JsonNode> ours = new ArrayList<>();
      for (JsonNode b : getJson("/api/builds", viewer)) {
        if (b.get("trigger").asText().startsWith(t)) {
          ours.add(b);
        }
      }
      assertEquals(3, ours.size(), "three builds, the bad request none: " + ours);
      ImageIndex index = context.getBean(ImageIndex.class);
      assertEquals(null, index.file(), "the console's index is in PostgreSQL");
      for (JsonNode b : ours) {
        String id = b.get("id").asText();
        assertEquals("SUCCEEDED", b.get("status").asText(), b.toString());
        assertFalse(b.get("artifacts").isEmpty(), b.toString());
        assertEquals(
            1, index.buildsOfSpec(b.get("specHash").asText()).size(), "indexed once: " + id);
        // the artifact the console holds is the one the worker declared
        JsonNode a = b.get("artifacts").get(0);
        Path file =
            context
                .getBean(io.imagebuilder.console.build.BuildService.class)
                .outputDir(id)
                .resolve(a.get("name").asText());
        assertEquals(a.get("sha256").asText(), Sha256.of(file), id);
        String log = getText("/api/builds/" + id + "/log", viewer);
        if (id.equals(victim[1])) {
          // the victim's node, back, took its job again; or the console queued it again after
          // the worker's silence (another worker had dropped the job the broker gave it then)
          assertTrue(
              log.contains("delivered again") || log.contains("queued again"),
              "the killed build restarted: " + log);
        }
      }
      for (String trigger : triggers) {
        List<JsonNode> seen = progress.getOrDefault(trigger, List.of());
        List<String> states = seen.stream().map(n -> n.get("state").asText()).toList();
        assertTrue(states.contains("RUNNING"), trigger + ": " + states);
        assertEquals("SUCCEEDED", states.get(states.size() - 1), trigger + ": " + states);
        JsonNode last = seen.get(seen.size() - 1);
        assertTrue(last.get("artifacts").get(0).get("sha256").asText().matches("[0-9a-f]{64}"));
        assertTrue(seen.stream().anyMatch(n -> n.hasNonNull("stage")), "stages on " + trigger);
      }
      // what the killed worker's build had mounted is gone (mount namespaces, and the restarted
      // worker's clean-up)
      String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
      assertFalse(mounts.contains(data.toString()), "mounts left under " + data + ":\n" + mounts);
      restartedConsoleFindsEverythingInPostgres(context, ours, viewer);
      System.out.printf(
          "FarmIT: 3 builds in %d s; killed %s during build %s%n",
          Duration.ofNanos(System.nanoTime() - t0).toSeconds(), victim[0], victim[1]);
    } finally {
      listener.stop();
      admin.deleteQueue(mine.getName());
      // this run's queues and exchanges (durable, so nothing of them outlives the run)
      admin.deleteQueue("farmit-" + RUN + ".requests");
      for (io.imagebuilder.api.spec.Architecture a :
          io.imagebuilder.api.spec.Architecture.values()) {
        admin.deleteQueue("farmit-" + RUN + ".builds." + a.debianName());
      }
      admin.deleteExchange("farmit-" + RUN + ".jobs");
      admin.deleteExchange("farmit-" + RUN + ".progress");
      stopWorkers();
      workers.clear();
    }
  }

  /**
   * A console started again on the same database but with nothing of the first one's disk (a new
   * data and cache directory): the builds, the accounts and their tokens, the audit log and the
   * reverse lookup all come from PostgreSQL.
   */
  private void restartedConsoleFindsEverythingInPostgres(
      ApplicationContext first, List<JsonNode> ours, String viewer) throws Exception {
    String admin = TestAccounts.token(first, "farm-admin", Role.ADMIN);
    Path fresh = data.resolve("restarted");
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--console.data-dir=" + fresh.resolve("data"));
    args.add("--console.cache-dir=" + fresh.resolve("cache"));
    args.add("--imagebuilder.farm.amqp.enabled=false");
    database().forEach((k, v) -> args.add("--" + k + "=" + v));
    try (ConfigurableApplicationContext again =
        new SpringApplicationBuilder(ConsoleApplication.class).run(args.toArray(String[]::new))) {
      String base =
          "http://127.0.0.1:" + again.getEnvironment().getProperty("local.server.port") + "/api";
      assertFalse(
          Files.exists(fresh.resolve("data/first-admin-token")),
          "the accounts are there: no first admin made");

      // the builds, listed by a token made on the first console
      JsonNode listed = getJson(base + "/builds", viewer);
      for (JsonNode b : ours) {
        JsonNode found = null;
        for (JsonNode l : listed) {
          if (l.get("id").asText().equals(b.get("id").asText())) {
            found = l;
          }
        }
        assertNotNull(found, "build " + b.get("id") + " after the restart: " + listed);
        assertEquals("SUCCEEDED", found.get("status").asText());
        assertEquals(b.get("artifacts"), found.get("artifacts"));

        // the way back from an artifact's sha256 to its spec
        String sha256 = b.get("artifacts").get(0).get("sha256").asText();
        JsonNode image = getJson(base + "/images/" + sha256, viewer);
        assertEquals("INDEX", image.get("source").asText(), image.toString());
        assertEquals(b.get("specHash").asText(), image.get("specHash").asText());
        assertEquals(b.get("id").asText(), image.get("build").asText());
      }
      assertFalse(
          Files.exists(ImageIndex.fileIn(fresh.resolve("cache"))), "no index file: PostgreSQL's");

      // the audit log of the first console
      JsonNode audit = getJson(base + "/admin/audit", admin);
      List<String> actions = new ArrayList<>();
      audit.forEach(e -> actions.add(e.get("action").asText() + " " + e.get("target").asText()));
      assertTrue(actions.contains("account-created farm-worker [BUILD]"), actions.toString());
      assertTrue(actions.contains("account-created farm-admin [ADMIN]"), actions.toString());
      assertTrue(actions.stream().anyMatch(a -> a.startsWith("token-created farm-viewer ")));
    }
  }

  private static String request(String trigger, String packages) {
    return "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\": \"amd64\","
        + " \"variant\": \"minbase\", \"package_list\": ["
        + packages
        + "], \"trigger\": \""
        + trigger
        + "\"}";
  }
}
