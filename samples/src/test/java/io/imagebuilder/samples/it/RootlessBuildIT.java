package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.testing.DiskImageFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Builds as root and as the unprivileged user {@code ibtest} (a subordinate range in /etc/subuid
 * and /etc/subgid; scripts/setup-host.sh --test-user makes it) and compares the artifacts byte for
 * byte: bookworm minbase amd64 as a tarball through the library's {@code rootless} strategy (what
 * an embedding JVM gets), arm64 under qemu-user and the pc-amd64 disk image with openssh-server
 * through the command line's relaunch in a user namespace, which the user then boots to a login
 * prompt; then kills a rootless build's JVM with SIGKILL in the middle of its chroot work and
 * checks that no process of its sandbox survives and the next build leaves no work folder. Runs as
 * root (it drops to ibtest with runuser).
 */
class RootlessBuildIT {
  /** The root build of the disk image the user builds too (shared with the other pc-amd64 ITs). */
  @RegisterExtension
  static final DiskImageFixture PC = BoardImages.of("pc-amd64", "bookworm", "openssh-server");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "ibtest";
  private static final String EPOCH = "1700000000";
  private static Path work;

  /**
   * The user's home, cache and outputs, with its copy of the jar: outside the checkout, which the
   * user may not reach.
   */
  private static Path userDir;

  private static Path userJar;

  @BeforeAll
  static void setUp() throws Exception {
    assertEquals(
        "0", ItBuilds.host("id", "-u").strip(), "this IT runs as root and drops to " + USER);
    ItBuilds.host("id", USER); // missing: run scripts/setup-host.sh --test-user
    work = ItBuilds.freshWorkDir("rootless");
    userDir = Files.createTempDirectory(Path.of("/var/tmp"), "imagebuilder-rootless-it-");
    UserPrincipal owner =
        userDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
    Files.setOwner(userDir, owner);
    userJar = Files.copy(ItBuilds.cliJar(), userDir.resolve("imagebuilder.jar"));
  }

  @AfterAll
  static void tearDown() throws IOException {
    ItBuilds.deleteTree(userDir);
  }

  private static List<String> buildArgs(Path cache, Path out) {
    return buildArgs("amd64", cache, out);
  }

  private static List<String> buildArgs(String arch, Path cache, Path out) {
    return List.of(
        "build",
        "--series=bookworm",
        "--arch=" + arch,
        "--variant=minbase",
        "--format=tar",
        "--source-date-epoch=" + EPOCH,
        "--cache=" + cache,
        "--out=" + out);
  }

  /** The command-line tool as {@link #USER}, with a HOME, cache and output it owns. */
  private static Process startAsUser(Path log, Path cache, Path out) throws IOException {
    return startAsUser(log, buildArgs(cache, out));
  }

