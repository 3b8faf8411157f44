package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys of the tree snapshots and the search for the longest cached prefix of a plan. */
class StageSnapshotsTest {
  @TempDir Path temp;

  record Fake(String type, Phase phase, String option, List<OutputFormat> produces)
      implements Stage {
    @Override
    public String summary() {
      return type;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of("option", option);
    }

    @Override
    public void run(StageContext context) {}
  }

  private static Fake tree(String type, Phase phase, String option) {
    return new Fake(type, phase, option, List.of());
  }

  private static List<PlannedStage> plan(Fake... stages) {
    return Plan.of(List.of(stages)).stages();
  }

  private static final ResolvedInput RELEASE =
      new ResolvedInput(
          ResolvedInput.APT_RELEASE, "http://deb.debian.org/debian bookworm", "ab".repeat(32));

  @Test
  void aStagesKeyDependsOnEveryStageBeforeItAndNotOnTheOnesAfter() {
    List<String> a =
        StageSnapshots.chainKeys(
            plan(
                tree("b", Phase.BOOTSTRAP, "1"),
                tree("p", Phase.PACKAGES, "x"),
                tree("f", Phase.FINALISE, "")));
    List<String> b =
        StageSnapshots.chainKeys(
            plan(
                tree("b", Phase.BOOTSTRAP, "1"),
                tree("p", Phase.PACKAGES, "y"),
                tree("f", Phase.FINALISE, "")));
    List<String> c =
        StageSnapshots.chainKeys(
            plan(
                tree("b", Phase.BOOTSTRAP, "2"),
                tree("p", Phase.PACKAGES, "x"),
                tree("f", Phase.FINALISE, "")));

    assertEquals(3, a.size());
    assertEquals(a.get(0), b.get(0), "the bootstrap is the same");
    assertNotEquals(a.get(1), b.get(1));
    assertNotEquals(a.get(2), b.get(2), "the finalise stage follows another packages stage");
    for (int i = 0; i < 3; i++) {
      assertNotEquals(a.get(i), c.get(i), "another bootstrap changes every key");
    }
    assertEquals(
        a,
        StageSnapshots.chainKeys(
            plan(
                tree("b", Phase.BOOTSTRAP, "1"),
                tree("p", Phase.PACKAGES, "x"),
                tree("f", Phase.FINALISE, ""))),
        "keys are stable");
  }

  @Test
  void onlyTheLeadingTreeBuildingStagesAreCacheable() {
    List<String> keys =
        StageSnapshots.chainKeys(
            plan(
                tree("b", Phase.BOOTSTRAP, ""),
                new Fake("img", Phase.CUSTOMISE, "", List.of(OutputFormat.TAR_ZST)),
                tree("f", Phase.FINALISE, ""),
                tree("t", Phase.ASSEMBLE, ""),
                tree("r", Phase.RECORD, "")));
    assertEquals(1, keys.size(), "a stage that writes an artifact ends the cacheable run");

    assertEquals(
        2,
        StageSnapshots.chainKeys(
                plan(
                    tree("b", Phase.BOOTSTRAP, ""),
                    tree("f", Phase.FINALISE, ""),
                    tree("t", Phase.ASSEMBLE, ""),
                    tree("r", Phase.RECORD, "")))
            .size());
  }

  @Test
  void theInputsKeyIgnoresOrderAndRepeatsButNotADigest() {
    ResolvedInput file = new ResolvedInput(ResolvedInput.FILE, "/srv/base.img", "cd".repeat(32));
    assertEquals(
        StageSnapshots.inputsKey(List.of(RELEASE, file)),
        StageSnapshots.inputsKey(List.of(file, RELEASE, file)));
    assertNotEquals(
        StageSnapshots.inputsKey(List.of(RELEASE, file)),
        StageSnapshots.inputsKey(
            List.of(
                RELEASE, new ResolvedInput(ResolvedInput.FILE, "/srv/base.img", "ce".repeat(32)))));
  }

  /** Digests as a check of kind apt-release would report them now. */
  private InputDigests digestsNow(String releaseDigest) {
    return new InputDigests(
        temp,
        List.of(
            new io.imagebuilder.api.stage.InputCheck() {
              @Override
              public String kind() {
                return ResolvedInput.APT_RELEASE;
              }

              @Override
              public Optional<String> currentDigest(String key, Path cacheDir) {
                return Optional.of(releaseDigest);
              }
            }));
  }

  private void store(StageSnapshots cache, List<PlannedStage> stages, int count, String marker)
      throws Exception {
    Path rootfs = Files.createDirectories(temp.resolve("rootfs-" + marker + "-" + count));
    Files.writeString(rootfs.resolve("marker"), marker + " " + count);
    List<CompletedStage> done = new ArrayList<>();
    for (PlannedStage p : stages.subList(0, count)) {
      done.add(new CompletedStage(p.type(), p.id(), Duration.ofSeconds(1)));
    }
    cache.store(
        StageSnapshots.chainKeys(stages).get(count - 1),
        done,
        rootfs,
        FactSnapshot.of(Map.of()),
        List.of(RELEASE),
        42L);
  }

