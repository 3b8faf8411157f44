package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.rootfs.internal.cache.Download;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.deb.RepackedDebs;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.ResolutionException;
import io.imagebuilder.rootfs.internal.repo.Resolver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Downloads, while the bootstrap unpacks and configures its set, the .debs that the later stages
 * will install from the same archive (the board's kernel, firmware and boot packages and the spec's
 * packages, with their dependencies), into the package cache where those stages' downloads find
 * them by sha256. A head start only: the set is the bootstrap's resolver's pick, which apt may not
 * share in every alternative, and a package it misses, or any failure, leaves the download to the
 * stage that installs the package. When the later stages install them natively repacked ({@link
 * AptInstaller}), it then repacks them too ({@link RepackedDebs}), once the bootstrap has said how
 * ({@link #repackFor}): that decompression, a kernel's 8 s, then runs on the core the emulated
 * configure leaves idle. It stops when the bootstrap ends; a locked build (whose .debs the lock
 * names) and a build that installs nothing later have none.
 */
final class LaterPackagesPrefetch implements AutoCloseable {
  private static final Logger LOG = Logs.get(LaterPackagesPrefetch.class);

  /** Fewer than the bootstrap's: it shares the link with nothing, but the CPU with the unpack. */
  private static final int DOWNLOADS = 4;

  private final ExecutorService thread;
  private final Future<?> work;
  private final int packages;
  private final long bytes;

  /** How the later stages install the .debs, hence how to repack them. */
  enum Repack {
    /** Not at all: they install the .debs as they are. */
    NONE,
    /** With a plain data.tar: the target's dpkg reads no zstd. */
    PLAIN_TAR,
    /** With a zstd data.tar. */
    ZSTD
  }

  /** How to repack: set by the bootstrap once its dpkg is unpacked. */
  private final CompletableFuture<Repack> repack;

  private final AtomicInteger repacked;

  private LaterPackagesPrefetch(
      ExecutorService thread,
      Future<?> work,
      int packages,
      long bytes,
      CompletableFuture<Repack> repack,
      AtomicInteger repacked) {
    this.thread = thread;
    this.work = work;
    this.packages = packages;
    this.bytes = bytes;
    this.repack = repack;
    this.repacked = repacked;
  }

  /**
   * The names the later stages install from the archive: the board's packages, then the spec's
   * plain names (no {@code :arch} or {@code =version}, which apt resolves its own way).
   *
   * @param specPackages the spec's packages
   * @param board the board, if any
   */
  static List<String> laterNames(List<String> specPackages, Optional<Board> board) {
    Set<String> names = new LinkedHashSet<>();
    board.ifPresent(
        b -> {
          names.addAll(b.kernelPackages());
          names.addAll(b.firmwarePackages());
          names.addAll(b.bootPackages());
        });
    specPackages.stream().filter(p -> !p.contains(":") && !p.contains("=")).forEach(names::add);
    return List.copyOf(names);
  }

  /**
   * The packages {@code names} pull in beyond {@code bootstrapSet}, as the resolver closes them; a
   * name the archive does not know (from a PPA, say) or cannot satisfy is left out.
   */
  static List<PackageRecord> beyond(
      PackageUniverse universe,
      Variant variant,
      List<PackageRecord> bootstrapSet,
      List<String> names) {
    List<String> known = names.stream().filter(universe::knows).toList();
    List<PackageRecord> closure;
    try {
      closure = Resolver.resolve(universe, variant, known);
    } catch (ResolutionException e) {
      closure = new ArrayList<>();
      for (String name : known) {
        try {
          closure.addAll(Resolver.resolve(universe, variant, List.of(name)));
        } catch (ResolutionException alone) {
          LOG.debug("not prefetching {}: {}", name, alone.getMessage());
        }
      }
    }
    Set<String> have = new HashSet<>();
    bootstrapSet.forEach(p -> have.add(p.sha256()));
    List<PackageRecord> out = new ArrayList<>();
    for (PackageRecord p : closure) {
      if (have.add(p.sha256())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Starts downloading {@code records} (from {@code suites}) into the cache under {@code cacheDir}
   * on a thread of its own.
   */
  static LaterPackagesPrefetch start(
      List<PackageRecord> records, List<Repository> suites, Path cacheDir) {
    // largest first: the kernel's download and repack start before the small ones
    List<PackageRecord> bySize = new ArrayList<>(records);
    bySize.sort(Comparator.comparingLong(PackageRecord::size).reversed());
    List<Download> downloads = new ArrayList<>();
    long bytes = 0;
    for (PackageRecord p : bySize) {
      downloads.add(new Download(BootstrapStage.uriOf(p, suites), p.sha256(), p.size()));
      bytes += p.size();
    }
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "imagebuilder-prefetch");
              t.setDaemon(true);
              return t;
            });
    PackageCache cache = new PackageCache(cacheDir.resolve("packages"));
    RepackedDebs kept = new RepackedDebs(cacheDir.resolve("packages"));
    CompletableFuture<Repack> repack = new CompletableFuture<>();
    AtomicInteger repacked = new AtomicInteger();
    Future<?> work =
        thread.submit(
            () -> {
              if (downloads.isEmpty()) {
                return null;
              }
              List<Path> files = cache.fetchAll(downloads, DOWNLOADS, (done, total) -> {});
              Repack how = repack.get();
              if (how != Repack.NONE) {
                repackAll(kept, files, how == Repack.ZSTD, repacked);
              }
              return null;
            });
    return new LaterPackagesPrefetch(thread, work, records.size(), bytes, repack, repacked);
  }

  /** Repacks the files in order; one that fails is left to the stage that installs it. */
  private static void repackAll(
      RepackedDebs kept, List<Path> files, boolean zstd, AtomicInteger repacked)
      throws InterruptedException {
    for (Path f : files) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      try {
        kept.prepare(f, zstd);
        repacked.incrementAndGet();
      } catch (ImageBuildException | IOException e) {
        LOG.debug("not repacking {} ahead: {}", f.getFileName(), e.getMessage());
      }
    }
  }

  /** Says how the prefetched .debs are to be repacked for the later stages. */
  void repackFor(Repack how) {
    repack.complete(how);
  }

  /**
   * One line for the stage's log: how much was asked and whether it finished in time.
   *
   * @return e.g. {@code prefetched 31 packages (52.1 MB) for the later stages}
   */
  String summary() {
    String what = String.format("%d packages (%.1f MB)", packages, bytes / 1e6);
    if (!work.isDone()) {
      return "prefetch of " + what + " for the later stages unfinished: they fetch the rest";
    }
    try {
      work.get();
      return "prefetched "
          + what
          + " for the later stages"
          + (repacked.get() > 0 ? ", " + repacked.get() + " repacked" : "");
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return "prefetch of "
          + what
          + " failed ("
          + cause.getMessage()
          + "): the later stages fetch them";
    }
  }

  /** Stops what is still downloading and waits for the thread to end. */
  @Override
  public void close() {
    work.cancel(true);
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("the prefetch thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
