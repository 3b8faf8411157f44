package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.ProgressListener;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import io.imagebuilder.rootfs.testing.ItEnvironment.Target;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the natively written apt lists with apt itself, on real bookworm amd64 images with three
 * kinds of source: the Debian archive, a signed side repository served on loopback (on a port,
 * under a path with {@code _} and {@code ~}) and the local repository inside the image.
 */
class AptListsWriterIT {
  private static final String SIDE_FIXTURE = "ib-side-greeter";
  private static final String LOCAL_FIXTURE = "ib-local-tool";
  private static final String SIDE_PATH = "/side_repo/~test";

  @TempDir static Path temp;
  private static DirectoryServer server;
  private static Path sideKeyFile;
  private static Path localDeb;

  @BeforeAll
  static void serveASignedSideRepository() throws Exception {
    Path debs = Files.createDirectories(temp.resolve("debs"));
    Path greeter =
        Debs.build(
            debs,
            SIDE_FIXTURE,
            "1.0-1",
            "all",
            Map.of("/usr/bin/ib-greet", "#!/bin/sh\necho hello from the side repository\n"));
    localDeb =
        Debs.build(
            debs,
            LOCAL_FIXTURE,
            "2.0-1",
            "amd64",
            Map.of("/usr/bin/ib-local", "#!/bin/sh\necho local\n"));
    ArchiveKey sideKey = ArchiveKey.generate("side repository test key");
    sideKeyFile = Files.write(temp.resolve("side.asc"), sideKey.armoredPublicKey());
    Path sideRepo = temp.resolve("side-repo");
    LocalRepository.write(
        sideRepo, List.of(greeter), "amd64", sideKey, Instant.parse("2024-01-01T00:00:00Z"));
    server = DirectoryServer.serve(sideRepo, SIDE_PATH);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Copies apt's lists as the packages stage left them, with each entry's mode and owner. */
  private record CaptureLists(Path into) implements Stage {
    @Override
    public String type() {
      return "test.capture-lists";
    }

    @Override
    public String summary() {
      return "copy apt's lists for the test";
    }

    @Override
    public Phase phase() {
      return Phase.PACKAGES;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of();
    }

    @Override
    public void run(StageContext context) {
      try {
        copyLists(context.rootfs(), into);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * Copies the files of the lists to {@code into} and returns each entry's type, mode and owner.
   */
  private static Map<String, String> copyLists(Path root, Path into) throws IOException {
    Files.createDirectories(into);
    Map<String, String> entries = new TreeMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.resolve("var/lib/apt/lists"))) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        String owner =
            Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                + ":"
                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        if (Files.isSymbolicLink(p)) {
          entries.put(name, "l " + owner + " -> " + Files.readSymbolicLink(p));
          continue;
        }
        boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        entries.put(
            name,
            (directory ? "d " : "f ")
                + PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                + " "
                + owner);
        if (!directory) {
          Files.copy(p, into.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.writeString(
        into.resolve(".entries"),
        entries.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")));
    return entries;
  }

  private static Map<String, String> entries(Path captured) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(captured.resolve(".entries"))) {
      out.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
    }
    return out;
  }

  private static BuildResult nativeBuild;
  private static final List<String> NATIVE_LOG = new CopyOnWriteArrayList<>();

  /** The build both tests look at: lists written natively, as by default (built once). */
  private static synchronized BuildResult nativeBuild() throws Exception {
    if (nativeBuild == null) {
      nativeBuild = build(temp.resolve("native"), temp.resolve("native-lists"), NATIVE_LOG);
    }
    return nativeBuild;
  }

  private static BuildResult build(Path out, Path capture, List<String> log) throws Exception {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .withRepository(
            "side",
            server.uri(),
            LocalRepository.SUITE,
            List.of(LocalRepository.COMPONENT),
            sideKeyFile)
        .withLocalPackages(localDeb)
        .keepLocalRepository()
        .withPackages(SIDE_FIXTURE, LOCAL_FIXTURE, "hello")
        .withPlanTransform(plan -> plan.insertAfter("rootfs.packages", new CaptureLists(capture)))
        .build(ItEnvironment.run(out).onEvent(LogLine.class, l -> log.add(l.message())));
  }

  /**
   * The same spec built with the lists written natively and by apt-get update: the same image, and
   * apt's lists hold the same files with the same bytes (apt adds only translations).
   */
  @Test
  void theNativeListsAreAptsListsAndTheImageIsTheSame() throws Exception {
    BuildResult nativeBuild = nativeBuild();
    List<String> nativeLog = NATIVE_LOG;
    List<String> aptLog = new CopyOnWriteArrayList<>();
    BuildResult aptBuild;
    System.setProperty("imagebuilder.nativeLists", "false");
    try {
      aptBuild = build(temp.resolve("apt"), temp.resolve("apt-lists"), aptLog);
    } finally {
      System.clearProperty("imagebuilder.nativeLists");
    }

    // bookworm, bookworm-updates, bookworm-security, the side repository and the local one
    assertTrue(
        nativeLog.stream().anyMatch(l -> l.startsWith("apt lists written natively: 5 source(s)")),
        nativeLog.toString());
    assertFalse(
        aptLog.stream().anyMatch(l -> l.startsWith("apt lists written natively")),
        aptLog.toString());
    Map<String, String> ours = entries(temp.resolve("native-lists"));
    Map<String, String> apts = entries(temp.resolve("apt-lists"));
    apts.keySet().removeIf(name -> name.contains("_i18n_Translation-") || name.equals("lock"));
    ours.remove("lock");
    assertEquals(apts, ours, "the same files, modes and owners (translations aside)");
    for (String name : ours.keySet()) {
      if (ours.get(name).startsWith("f ")) {
        assertEquals(
            -1L,
            Files.mismatch(
                temp.resolve("native-lists").resolve(name),
                temp.resolve("apt-lists").resolve(name)),
            name + " has apt's bytes");
      }
    }
    int port = server.port();
    assertTrue(
        ours.containsKey("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"),
        ours.toString());
    assertTrue(
        ours.containsKey(
            "127.0.0.1:" + port + "_side%5frepo_%7etest_dists_local_main_binary-amd64_Packages"),
        ours.toString());
    assertTrue(
        ours.containsKey(
            "_var_lib_imagebuilder_local-repository_dists_local_main_binary-amd64_Packages"),
        ours.toString());
    assertEquals(
        aptBuild.artifacts().get(0).sha256(),
        nativeBuild.artifacts().get(0).sha256(),
        "the same image");
  }

  /**
   * apt in the image sees the packages of natively written lists, trusts their sources and, when it
   * updates them itself, writes the same bytes.
   */
  @Test
  void aptInTheImageTrustsTheNativeListsAndAgreesWithThem() throws Exception {
    BuildResult result = nativeBuild();
    Path root = ItEnvironment.extract(result.artifacts().get(0).file(), temp.resolve("image-root"));
    Path lists = root.resolve("var/lib/apt/lists");
    for (String aptsOwn : List.of("partial", "auxfiles")) {
      deleteTree(lists.resolve(aptsOwn)); // so the writer, then apt, make them
    }
    new AptListsWriter(
            root,
            "amd64",
            new RepositoryClient()
                .withIndexCache(new IndexCache(ItEnvironment.cacheDir().resolve("indexes"))),
            Clock.systemUTC())
        .write(ProgressListener.NONE);
    Map<String, String> ours = copyLists(root, temp.resolve("ours"));
    try (Target target = new Target(root, Architecture.AMD64)) {
      String policy =
          target.run("apt-cache", "policy", "openssh-server", SIDE_FIXTURE, LOCAL_FIXTURE);
      assertTrue(
          policy.contains("500 http://deb.debian.org/debian bookworm/main amd64 Packages"), policy);
      assertTrue(policy.contains("500 " + server.uri() + " local/main amd64 Packages"), policy);
      assertTrue(
          policy.contains(
              "500 file:/var/lib/imagebuilder/local-repository local/main amd64 Packages"),
          policy);
      assertFalse(policy.contains("Candidate: (none)"), policy);
      String simulated =
          target.run(
              "apt-get",
              "install",
              "-s",
              "-o",
              "APT::Get::AllowUnauthenticated=false",
              "openssh-server",
              SIDE_FIXTURE);
      assertTrue(simulated.contains("Inst openssh-server "), simulated);
      assertFalse(simulated.toLowerCase(java.util.Locale.ROOT).contains("authenticat"), simulated);
      String uris =
          target.run(
              "apt-get",
              "install",
              "--print-uris",
              "-qq",
              "-o",
              "Acquire::ForceHash=SHA256",
              "openssh-server");
      assertTrue(
          uris.lines()
              .anyMatch(
                  l ->
                      l.startsWith(
                              "'http://deb.debian.org/debian/pool/main/o/openssh/openssh-server_")
                          && l.contains(" SHA256:")),
          uris);

      for (String name : ours.keySet()) {
        if (!ours.get(name).startsWith("d ")) {
          Files.delete(lists.resolve(name));
        }
      }
      deleteTree(lists.resolve("partial"));
      deleteTree(lists.resolve("auxfiles"));
      String update = target.run("apt-get", "update");
      assertFalse(update.contains("W: ") || update.contains("E: "), update);
    }
    Map<String, String> apts = copyLists(root, temp.resolve("apts"));
    apts.keySet().removeIf(name -> name.contains("_i18n_Translation-") || name.equals("lock"));
    ours.remove("lock");
    assertEquals(apts, ours, "apt-get update writes the same files with the same modes and owners");
    for (String name : ours.keySet()) {
      if (ours.get(name).startsWith("f ")) {
        assertEquals(
            -1L,
            Files.mismatch(temp.resolve("ours").resolve(name), temp.resolve("apts").resolve(name)),
            name + " has apt's bytes");
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