  @Test
  void theLongestPrefixWithUnchangedInputsIsFoundAndRestored() throws Exception {
    StageSnapshots cache = new StageSnapshots(temp.resolve("cache"));
    List<PlannedStage> built =
        plan(
            tree("b", Phase.BOOTSTRAP, ""),
            tree("p", Phase.PACKAGES, "x"),
            tree("f", Phase.FINALISE, ""),
            tree("t", Phase.ASSEMBLE, ""));
    store(cache, built, 1, "built");
    store(cache, built, 2, "built");
    List<String> log = new ArrayList<>();

    List<PlannedStage> same =
        plan(
            tree("b", Phase.BOOTSTRAP, ""),
            tree("p", Phase.PACKAGES, "x"),
            tree("f", Phase.FINALISE, "other"),
            tree("t", Phase.ASSEMBLE, ""));
    StageSnapshots.Found found =
        cache.longestPrefix(same, digestsNow(RELEASE.digest()), log::add).orElseThrow();
    assertEquals(2, found.count());
    assertEquals(42L, found.entry().sourceDateEpoch());
    Path rootfs = Files.createDirectories(temp.resolve("restored"));
    cache.restore(found, rootfs);
    assertEquals("built 2", Files.readString(rootfs.resolve("marker")));

    List<PlannedStage> otherPackages =
        plan(
            tree("b", Phase.BOOTSTRAP, ""),
            tree("p", Phase.PACKAGES, "y"),
            tree("f", Phase.FINALISE, ""),
            tree("t", Phase.ASSEMBLE, ""));
    assertEquals(
        1,
        cache
            .longestPrefix(otherPackages, digestsNow(RELEASE.digest()), log::add)
            .orElseThrow()
            .count());

    assertTrue(
        cache.longestPrefix(same, digestsNow("ef".repeat(32)), log::add).isEmpty(),
        "the archive moved on");
    assertTrue(
        log.stream()
            .anyMatch(
                l -> l.contains("apt-release http://deb.debian.org/debian bookworm changed since")),
        log.toString());
  }

  /** A fact as large as a repository's .deb hashes. */
  record Hashes(Map<String, String> repositoryBySha256) {}

  @Test
  void aLargeFactIsKeptOnceOnDiskAndEachEntryGetsItBack() throws Exception {
    StageSnapshots cache = new StageSnapshots(temp.resolve("cache"));
    List<PlannedStage> stages =
        plan(
            tree("b", Phase.BOOTSTRAP, ""),
            tree("p", Phase.PACKAGES, ""),
            tree("t", Phase.ASSEMBLE, ""));
    Map<String, String> bySha = new java.util.TreeMap<>();
    for (int i = 0; i < 5000; i++) {
      bySha.put(io.imagebuilder.internal.hash.Sha256.ofString("deb " + i), "debian");
    }
    Hashes hashes = new Hashes(bySha);
    Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
    List<Path> entries = new ArrayList<>();
    for (int count = 1; count <= 2; count++) {
      List<CompletedStage> done = new ArrayList<>();
      for (PlannedStage p : stages.subList(0, count)) {
        done.add(new CompletedStage(p.type(), p.id(), Duration.ofSeconds(1)));
      }
      cache.store(
          StageSnapshots.chainKeys(stages).get(count - 1),
          done,
          rootfs,
          FactSnapshot.of(Map.of("test.hashes", hashes, "test.small", RELEASE)),
          List.of(RELEASE),
          null);
      entries.add(
          temp.resolve("cache/stages")
              .resolve(
                  StageSnapshots.chainKeys(stages).get(count - 1)
                      + "-"
                      + StageSnapshots.inputsKey(List.of(RELEASE))));
    }

    List<Path> factFiles = new ArrayList<>();
    for (Path entry : entries) {
      assertTrue(
          Files.size(entry.resolve("entry.json")) < 8 * 1024,
          "entry.json holds the small facts and the large one's sha256");
      try (var files = Files.list(StageSnapshots.factsDir(entry))) {
        factFiles.add(files.findFirst().orElseThrow());
      }
    }
    assertTrue(
        Files.size(factFiles.get(0)) > FactSnapshot.INLINE_MAX_BYTES, "the fact is that large");
    assertTrue(Files.isSameFile(factFiles.get(0), factFiles.get(1)), "one file, linked twice");

    StageSnapshots.Found found =
        cache.longestPrefix(stages, digestsNow(RELEASE.digest()), l -> {}).orElseThrow();
    assertEquals(2, found.count());
    assertEquals(
        Map.of("test.hashes", hashes, "test.small", RELEASE),
        found
            .entry()
            .facts()
            .values(List.of(getClass().getClassLoader()), StageSnapshots.factsDir(found.dir())));

    Files.writeString(factFiles.get(1), "{}");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                found
                    .entry()
                    .facts()
                    .values(
                        List.of(getClass().getClassLoader()),
                        StageSnapshots.factsDir(found.dir())));
    assertTrue(e.getMessage().contains("does not have its sha256"), e.getMessage());
  }

  @Test
  void aNewerEntryOfTheSameStagesWithOtherInputsStandsBesideTheOld() throws Exception {
    StageSnapshots cache = new StageSnapshots(temp.resolve("cache"));
    List<PlannedStage> stages = plan(tree("b", Phase.BOOTSTRAP, ""), tree("t", Phase.ASSEMBLE, ""));
    store(cache, stages, 1, "old");
    Path rootfs = Files.createDirectories(temp.resolve("rootfs-new"));
    Files.writeString(rootfs.resolve("marker"), "new");
    ResolvedInput moved = new ResolvedInput(RELEASE.kind(), RELEASE.key(), "ef".repeat(32));
    cache.store(
        StageSnapshots.chainKeys(stages).get(0),
        List.of(new CompletedStage("b", stages.get(0).id(), Duration.ZERO)),
        rootfs,
        FactSnapshot.of(Map.of()),
        List.of(moved),
        null);

    StageSnapshots.Found found =
        cache.longestPrefix(stages, digestsNow(moved.digest()), l -> {}).orElseThrow();
    Path restored = Files.createDirectories(temp.resolve("restored"));
    cache.restore(found, restored);
    assertEquals("new", Files.readString(restored.resolve("marker")));
    assertTrue(
        cache.has(StageSnapshots.chainKeys(stages).get(0), List.of(RELEASE)),
        "the old entry is still there");
  }
}