  private static Process startAsUser(Path log, List<String> args) throws IOException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "runuser",
                "-u",
                USER,
                "--",
                "env",
                "-i",
                "HOME=" + userDir,
                "PATH=/usr/bin:/bin",
                "LANG=C.UTF-8",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                userJar.toString()));
    argv.addAll(args);
    return new ProcessBuilder(argv)
        .directory(userDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static List<String> userProcesses() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("pgrep", "-a", "-u", USER).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void aCacheAnotherUserMadeIsRefusedBeforeAnyWorkNamingIt() throws Exception {
    // root's cache, as left by a root build: the user may read it but not write it
    Path rootsCache = Files.createDirectories(userDir.resolve("roots-cache/packages")).getParent();
    Path log = work.resolve("foreign-cache.log");
    int exit = ItBuilds.await(startAsUser(log, rootsCache, userDir.resolve("foreign-out")), 2);
    String text = Files.readString(log);
    assertTrue(exit != 0, text);
    assertTrue(text.contains("'" + rootsCache + "'"), text);
    assertTrue(text.contains("is not writable by this user, " + USER), text);
    assertTrue(text.contains("--cache DIR"), text);
  }

  @Test
  void theLibrarysRootlessStrategyBuildsTheSameMinbaseTarballAsRoot() throws Exception {
    Path rootLog = work.resolve("root.log");
    int rootExit =
        ItBuilds.await(
            ItBuilds.startCli(
                rootLog,
                buildArgs(work.resolve("cache"), work.resolve("root-out")).toArray(String[]::new)),
            20);
    assertEquals(0, rootExit, ItBuilds.tail(rootLog, 40));
    assertTrue(
        Files.readString(rootLog).contains("Executor:     native"), ItBuilds.tail(rootLog, 20));

    Path userLog = work.resolve("user.log");
    List<String> args =
        new ArrayList<>(buildArgs(userDir.resolve("cache"), userDir.resolve("out")));
    args.add("--executor=rootless"); // the strategy an embedding JVM gets, not the relaunch
    int userExit = ItBuilds.await(startAsUser(userLog, args), 20);
    assertEquals(0, userExit, ItBuilds.tail(userLog, 40));
    assertTrue(
        Files.readString(userLog).contains("Executor:     rootless\n"), ItBuilds.tail(userLog, 20));

    String tar = "debian-bookworm-amd64.tar";
    assertEquals(
        Sha256.ofFile(work.resolve("root-out").resolve(tar)),
        Sha256.ofFile(userDir.resolve("out").resolve(tar)),
        "the rootless tarball is byte-identical to the root build's");
    assertEquals(List.of(), userProcesses(), "no process of the rootless build is left");
  }

  @Test
  void arm64UnderQemuUserGivesTheSameTarballAsRoot() throws Exception {
    Path rootLog = work.resolve("root-arm64.log");
    int rootExit =
        ItBuilds.await(
            ItBuilds.startCli(
                rootLog,
                buildArgs("arm64", work.resolve("cache"), work.resolve("root-out-arm64"))
                    .toArray(String[]::new)),
            30);
    assertEquals(0, rootExit, ItBuilds.tail(rootLog, 40));
    assertTrue(
        Files.readString(rootLog).contains("Executor:     qemu-user"), ItBuilds.tail(rootLog, 20));

    Path userLog = work.resolve("user-arm64.log");
    int userExit =
        ItBuilds.await(
            startAsUser(
                userLog,
                buildArgs("arm64", userDir.resolve("cache"), userDir.resolve("out-arm64"))),
            30);
    assertEquals(0, userExit, ItBuilds.tail(userLog, 40));
    assertTrue(
        Files.readString(userLog)
            .contains("Executor:     qemu-user (rootless: in a user namespace"),
        "the command line relaunches an ordinary user's build in a user namespace:\n"
            + ItBuilds.tail(userLog, 20));

    String tar = "debian-bookworm-arm64.tar";
    assertEquals(
        Sha256.ofFile(work.resolve("root-out-arm64").resolve(tar)),
        Sha256.ofFile(userDir.resolve("out-arm64").resolve(tar)),
        "the rootless arm64 tarball (qemu-user through binfmt's F flag) is byte-identical to the root build's");
    assertEquals(List.of(), userProcesses(), "no process of the rootless build is left");
  }

  @Test
  void anOrdinaryUserBuildsThePcDiskImageRootBuildsAndBootsIt() throws Exception {
    Path rootManifest = PC.result().manifest().orElseThrow();
    Path rootLock = PC.result().lockFile().orElseThrow();
    JsonNode manifest = JSON.readTree(rootManifest.toFile());
    Path spec = userDir.resolve("pc-amd64-spec.json");
    JSON.writeValue(spec.toFile(), manifest.get("spec"));
    Path out = userDir.resolve("out-pc");
    Path log = work.resolve("user-pc.log");
    List<String> args =
        List.of("build", "--spec=" + spec, "--cache=" + userDir.resolve("cache"), "--out=" + out);
    assertEquals(0, ItBuilds.await(startAsUser(log, args), 30), ItBuilds.tail(log, 40));
    assertTrue(
        Files.readString(log).contains("Executor:     native (rootless: in a user namespace"),
        ItBuilds.tail(log, 20));

    Path image = out.resolve(PC.diskImage().getFileName());
    Path lock = out.resolve(rootLock.getFileName());
    assertEquals(
        JSON.readTree(rootLock.toFile()).get("packages"),
        JSON.readTree(lock.toFile()).get("packages"),
        "the same packages as the root build (else the archive moved between the two builds)");
    assertEquals(
        PC.diskSha256(),
        Sha256.ofFile(image),
        "the disk image an ordinary user built is byte-identical to root's");
    assertEquals(List.of(), userProcesses(), "no process of the rootless build is left");

    Path bootLog = work.resolve("user-pc-boot.log");
    List<String> boot = List.of("boot", image.toString(), "--board=pc-amd64", "--timeout=600");
    assertEquals(
        0,
        ItBuilds.await(startAsUser(bootLog, boot), 15),
        "the user's image boots to a login prompt, booted by the user:\n"
            + ItBuilds.tail(bootLog, 30));
  }

  @Test
  void aKilledRootlessBuildLeavesNoProcessAndTheNextLeavesNoWorkFolder() throws Exception {
    Path cache = userDir.resolve("kill-cache");
    Path log = work.resolve("killed.log");
    Process runuser = startAsUser(log, cache, userDir.resolve("killed-out"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    // wait until the sandbox runs target commands: processes of the user besides its JVM
    while (userProcesses().stream().noneMatch(l -> l.contains("nsenter"))) {
      assertTrue(
          runuser.isAlive() && System.nanoTime() < deadline,
          "the build never ran a command in its sandbox:\n" + ItBuilds.tail(log, 30));
      Thread.sleep(100);
    }
    ProcessHandle jvm =
        runuser
            .toHandle()
            .descendants()
            .filter(h -> h.info().command().orElse("").endsWith("/java"))
            .findFirst()
            .orElseThrow();
    ItBuilds.host("kill", "-KILL", Long.toString(jvm.pid()));
    assertTrue(runuser.waitFor(60, TimeUnit.SECONDS));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!userProcesses().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), userProcesses(), "SIGKILL of the JVM ends its whole sandbox");

    Path again = work.resolve("again.log");
    int exit = ItBuilds.await(startAsUser(again, cache, userDir.resolve("again-out")), 20);
    assertEquals(0, exit, ItBuilds.tail(again, 40));
    try (Stream<Path> left = Files.list(cache.resolve("work"))) {
      assertEquals(
          List.of(),
          left.toList(),
          "the killed build's work folder is gone, and the last build's too");
    }
    assertEquals(List.of(), userProcesses());
  }
}
