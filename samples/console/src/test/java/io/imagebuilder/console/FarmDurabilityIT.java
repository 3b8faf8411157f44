package io.imagebuilder.console;

import static io.imagebuilder.console.Waits.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.manifest.api.ImageIndex;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The farm loses nothing and builds nothing twice, against the real servers: a RabbitMQ node of
 * this test's own on loopback (scripts/rabbitmq-loopback.sh start 5673, so that restarting it
 * disturbs no other test), PostgreSQL on loopback (scripts/postgres-loopback.sh, a schema of this
 * run's own), the console in farm mode in this JVM and two worker JVMs. In order:
 *
 * <ol>
 *   <li>Fifty requests in one message over the two workers: 45 of one spec (the first on each
 *       worker builds, the rest come from its stage cache) and 5 with an unknown package (they fail
 *       in planning, after the Packages index). Each ends once, with its reason when it fails; each
 *       was taken by one worker once. The figures are printed.
 *   <li>Cancel: a running build (the worker stops it through the library's cancellation, CANCELLED
 *       on its trigger) and a queued one (its job is acknowledged without a build).
 *   <li>RabbitMQ stopped and started while two builds run and others are queued, one more submitted
 *       while it is down (its job is published when the broker is back): every build ends once, no
 *       job is lost, no build starts twice.
 *   <li>The console stopped while two builds run and others are queued; started again (as a JVM of
 *       its own) once a build has ended meanwhile, which gets that result; killed with SIGKILL
 *       while a queued build has started on it; started again: the workers deliver their results to
 *       whichever console is up (no build is failed or queued again), every build ends once.
 * </ol>
 */
class FarmDurabilityIT {
  @TempDir static Path data;

  private static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
  private static final String PREFIX = "farmdur-" + RUN;
  private static final String TRIGGERS = "farmdur." + RUN + ".";

  /** This test's own broker, which it restarts: not the one other tests use. */
  private static final int AMQP_PORT =
      Integer.parseInt(System.getenv().getOrDefault("IMAGEBUILDER_TEST_RESTART_AMQP_PORT", "5673"));

  private static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault(
              "IMAGEBUILDER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5433/imagebuilder");
  private static final String SCHEMA = "farmdur_" + RUN;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Process> workers = new CopyOnWriteArrayList<>();
  private static ConfigurableApplicationContext console;
  private static CachingConnectionFactory connections;
  private static SimpleMessageListenerContainer watcher;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final int port = freePort();
  private final Map<String, List<JsonNode>> progress = new ConcurrentHashMap<>();

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** scripts/rabbitmq-loopback.sh {@code action} for this test's node. */
  private static void broker(String action) throws Exception {
    Path script = Path.of("../../scripts/rabbitmq-loopback.sh").toAbsolutePath().normalize();
    Process p =
        new ProcessBuilder(script.toString(), action, String.valueOf(AMQP_PORT))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("rabbitmq.log").toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(
          "scripts/rabbitmq-loopback.sh "
              + action
              + " "
              + AMQP_PORT
              + " failed (it needs root and Debian's rabbitmq-server): "
              + Files.readString(data.resolve("rabbitmq.log")));
    }
  }

  private static Map<String, String> farmProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("imagebuilder.farm.amqp.request-queue", PREFIX + ".requests");
    m.put("imagebuilder.farm.amqp.job-exchange", PREFIX + ".jobs");
    m.put("imagebuilder.farm.amqp.build-queue-prefix", PREFIX + ".builds.");
    m.put("imagebuilder.farm.amqp.progress-exchange", PREFIX + ".progress");
    m.put("spring.rabbitmq.host", "127.0.0.1");
    m.put("spring.rabbitmq.port", String.valueOf(AMQP_PORT));
    return m;
  }

  private List<String> consoleArgs() throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--console.data-dir=" + data.resolve("console/data"));
    args.add("--console.cache-dir=" + ItCaches.in(data.resolve("console")));
    args.add("--imagebuilder.farm.amqp.enabled=true");
    args.add("--imagebuilder.farm.amqp.heartbeat-timeout=20s");
    farmProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
    args.add("--spring.datasource.url=" + POSTGRES_URL + "?currentSchema=" + SCHEMA);
    args.add("--spring.datasource.username=imagebuilder");
    args.add("--spring.datasource.password=imagebuilder");
    return args;
  }

  /** The console in this JVM, where the test reads its store and index. */
  private ConfigurableApplicationContext startConsole() throws IOException {
    return new SpringApplicationBuilder(ConsoleApplication.class)
        .run(consoleArgs().toArray(String[]::new));
  }

  /** The console as a JVM of its own (the packaged jar), to be killed with SIGKILL. */
  private Process startConsoleProcess() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-jar");
    cmd.add(Path.of("target/imagebuilder-console.jar").toAbsolutePath().toString());
    cmd.addAll(consoleArgs());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(data.resolve("console-jvm.log").toFile()))
            .start();
    workers.add(p); // ended in tearDown if the test stops before it is killed
    return p;
  }

  /** A build's status as the console answers over HTTP; "" while it does not answer. */
  private String statusOverHttp(String token, String id) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/builds/" + id))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()).get("status").asText() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** A worker JVM: the console's jar with --worker, a cache of its own. */
  private void startWorker(String name, String token) throws IOException {
    Path jar = Path.of("target/imagebuilder-console.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "expected the packaged console at " + jar);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--worker");
    cmd.add("--console-url=http://127.0.0.1:" + port + "/");
    cmd.add("--worker-name=" + name);
    cmd.add("--architectures=amd64");
    cmd.add("--imagebuilder.farm.worker.cache-dir=" + ItCaches.in(data.resolve(name)));
    cmd.add("--imagebuilder.farm.worker.work-dir=" + data.resolve(name).resolve("work"));
    farmProperties().forEach((k, v) -> cmd.add("--" + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("IMAGEBUILDER_FARM_WORKER_TOKEN", token);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve(name + ".log").toFile()));
    workers.add(pb.start());
  }

  @AfterAll
  static void tearDown() throws Exception {
    long t0 = System.nanoTime();
    for (Process p : workers) {
      p.destroy();
    }
    for (Process p : workers) {
      if (!p.waitFor(150, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    // the workers', the console JVM's and the broker's logs, for whoever reads a failure
    Path logs = Files.createDirectories(Path.of("target/farm-durability-logs"));
    try (var files = Files.list(data)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    long t1 = System.nanoTime();
    if (console != null) {
      console.close();
    }
    if (watcher != null) {
      watcher.stop();
    }
    if (connections != null) {
      // this run's queues and exchanges: the node keeps durable ones in /var/tmp across runs
      RabbitAdmin admin = new RabbitAdmin(connections);
      admin.deleteQueue(PREFIX + ".watch");
      admin.deleteQueue(PREFIX + ".requests");
      for (Architecture a : Architecture.values()) {
        admin.deleteQueue(PREFIX + ".builds." + a.debianName());
      }
      admin.deleteExchange(PREFIX + ".jobs");
      admin.deleteExchange(PREFIX + ".progress");
      connections.destroy();
    }
    long t2 = System.nanoTime();
    broker("stop");
    long t3 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "imagebuilder", "imagebuilder");
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    System.out.printf(
        "FarmDurabilityIT teardown: workers %d s, console and queues %d s, broker %d s,"
            + " schema %d s%n",
        TimeUnit.NANOSECONDS.toSeconds(t1 - t0),
        TimeUnit.NANOSECONDS.toSeconds(t2 - t1),
        TimeUnit.NANOSECONDS.toSeconds(t3 - t2),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t3));
  }

  @Test
  void fiftyRequestsCancelsAndRestartsOfTheBrokerAndTheConsoleLoseNothingAndBuildNothingTwice()
      throws Exception {
    broker("start");
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "imagebuilder", "imagebuilder");
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA " + SCHEMA);
    } catch (SQLException e) {
      fail(
          "PostgreSQL does not answer on "
              + POSTGRES_URL
              + " (expected it started by scripts/postgres-loopback.sh start, as scripts/test.sh"
              + " does): "
              + e.getMessage());
    }
    console = startConsole();
    String workerToken = TestAccounts.token(console, "dur-worker", Role.BUILD);
    String builder = TestAccounts.token(console, "dur-builder", Role.BUILD);
    watchProgress();
    startWorker("worker-a", workerToken);
    startWorker("worker-b", workerToken);

    long t0 = System.nanoTime();
    fiftyRequests();
    long t1 = System.nanoTime();
    cancels(builder);
    long t2 = System.nanoTime();
    brokerRestart(builder);
    long t3 = System.nanoTime();
    consoleRestart(builder);
    long t4 = System.nanoTime();
    System.out.printf(
        "FarmDurabilityIT: fifty %d s, cancels %d s, broker restart %d s, console restart %d s%n",
        TimeUnit.NANOSECONDS.toSeconds(t1 - t0),
        TimeUnit.NANOSECONDS.toSeconds(t2 - t1),
        TimeUnit.NANOSECONDS.toSeconds(t3 - t2),
        TimeUnit.NANOSECONDS.toSeconds(t4 - t3));

    // over everything: each build of this run was taken by a worker at most once, none was
    // queued again, and every one was reported on its trigger with its final state
    for (BuildView b : ours()) {
      String log = log(b);
      assertFalse(log.contains("queued again"), b.id() + ": " + log);
      assertFalse(log.contains("delivered again"), b.id() + ": " + log);
      assertTrue(starts(log) <= 1, b.id() + " started more than once: " + log);
      List<String> states = states(b.trigger());
      assertEquals(b.status().name(), states.get(states.size() - 1), b.trigger() + ": " + states);
    }
  }

  /** Fifty requests in one message: 45 of one spec, 5 that fail in planning. */
  private void fiftyRequests() throws Exception {
    long t0 = System.nanoTime();
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      list.append(i == 0 ? "" : ",");
      String packages = i % 10 == 7 ? "\"hello\", \"no-such-package-" + i + "\"" : "\"hello\"";
      list.append(request(TRIGGERS + "fifty." + i, packages, ""));
    }
    publishRequests(list.append("]").toString());

    waitFor(
        () -> ours("fifty.").size() == 50 && ours("fifty.").stream().allMatch(this::ended),
        Duration.ofMinutes(10),
        "fifty builds to end");
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();

    List<BuildView> fifty = ours("fifty.");
    Map<String, Integer> perWorker = new TreeMap<>();
    int succeeded = 0;
    int failed = 0;
    for (BuildView b : fifty) {
      String log = log(b);
      assertEquals(1, starts(log), "taken by one worker once: " + b.id() + "\n" + log);
      perWorker.merge(worker(log), 1, Integer::sum);
      int i = Integer.parseInt(b.trigger().substring(b.trigger().lastIndexOf('.') + 1));
      if (i % 10 == 7) {
        assertEquals("FAILED", b.status().name(), b.toString());
        assertTrue(b.error().contains("no-such-package-" + i), b.error());
        failed++;
      } else {
        assertEquals("SUCCEEDED", b.status().name(), b.toString());
        assertFalse(b.artifacts().isEmpty(), b.toString());
        succeeded++;
      }
    }
    assertEquals(45, succeeded);
    assertEquals(5, failed);
    // one build record per request: fifty triggers, fifty builds, no two of one trigger
    assertEquals(50, fifty.stream().map(BuildView::trigger).distinct().count());
    // one worker run per job: each worker says once that it ended each build it took
    Map<String, Integer> runs = workerRunsOf(fifty.stream().map(BuildView::id).toList());
    for (BuildView b : fifty) {
      assertEquals(1, runs.getOrDefault(b.id(), 0), "worker runs of " + b.id() + ": " + runs);
    }
    String specHash =
        fifty.stream()
            .filter(b -> b.status().isFinal() && !b.artifacts().isEmpty())
            .findFirst()
            .orElseThrow()
            .specHash();
    // each succeeded build recorded in the index once (a build's manifest names the build)
    int indexed = console.getBean(ImageIndex.class).buildsOfSpec(specHash).size();
    assertEquals(45, indexed, "index entries of the spec");
    System.out.printf(
        "FarmDurabilityIT: 50 requests in %d s: %d succeeded, %d failed (with their reason),"
            + " per worker %s, %d index entries of the 45 builds of one spec%n",
        seconds, succeeded, failed, perWorker, indexed);
  }

  /** A running build and a queued one cancelled. */
  private void cancels(String token) throws Exception {
    // two builds that take a while (bootstraps not in the workers' caches) keep both busy
    String run1 =
        submit(token, request(TRIGGERS + "cancel.running", "\"hello\"", "\"updates\": false"));
    String run2 =
        submit(token, request(TRIGGERS + "cancel.other", "\"tree\"", "\"updates\": false"));
    waitFor(() -> running(run1) && running(run2), Duration.ofMinutes(2), "both builds to run");
    String queued = submit(token, request(TRIGGERS + "cancel.queued", "\"hello\"", ""));
    assertEquals("QUEUED", build(queued).status().name());
    assertEquals("CANCELLED", cancel(token, queued).get("status").asText());

    waitFor(() -> build(run1).stages().size() >= 1, Duration.ofMinutes(2), "a stage to start");
    assertEquals("CANCELLED", cancel(token, run1).get("status").asText());
    // the worker stops the build through the library: its cleanup runs, it reports CANCELLED
    waitFor(
        () -> workerLogs().contains("build " + run1 + " CANCELLED on"),
        Duration.ofMinutes(1),
        "the worker to stop the build");
    waitFor(() -> ended(build(run2)), Duration.ofMinutes(5), "the other build to end");
    assertEquals("SUCCEEDED", build(run2).status().name(), log(build(run2)));
    // the queued job reached a worker, which acknowledged it without building
    waitFor(
        () -> workerLogs().contains("build " + queued + " has ended or another worker holds it"),
        Duration.ofMinutes(1),
        "the cancelled job to be dropped");
    assertEquals(0, starts(log(build(queued))), log(build(queued)));
    assertEquals(List.of("QUEUED", "CANCELLED"), states(TRIGGERS + "cancel.queued"));
    List<String> states = states(TRIGGERS + "cancel.running");
    assertTrue(states.contains("RUNNING"), states.toString());
    assertEquals("CANCELLED", states.get(states.size() - 1), states.toString());
  }

  /** RabbitMQ stopped and started while builds run and others wait. */
  private void brokerRestart(String token) throws Exception {
    String slow1 =
        submit(token, request(TRIGGERS + "broker.slow1", "\"hello\"", "\"security\": false"));
    String slow2 =
        submit(
            token,
            request(
                TRIGGERS + "broker.slow2", "\"hello\"", "\"security\": false, \"updates\": false"));
    waitFor(() -> running(slow1) && running(slow2), Duration.ofMinutes(2), "both to run");
    List<String> waiting = new ArrayList<>();
    for (String p : List.of("\"tree\"", "\"hello\", \"tree\"")) {
      waiting.add(submit(token, request(TRIGGERS + "broker.q" + waiting.size(), p, "")));
    }
    broker("stop");
    // submitted while the broker is away: stored, its job published once the broker is back
    String whileDown = submit(token, request(TRIGGERS + "broker.down", "\"hello\"", ""));
    assertEquals("QUEUED", build(whileDown).status().name());
    Thread.sleep(3000);
    broker("start");
    // the console's request consumer is back too (Spring AMQP's recovery): the seed's way works
    publishRequests("[" + request(TRIGGERS + "broker.after", "\"hello\"", "") + "]");
    waitFor(() -> ours("broker.after").size() == 1, Duration.ofMinutes(2), "the request after");
    List<String> all = new ArrayList<>(List.of(slow1, slow2, whileDown));
    all.add(ours("broker.after").get(0).id());
    all.addAll(waiting);
    waitFor(
        () -> all.stream().allMatch(id -> ended(build(id))),
        Duration.ofMinutes(8),
        "every build to end after the broker's restart");
    Map<String, Integer> runs = workerRunsOf(all);
    for (String id : all) {
      BuildView b = build(id);
      assertEquals("SUCCEEDED", b.status().name(), log(b));
      assertEquals(1, starts(log(b)), log(b));
      assertEquals(1, runs.getOrDefault(id, 0), "worker runs of " + id + ": " + runs);
    }
  }

  /** The console stopped and started again while builds run and others wait. */
  private void consoleRestart(String token) throws Exception {
    String slow1 =
        submit(
            token, request(TRIGGERS + "console.slow1", "\"hello\"", "\"variant\": \"standard\""));
    String slow2 =
        submit(
            token,
            request(
                TRIGGERS + "console.slow2",
                "\"hello\"",
                "\"variant\": \"standard\", \"updates\": false"));
    waitFor(() -> running(slow1) && running(slow2), Duration.ofMinutes(2), "both to run");
    // q1 takes a while too (a bootstrap no worker has cached), so the console dies while it runs
    String q1 =
        submit(
            token,
            request(
                TRIGGERS + "console.q1",
                "\"tree\"",
                "\"variant\": \"standard\", \"security\": false"));
    String q2 = submit(token, request(TRIGGERS + "console.q2", "\"hello\"", ""));

    console.close();
    // the workers keep building; their reports fail meanwhile, and the first to finish keeps
    // trying to deliver its result until the console is back
    waitFor(
        () -> workerLogs().matches("(?s).*build (" + slow1 + "|" + slow2 + "): cannot deliver.*"),
        Duration.ofMinutes(3),
        "a build to end while the console is away");
    // a console JVM takes over (the result is delivered to it, the freed worker takes q1) and is
    // killed with SIGKILL while q1 runs: no shutdown of any kind
    Process jvm = startConsoleProcess();
    waitFor(
        () -> statusOverHttp(token, q1).equals("RUNNING"),
        Duration.ofMinutes(4),
        "q1 to run under the console JVM");
    jvm.destroyForcibly();
    jvm.waitFor();
    console = startConsole();
    assertEquals("RUNNING", build(q1).status().name(), "a killed console fails no farm build");
    List<String> all = List.of(slow1, slow2, q1, q2);
    waitFor(
        () -> all.stream().allMatch(id -> ended(build(id))),
        Duration.ofMinutes(8),
        "every build to end after the console's restart");
    Map<String, Integer> runs = workerRunsOf(all);
    for (String id : all) {
      BuildView b = build(id);
      assertEquals("SUCCEEDED", b.status().name(), log(b));
      assertEquals(1, starts(log(b)), log(b));
      assertEquals(1, runs.getOrDefault(id, 0), "worker runs of " + id + ": " + runs);
      // the artifact the restarted console holds is the one the worker declared
      var a = b.artifacts().get(0);
      assertEquals(
          a.sha256(),
          Sha256.of(console.getBean(BuildService.class).outputDir(id).resolve(a.name())));
    }
  }

  // --- the servers, as a user sees them

  private void watchProgress() {
    connections = new CachingConnectionFactory("127.0.0.1", AMQP_PORT);
    RabbitAdmin admin = new RabbitAdmin(connections);
    TopicExchange exchange = new TopicExchange(PREFIX + ".progress", true, false);
    admin.declareExchange(exchange);
    // durable, so what is published on it outlives the broker's restart
    Queue mine = QueueBuilder.durable(PREFIX + ".watch").build();
    admin.declareQueue(mine);
    admin.declareBinding(BindingBuilder.bind(mine).to(exchange).with(TRIGGERS + "#"));
    watcher = new SimpleMessageListenerContainer(connections);
    watcher.setQueueNames(mine.getName());
    watcher.setMessageListener(
        m -> {
          try {
            progress
                .computeIfAbsent(
                    m.getMessageProperties().getReceivedRoutingKey(),
                    k -> new CopyOnWriteArrayList<>())
                .add(JSON.readTree(m.getBody()));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
    watcher.start();
  }

  private void publishRequests(String json) {
    MessageProperties props = new MessageProperties();
    props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    new RabbitTemplate(connections)
        .send(
            PREFIX + ".requests",
            new org.springframework.amqp.core.Message(
                json.getBytes(StandardCharsets.UTF_8), props));
  }

  private List<String> states(String trigger) {
    return progress.getOrDefault(trigger, List.of()).stream()
        .map(n -> n.get("state").asText())
        .toList();
  }

  private String submit(String token, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/builds"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get(0).get("id").asText();
  }

  private JsonNode cancel(String token, String id) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/builds/" + id + "/cancel"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static BuildView build(String id) {
    return console.getBean(BuildStore.class).find(id).orElseThrow();
  }

  private boolean running(String id) {
    return build(id).status().name().equals("RUNNING");
  }

  private boolean ended(BuildView b) {
    return b.status().isFinal();
  }

  private static List<BuildView> ours(String kind) {
    return console.getBean(BuildStore.class).all().stream()
        .filter(b -> b.trigger() != null && b.trigger().startsWith(TRIGGERS + kind))
        .toList();
  }

  private static List<BuildView> ours() {
    return ours("");
  }

  private static String log(BuildView b) throws IOException {
    BuildService builds = console.getBean(BuildService.class);
    return Files.readString(builds.log(b).file());
  }

  private static final Pattern STARTED = Pattern.compile("started on worker (\\S+)");

  private static int starts(String log) {
    Matcher m = STARTED.matcher(log);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String worker(String log) {
    Matcher m = STARTED.matcher(log);
    return m.find() ? m.group(1) : "?";
  }

  private static String workerLogs() throws IOException {
    return Files.readString(data.resolve("worker-a.log"))
        + Files.readString(data.resolve("worker-b.log"));
  }

  /** How many times the workers ended each build (their log's "build ID STATUS on NAME"). */
  /**
   * The worker runs once every one of {@code ids} has a line: a worker logs its build's end after
   * the console stored the result, so the console's state can come a moment before the line.
   */
  private static Map<String, Integer> workerRunsOf(List<String> ids) throws Exception {
    waitFor(
        () -> workerRuns().keySet().containsAll(ids),
        Duration.ofSeconds(30),
        "every build's end in the worker logs");
    return workerRuns();
  }

  private static Map<String, Integer> workerRuns() throws IOException {
    Map<String, Integer> runs = new TreeMap<>();
    Matcher m =
        Pattern.compile("build ([0-9a-f]{16}) (SUCCEEDED|FAILED|CANCELLED) on ")
            .matcher(workerLogs());
    while (m.find()) {
      runs.merge(m.group(1), 1, Integer::sum);
    }
    return runs;
  }

  private static String request(String trigger, String packages, String extra) {
    return "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\": \"amd64\","
        + " \"package_list\": ["
        + packages
        + "], \"trigger\": \""
        + trigger
        + "\""
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}";
  }
}
